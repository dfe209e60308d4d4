import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { synthApp } from '../scripts/lib/synth';
import { PROJECT_ROOT } from '../stacks/lib/project-paths';
import { terraformOrThrow, writeTerraformCliConfig } from '../scripts/lib/terraform';
import { describeWithTools } from './support/tiers';

// Real `terraform validate` with hashicorp/aws 5.100.0 from the offline mirror. Lambda
// packaging is `zip` here: the mirror holds only the AWS provider, so a stack that uses
// data.archive_file (hashicorp/archive) could not even `init` offline. The archive path
// is covered by the synth assertions in node-function.test.ts.
describeWithTools('terraform validate', ['terraform', 'mirror'], () => {
  let outdir: string;
  let cliConfig: string;
  let stacks: string[];

  beforeAll(() => {
    outdir = mkdtempSync(path.join(os.tmpdir(), 'vod-validate-'));
    cliConfig = writeTerraformCliConfig(path.join(PROJECT_ROOT, '.local', 'terraform'));
    stacks = synthApp(outdir, { LAMBDA_PACKAGING: 'zip' });
  });

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('synthesizes the state stack and one stack per environment', () => {
    expect(stacks).toEqual(['state', 'vod-dev', 'vod-local', 'vod-prod']);
  });

  it.each(['state', 'vod-dev', 'vod-prod', 'vod-local'])(
    'validates stack %s with the real AWS provider, offline',
    async (stack) => {
      // Prepare
      const cwd = path.join(outdir, 'stacks', stack);

      // Act
      await terraformOrThrow(['init', '-backend=false', '-input=false', '-no-color'], cwd, cliConfig);
      const result = await terraformOrThrow(['validate', '-json', '-no-color'], cwd, cliConfig);

      // Assess
      const report = JSON.parse(result.stdout) as {
        valid: boolean;
        error_count: number;
        diagnostics: { severity: string; summary: string; detail?: string }[];
      };
      expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(report.valid).toBe(true);
    },
    120_000,
  );
});
