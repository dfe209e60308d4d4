/**
 * `npm run plan:ci -- [options] <stack>...`: synthesize, then `terraform init` (the
 * stack's S3 backend, settings from TF_STATE_BUCKET/TF_STATE_REGION/TF_STATE_KEY_PREFIX),
 * `plan -out`, `show -json`, and the markdown summary, written to <out-dir>/summary.md and printed.
 *
 *   --out-dir <dir>         plans and summary (default .local/plan)
 *   --synth-dir <dir>       synthesized app (default cdktf.out)
 *   --no-synth              plan the app already in --synth-dir (the reviewed configuration)
 *   --backend-config <v>    extra `terraform init -backend-config` (file or key=value), repeatable
 *   --protect <stack>       exit 1 when this stack's plan destroys or replaces anything, repeatable
 *   --lock-timeout <d>      terraform -lock-timeout (default 0s)
 *   --no-lock               plan with -lock=false (the read-only PR plan role may not write the lockfile)
 *
 * Exit codes: 0 planned; 1 a protected stack destroys or replaces; 2 an error (e.g. the state is locked,
 * the policy check failed, or TF_STATE_BUCKET is not set).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../stacks/lib/project-paths';
import { planStacks } from './lib/plan-ci';
import { synthApp } from './lib/synth';
import { resolveCliConfig } from './lib/terraform';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'out-dir': { type: 'string', default: path.join('.local', 'plan') },
      'synth-dir': { type: 'string', default: 'cdktf.out' },
      'no-synth': { type: 'boolean', default: false },
      'backend-config': { type: 'string', multiple: true, default: [] },
      protect: { type: 'string', multiple: true, default: [] },
      'lock-timeout': { type: 'string', default: '0s' },
      'no-lock': { type: 'boolean', default: false },
    },
  });
  if (positionals.length === 0) throw new Error('usage: npm run plan:ci -- [options] <stack>... (e.g. vod-dev vod-prod)');
  const result = await planStacks({
    stacks: positionals,
    synthDir: values['synth-dir'],
    ...(values['no-synth'] ? {} : { synth: (outdir: string) => void synthApp(outdir, process.env) }),
    outDir: values['out-dir'],
    cliConfig: resolveCliConfig(path.join(PROJECT_ROOT, '.local', 'terraform')),
    backendConfig: values['backend-config'],
    protectedStacks: values.protect,
    lockTimeout: values['lock-timeout'],
    lock: !values['no-lock'],
  });
  process.stdout.write(result.markdown);
  process.stderr.write(`\nWrote ${result.summaryFile} and ${result.planned.map((p) => path.basename(p.planFile)).join(', ')}.\n`);
  for (const v of result.violations) process.stderr.write(`Protected stack ${v.stack} would ${v.kind} ${v.address}.\n`);
  return result.violations.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
