/**
 * The environment every terraform run of the scripts gets (plan:ci, bootstrap, local:up, the tiers):
 * no prompts, colour or update checks, the project's CLI config, and a cheaper garbage collector
 * unless the caller chose one.
 */
import { TERRAFORM_GOGC, terraformEnv } from '../scripts/lib/terraform';

describe('terraformEnv', () => {
  it.each([
    { story: "Go's collector target is ours when the caller set none", base: {}, extra: {}, gogc: TERRAFORM_GOGC },
    { story: "the caller's GOGC wins over ours", base: { GOGC: '100' }, extra: {}, gogc: '100' },
    { story: "a step's own GOGC wins over the caller's", base: { GOGC: '100' }, extra: { GOGC: 'off' }, gogc: 'off' },
  ])('$story', ({ base, extra, gogc }) => {
    // Act
    const env = terraformEnv(base, extra, 'project.tfrc');

    // Assess
    expect(env.GOGC).toBe(gogc);
  });

  it('always runs without prompts, colour codes meant for people, or update checks, whatever the caller set', () => {
    // Act
    const env = terraformEnv({ TF_INPUT: '1', PATH: 'their-bin' }, { TF_IN_AUTOMATION: '' }, 'project.tfrc');

    // Assess
    expect(env).toEqual(
      expect.objectContaining({
        PATH: 'their-bin',
        TF_INPUT: '0',
        TF_IN_AUTOMATION: '1',
        CHECKPOINT_DISABLE: '1',
        TF_CLI_CONFIG_FILE: 'project.tfrc',
      }),
    );
  });

  it("keeps terraform's own CLI config when none is given", () => {
    // Act
    const env = terraformEnv({ TF_CLI_CONFIG_FILE: 'their-own.terraformrc' }, {}, '');

    // Assess
    expect(env.TF_CLI_CONFIG_FILE).toBe('their-own.terraformrc');
  });
});
