import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { bootstrapStateStack } from '../scripts/lib/bootstrap';
import { planStacks } from '../scripts/lib/plan-ci';
import { StateBucketNotSetError } from '../scripts/lib/state-bucket';
import { synthApp } from '../scripts/lib/synth';
import { DEFAULT_STATE_BUCKET } from '../stacks/environments';
import { PROJECT_ROOT } from '../stacks/lib/project-paths';

const run = promisify(execFile);

describe('the placeholder state bucket', () => {
  let workDir: string;
  let synthDir: string;
  // No TF_STATE_BUCKET: what `npm run synth` does for a new user.
  const noVariables = { PIPELINE_ENVIRONMENTS: 'dev,local' };

  beforeAll(() => {
    workDir = mkdtempSync(path.join(os.tmpdir(), 'vod-state-bucket-'));
    synthDir = path.join(workDir, 'cdktf.out');
    synthApp(synthDir, noVariables);
  }, 60_000);
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('lets synth run with no variables', () => {
    const dev = JSON.parse(readFileSync(path.join(synthDir, 'stacks', 'vod-dev', 'cdk.tf.json'), 'utf8')) as {
      terraform: { backend: { s3: { bucket: string } } };
    };

    expect(dev.terraform.backend.s3.bucket).toBe(DEFAULT_STATE_BUCKET);
  });

  it('stops plan:ci before terraform runs, naming TF_STATE_BUCKET', async () => {
    const plan = planStacks({
      stacks: ['vod-dev'],
      synthDir,
      outDir: path.join(workDir, 'plan'),
      cliConfig: '',
      env: { PATH: '/nonexistent' },
    });

    await expect(plan).rejects.toThrow(StateBucketNotSetError);
    await expect(plan).rejects.toThrow(
      /vod-dev .* uses the placeholder state bucket "placeholder-set-tf-state-bucket".*set TF_STATE_BUCKET/,
    );
  });

  it('stops bootstrap before terraform runs, naming TF_STATE_BUCKET', async () => {
    const bootstrap = bootstrapStateStack({
      stackDir: path.join(synthDir, 'stacks', 'state'),
      cliConfig: '',
      localStateFile: path.join(workDir, 'bootstrap', 'state.tfstate'),
    });

    await expect(bootstrap).rejects.toThrow(/the state stack .* uses the placeholder state bucket.*set TF_STATE_BUCKET/);
  });

  it.each(['deploy', 'destroy'])(
    'stops `npm run %s` of a stack on the placeholder bucket, naming TF_STATE_BUCKET',
    async (command) => {
      // Prepare
      const env: NodeJS.ProcessEnv = { ...process.env, ...noVariables };
      delete env.TF_STATE_BUCKET;

      // Act
      const cli = run(
        process.execPath,
        [path.join(PROJECT_ROOT, 'scripts', 'cdktf.mjs'), command, 'vod-dev', '--output', path.join(workDir, `cli-${command}`)],
        {
          cwd: PROJECT_ROOT,
          env,
        },
      );

      // Assess
      await expect(cli).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringMatching(
          new RegExp(`npm run ${command}: vod-dev would keep state in the placeholder bucket .*set TF_STATE_BUCKET`),
        ),
      });
    },
    120_000,
  );

  it('scripts/cdktf.mjs refuses the same name as stacks/environments.ts', () => {
    const script = readFileSync(path.join(PROJECT_ROOT, 'scripts', 'cdktf.mjs'), 'utf8');

    expect(script).toContain(`PLACEHOLDER_STATE_BUCKET = '${DEFAULT_STATE_BUCKET}'`);
  });
});
