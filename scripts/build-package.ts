/**
 * `npm run build` (and `npm pack` through prepack): compiles the constructs, stacks and the
 * testing entry to dist/ (JavaScript + declarations), then bundles each handler into
 * dist/lambda/<entry>/index.js with a manifest of hashes, so an installed package synthesizes
 * without esbuild, lambda-src/ or a lockfile. The bundles are the bytes synth uses in this repository.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PIPELINE_HANDLERS } from '../contracts/functions/handlers';
import { PREBUILT_PLAYER_DIR, buildPlayerFromSource } from '../stacks/lib/player-bundle';
import { PREBUILT_LAMBDA_DIR, PrebuiltManifest, bundleFromSource } from '../stacks/lib/lambda-bundle';
import { PROJECT_ROOT } from '../stacks/lib/project-paths';

function main(): void {
  const dist = path.join(PROJECT_ROOT, 'dist');
  rmSync(dist, { recursive: true, force: true });
  execFileSync(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], {
    cwd: PROJECT_ROOT,
    stdio: 'inherit',
  });
  const manifest: PrebuiltManifest = {};
  for (const entry of PIPELINE_HANDLERS) {
    const code = bundleFromSource(entry);
    mkdirSync(path.join(PREBUILT_LAMBDA_DIR, entry), { recursive: true });
    writeFileSync(path.join(PREBUILT_LAMBDA_DIR, entry, 'index.js'), code);
    manifest[entry] = { sha256: createHash('sha256').update(code).digest('hex'), bytes: code.length };
  }
  writeFileSync(path.join(PREBUILT_LAMBDA_DIR, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  // The player page, built once here: an installed package has no player-src/ or esbuild.
  const player = buildPlayerFromSource();
  mkdirSync(PREBUILT_PLAYER_DIR, { recursive: true });
  for (const file of player) writeFileSync(path.join(PREBUILT_PLAYER_DIR, file.name), file.content);
  writeFileSync(
    path.join(PREBUILT_PLAYER_DIR, 'files.json'),
    `${JSON.stringify(
      player.map(({ name, contentType }) => ({ name, contentType })),
      null,
      2,
    )}\n`,
  );
  process.stderr.write(`dist/: compiled stacks and testing entry; handlers ${Object.keys(manifest).join(', ')}\n`);
}

if (require.main === module) main();
