/**
 * The player page's files, built at synth: player-src/ with hls.js (the exact version package.json
 * pins) bundled by esbuild into one script, and the page's Content-Security-Policy.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BuildOptions, BuildResult } from 'esbuild';
import { PROJECT_ROOT } from './project-paths';
import { processTempDir } from './temp-dir';

/**
 * Everything the page loads is its own origin's: the script, the stylesheet, the playlists,
 * segments and images; media plays from MediaSource blob: URLs. No inline script or style, no workers.
 */
export const PLAYER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** One file of the page: its name under the player prefix, its bytes and content type. */
export interface PlayerFile {
  readonly name: string;
  readonly content: string;
  readonly contentType: string;
}

const SOURCE_DIR = path.join(PROJECT_ROOT, 'player-src');
/** Where `npm run build` writes the built page, for an installed package (which ships no player-src or esbuild). */
export const PREBUILT_PLAYER_DIR = path.join(PROJECT_ROOT, 'dist', 'player');

let memoized: PlayerFile[] | undefined;
let written: WrittenPlayerFile[] | undefined;

/** A file of the page on disk, for Terraform to upload from: its path and the SHA-256 of its bytes (hex). */
export interface WrittenPlayerFile extends PlayerFile {
  readonly path: string;
  readonly sha256: string;
}

/**
 * The page's files written once per process to a temp directory. Terraform uploads them from
 * there (as assets) rather than from strings in the configuration: the 600 KB script inline made
 * every plan re-parse it as a template and carried it through every plan file and review.
 */
export function writePlayerFiles(): WrittenPlayerFile[] {
  if (written) return written;
  const dir = processTempDir('vod-player-');
  written = bundlePlayer().map((file) => {
    const filePath = path.join(dir, file.name);
    writeFileSync(filePath, file.content);
    return { ...file, path: filePath, sha256: createHash('sha256').update(file.content).digest('hex') };
  });
  return written;
}

/**
 * The page's files: built from player-src/ in this repository, or read from the installed
 * package's dist/player/. Memoized per process: every environment publishes the same page.
 */
export function bundlePlayer(): PlayerFile[] {
  memoized ??= existsSync(path.join(SOURCE_DIR, 'player.js')) ? buildPlayerFromSource() : readPrebuiltPlayer();
  return memoized;
}

function readPrebuiltPlayer(): PlayerFile[] {
  const index = JSON.parse(readFileSync(path.join(PREBUILT_PLAYER_DIR, 'files.json'), 'utf8')) as { name: string; contentType: string }[];
  return index.map((f) => ({ ...f, content: readFileSync(path.join(PREBUILT_PLAYER_DIR, f.name), 'utf8') }));
}

/** Bundles player-src/ with esbuild (hls.js included) and fills in the page's CSP. */
export function buildPlayerFromSource(): PlayerFile[] {
  // esbuild is a build-time tool, as for the Lambda bundles.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildSync } = require('esbuild') as { buildSync: (options: BuildOptions & { write: false }) => BuildResult<{ write: false }> };
  const result = buildSync({
    entryPoints: [path.join(SOURCE_DIR, 'player.js')],
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    platform: 'browser',
    target: 'es2020',
    format: 'iife',
    minify: true,
    legalComments: 'none',
    sourcemap: false,
    write: false,
    logLevel: 'silent',
  });
  return [
    {
      name: 'index.html',
      content: readFileSync(path.join(SOURCE_DIR, 'index.html'), 'utf8').replace('%CSP%', PLAYER_CSP),
      contentType: 'text/html; charset=utf-8',
    },
    {
      name: 'player.js',
      content: Buffer.from(result.outputFiles[0]!.contents).toString('utf8'),
      contentType: 'text/javascript; charset=utf-8',
    },
    { name: 'player.css', content: readFileSync(path.join(SOURCE_DIR, 'player.css'), 'utf8'), contentType: 'text/css; charset=utf-8' },
  ];
}
