// `npm run synth|diff|deploy|destroy -- <args>`: the cdktf CLI, set up to work offline.
// - CHECKPOINT_DISABLE=1: cdktf's telemetry call fails without internet.
// - A TF_CLI_CONFIG_FILE that names a missing file is dropped: Terraform warns about it on
//   every call, and cdktf repeats each warning as an error line.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, CHECKPOINT_DISABLE: '1' };
if (env.TF_CLI_CONFIG_FILE && !existsSync(env.TF_CLI_CONFIG_FILE)) delete env.TF_CLI_CONFIG_FILE;
const result = spawnSync(path.join(root, 'node_modules', '.bin', 'cdktf'), process.argv.slice(2), { cwd: root, env, stdio: 'inherit' });
process.exit(result.status ?? 1);
