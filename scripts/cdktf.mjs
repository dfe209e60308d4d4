// `npm run synth|diff|deploy|destroy -- <args>`: the cdktf CLI, set up to work offline.
// - CHECKPOINT_DISABLE=1: cdktf's telemetry call fails without internet.
// - A TF_CLI_CONFIG_FILE that names a missing file is dropped: Terraform warns about it on
//   every call, and cdktf repeats each warning as an error line.
// - diff, deploy and destroy refuse a stack whose state would go to the placeholder state
//   bucket (stacks/environments.ts): anyone could own that name. `synth` needs no variables.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Keep in step with DEFAULT_STATE_BUCKET in stacks/environments.ts (a test checks they agree). */
export const PLACEHOLDER_STATE_BUCKET = 'placeholder-set-tf-state-bucket';
const STATE_COMMANDS = new Set(['diff', 'deploy', 'destroy']);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, CHECKPOINT_DISABLE: '1' };
if (env.TF_CLI_CONFIG_FILE && !existsSync(env.TF_CLI_CONFIG_FILE)) delete env.TF_CLI_CONFIG_FILE;
const cdktf = (args) => spawnSync(path.join(root, 'node_modules', '.bin', 'cdktf'), args, { cwd: root, env, stdio: 'inherit' });

const args = process.argv.slice(2);
const [command] = args;
if (STATE_COMMANDS.has(command) && (!env.TF_STATE_BUCKET || env.TF_STATE_BUCKET === PLACEHOLDER_STATE_BUCKET)) {
  // Without TF_STATE_BUCKET only stacks on a local backend (the emulator's) may go on: synth, then look.
  const outputFlag = args.findIndex((a) => a === '-o' || a === '--output');
  const outdir = path.resolve(root, outputFlag >= 0 ? args[outputFlag + 1] : 'cdktf.out');
  const synth = cdktf(['synth', '--output', outdir]);
  if (synth.status !== 0) process.exit(synth.status ?? 1);
  const named = args.slice(1).filter((a, i, all) => !a.startsWith('-') && all[i - 1] !== '-o' && all[i - 1] !== '--output');
  const stacks = named.length === 0 || named.includes('*') ? readdirSync(path.join(outdir, 'stacks')) : named;
  const remote = stacks.filter((stack) => {
    const file = path.join(outdir, 'stacks', stack, 'cdk.tf.json');
    return existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).terraform?.backend?.s3?.bucket === PLACEHOLDER_STATE_BUCKET;
  });
  if (remote.length > 0) {
    process.stderr.write(
      `npm run ${command}: ${remote.join(', ')} would keep state in the placeholder bucket "${PLACEHOLDER_STATE_BUCKET}". ` +
        'Bucket names are global, so whoever owns that name would receive your state: set TF_STATE_BUCKET to your own bucket ' +
        '(and TF_STATE_REGION), e.g. "vod-pipeline-state-<account id>", run `npm run bootstrap` once, then run this again.\n',
    );
    process.exit(1);
  }
  const result = cdktf([...args, '--skip-synth']);
  process.exit(result.status ?? 1);
}
const result = cdktf(args);
process.exit(result.status ?? 1);
