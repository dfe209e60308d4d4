/**
 * `npm run bootstrap [-- --backend-config <v>...]`: synthesizes the app and creates (or
 * updates) each state bucket stack. The first run applies with a local state in
 * .local/bootstrap/ (outside cdktf.out, which synth may delete), then migrates that state
 * into the bucket it created. Reads TF_STATE_BUCKET, TF_STATE_REGION and TF_STATE_KEY_PREFIX.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../stacks/lib/project-paths';
import { bootstrapStateStack } from './lib/bootstrap';
import { synthApp } from './lib/synth';
import { resolveCliConfig } from './lib/terraform';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'synth-dir': { type: 'string', default: 'cdktf.out' },
      'backend-config': { type: 'string', multiple: true, default: [] },
    },
  });
  synthApp(values['synth-dir'], process.env);
  const stateStacks = readdirSync(path.join(values['synth-dir'], 'stacks')).filter((s) => s === 'state' || s.startsWith('state-'));
  if (stateStacks.length === 0)
    throw new Error('No state stack was synthesized: no environment in PIPELINE_ENVIRONMENTS uses an S3 backend.');
  const cliConfig = resolveCliConfig(path.join(PROJECT_ROOT, '.local', 'terraform'));
  for (const stack of stateStacks) {
    const outcome = await bootstrapStateStack({
      stackDir: path.resolve(values['synth-dir'], 'stacks', stack),
      cliConfig,
      localStateFile: path.join(PROJECT_ROOT, '.local', 'bootstrap', `${stack}.tfstate`),
      backendConfig: values['backend-config'],
    });
    console.log(`${stack}: ${outcome === 'created' ? 'created the bucket and moved this stack’s state into it' : 'applied'}.`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
