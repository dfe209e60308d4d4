import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { synthApp } from '../../scripts/lib/synth';
import { terraformOrThrow, writeTerraformCliConfig } from '../../scripts/lib/terraform';
import { PROJECT_ROOT } from '../../stacks/lib/project-paths';
import { describeWithTools } from '../support/tiers';

interface ValidateReport {
  readonly valid: boolean;
  readonly diagnostics: { severity: string; summary: string; detail?: string }[];
}

const STACKS = ['state', 'vod-dev', 'vod-prod', 'vod-local'];

// Real `terraform validate` with hashicorp/aws 5.100.0 from the offline mirror. Lambda
// packaging is `zip` here: the mirror holds only the AWS provider, so a stack that uses
// data.archive_file (hashicorp/archive) could not even `init` offline. The archive path
// is covered by the synth assertions in node-function.test.ts.
describeWithTools('terraform validate', ['terraform', 'mirror'], () => {
  let outdir: string;
  let stacks: string[];
  const reports = new Map<string, ValidateReport>();

  beforeAll(async () => {
    outdir = mkdtempSync(path.join(os.tmpdir(), 'vod-validate-'));
    const cliConfig = writeTerraformCliConfig(path.join(PROJECT_ROOT, '.local', 'terraform'));
    stacks = synthApp(outdir, { LAMBDA_PACKAGING: 'zip' });
    const dirOf = (stack: string) => path.join(outdir, 'stacks', stack);
    // One init at a time: Terraform's plugin cache is not safe for concurrent installs.
    for (const stack of STACKS) await terraformOrThrow(['init', '-backend=false', '-input=false', '-no-color'], dirOf(stack), cliConfig);
    // Each validate spends ~2 s loading the provider schema: run those side by side.
    await Promise.all(
      STACKS.map(async (stack) => {
        const result = await terraformOrThrow(['validate', '-json', '-no-color'], dirOf(stack), cliConfig);
        reports.set(stack, JSON.parse(result.stdout) as ValidateReport);
      }),
    );
  }, 120_000);

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('synthesizes the state stack and one stack per environment', () => {
    expect(stacks).toEqual([...STACKS].sort());
  });

  it.each(STACKS)('validates stack %s with the real AWS provider, offline', (stack) => {
    const report = reports.get(stack);

    expect(report?.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(report?.valid).toBe(true);
  });
});
