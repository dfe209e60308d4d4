// The cdktf app command (cdktf.json): bundles main.ts with esbuild, leaving packages external, and
// runs it. About as fast as running compiled JavaScript, with no separate build step to forget.
import { buildSync } from 'esbuild';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outfile = path.join(root, '.local', 'app', 'main.js');
buildSync({
  entryPoints: [path.join(root, 'main.ts')],
  outfile,
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'warning',
});
createRequire(import.meta.url)(outfile);
