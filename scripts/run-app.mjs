// The cdktf app command (cdktf.json): bundles main.ts (or the entry given) with esbuild, leaving
// packages external, and runs it. About as fast as compiled JavaScript, with no build step to forget.
import { buildSync } from 'esbuild';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.resolve(process.argv[2] ?? path.join(root, 'main.ts'));
const outfile = path.join(root, '.local', 'app', `${path.basename(entry, '.ts')}.js`);
buildSync({
  entryPoints: [entry],
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
