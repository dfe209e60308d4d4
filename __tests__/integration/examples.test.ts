import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../stacks/lib/project-paths';
import { runTerraform, terraformOrThrow, writeTerraformCliConfig } from '../../scripts/lib/terraform';
import { describeWithTools } from '../support/tiers';

const EXAMPLES = readdirSync(path.join(PROJECT_ROOT, 'examples'));

// The HCL the docs quote (the CI roles, the existing configuration that reads our outputs) is
// real Terraform: formatted and valid against hashicorp/aws from the offline mirror.
describeWithTools('examples', ['terraform', 'mirror'], () => {
  let workDir: string;
  let cliConfig: string;

  beforeAll(() => {
    workDir = mkdtempSync(path.join(os.tmpdir(), 'vod-examples-'));
    cliConfig = writeTerraformCliConfig(path.join(PROJECT_ROOT, '.local', 'terraform'));
  });
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('are the CI roles and the existing configuration', () => {
    expect(EXAMPLES.sort()).toEqual(['ci-roles', 'existing-terraform']);
  });

  it("docs/plan-review.md quotes the plan role's state statements as they stand in examples/ci-roles", () => {
    const page = readFileSync(path.join(PROJECT_ROOT, 'docs', 'plan-review.md'), 'utf8');
    const roles = readFileSync(path.join(PROJECT_ROOT, 'examples', 'ci-roles', 'main.tf'), 'utf8');
    const quoted = /The state part of the plan role[^\n]*\n\n```hcl\n([\s\S]*?)```/.exec(page)?.[1] ?? '';

    expect(quoted).toContain('TakeStateLock');
    const normalize = (text: string) => text.replace(/\s+/g, ' ').trim();
    expect(normalize(roles)).toContain(normalize(quoted));
  });

  it.each(EXAMPLES)(
    'examples/%s is formatted and valid',
    async (example) => {
      // Prepare
      const dir = path.join(workDir, example);
      cpSync(path.join(PROJECT_ROOT, 'examples', example), dir, { recursive: true });

      // Act
      const fmt = await runTerraform(['fmt', '-check', '-diff', '-no-color'], dir, cliConfig);
      await terraformOrThrow(['init', '-backend=false', '-input=false', '-no-color'], dir, cliConfig);
      const validate = await terraformOrThrow(['validate', '-json', '-no-color'], dir, cliConfig);

      // Assess
      expect(fmt.stdout).toBe('');
      expect(JSON.parse(validate.stdout)).toEqual(expect.objectContaining({ valid: true, error_count: 0 }));
    },
    120_000,
  );
});
