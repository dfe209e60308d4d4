import type { BuildOptions, BuildResult } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PIPELINE_HANDLERS, PipelineHandler } from '../../contracts/functions/handlers';
import { PROJECT_ROOT } from './project-paths';
import { processTempDir } from './temp-dir';
import { createDeterministicZip } from './zip';

/** Where the package's handlers live: `<name>/index.ts` for each name of PIPELINE_HANDLERS. */
export const LAMBDA_SOURCE_DIR = path.join(PROJECT_ROOT, 'lambda-src', 'functions');
/** Every directory a handler bundle is built from: a change in any of them changes the bundle. */
const BUNDLED_SOURCE_DIRS = [path.join(PROJECT_ROOT, 'lambda-src'), path.join(PROJECT_ROOT, 'contracts')];
/** Where the published package carries its prebuilt handlers (`npm run build`), with manifest.json. */
export const PREBUILT_LAMBDA_DIR = path.join(PROJECT_ROOT, 'dist', 'lambda');

/** manifest.json of the prebuilt handlers: entry → SHA-256 (hex) of its index.js. */
export type PrebuiltManifest = Record<string, { readonly sha256: string; readonly bytes: number }>;

/** A bundled handler: the directory holding index.js, and the same as a deterministic zip. */
export interface LambdaBundle {
  readonly directory: string;
  readonly zipFile: string;
  /** base64 SHA-256 of the zip, as Lambda reports CodeSha256. */
  readonly zipSha256: string;
  readonly bytes: number;
}

const bundles = new Map<string, LambdaBundle>();
let workDir: string | undefined;

/** Where bundles are cached between synths, keyed by everything that can change the output. */
const CACHE_DIR = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'vod-lambda-bundles');
/** Bump when the esbuild options in buildBundle change. */
const BUNDLE_OPTIONS_VERSION = '1';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .sort();
}

/** Hash of the handler sources, the lockfile (the dependencies) and the options version. */
function bundleCacheKey(entry: string): string {
  sourcesDigest ??= digestOfSources();
  return createHash('sha256').update(`${BUNDLE_OPTIONS_VERSION}\0${entry}\0${sourcesDigest}`).digest('hex').slice(0, 32);
}

/** One hash of every handler source and the lockfile, read once per process whatever the number of handlers. */
function digestOfSources(): string {
  const hash = createHash('sha256');
  for (const file of [...BUNDLED_SOURCE_DIRS.flatMap(sourceFiles), path.join(PROJECT_ROOT, 'package-lock.json')]) {
    hash.update(path.relative(PROJECT_ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}
let sourcesDigest: string | undefined;

type BuildSync = (options: BuildOptions & { write: false }) => BuildResult<{ write: false }>;

/** esbuild, loaded only to bundle from source: an installed package synthesizes its own handlers without it. */
function loadEsbuild(forWhat: string): BuildSync {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('esbuild') as { buildSync: BuildSync }).buildSync;
  } catch (error) {
    throw new Error(`Bundling ${forWhat} needs esbuild: install it as a dev dependency (npm install --save-dev esbuild).`, {
      cause: error,
    });
  }
}

/**
 * Bundles one entry file for Node 22: minified, no source paths, no timestamps, so two machines
 * produce the same bytes. `workingDir` is what esbuild resolves relative paths against.
 */
function buildBundle(entryFile: string, workingDir: string = PROJECT_ROOT): Buffer {
  const buildSync = loadEsbuild(path.basename(entryFile));
  const result = buildSync({
    entryPoints: [entryFile],
    absWorkingDir: workingDir,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    treeShaking: true,
    legalComments: 'none',
    sourcemap: false,
    // ESM builds of the AWS SDK tree-shake far better than their CJS twins.
    mainFields: ['module', 'main'],
    write: false,
    logLevel: 'silent',
  });
  return Buffer.from(result.outputFiles[0]!.contents);
}

/**
 * Bundles `lambda-src/functions/<entry>/index.ts` (buildBundle). Cached on disk by a hash of sources
 * and lockfile, since esbuild takes ~0.35 s per handler. `npm run build` ships the same bytes.
 */
export function bundleFromSource(entry: PipelineHandler): Buffer {
  const entryFile = path.join(LAMBDA_SOURCE_DIR, entry, 'index.ts');
  const cached = path.join(CACHE_DIR, bundleCacheKey(entry), 'index.js');
  if (existsSync(cached)) return readFileSync(cached);
  const code = buildBundle(entryFile);
  mkdirSync(path.dirname(cached), { recursive: true });
  writeFileSync(cached, code);
  return code;
}

/** The handler shipped in the package, checked against the manifest's hash. */
function readPrebuilt(entry: PipelineHandler): Buffer {
  const manifestFile = path.join(PREBUILT_LAMBDA_DIR, 'manifest.json');
  const manifest = existsSync(manifestFile) ? (JSON.parse(readFileSync(manifestFile, 'utf8')) as PrebuiltManifest) : {};
  const expected = manifest[entry];
  if (expected === undefined) {
    throw new Error(
      `Lambda entry "${entry}" has neither a source (lambda-src/functions/${entry}/index.ts) nor a prebuilt bundle (dist/lambda/${entry}); fix the entry name, or rebuild the package with \`npm run build\`.`,
    );
  }
  const code = readFileSync(path.join(PREBUILT_LAMBDA_DIR, entry, 'index.js'));
  const actual = createHash('sha256').update(code).digest('hex');
  if (actual !== expected.sha256) {
    throw new Error(
      `The prebuilt bundle dist/lambda/${entry}/index.js has SHA-256 ${actual}, the manifest says ${expected.sha256}: the package is damaged; reinstall it.`,
    );
  }
  return code;
}

/** Writes a bundle's index.js and its deterministic zip into this process's temp directory, under `name`. */
function packageBundle(name: string, code: Buffer): LambdaBundle {
  workDir ??= processTempDir('vod-lambda-');
  const directory = path.join(workDir, name);
  mkdirSync(directory, { recursive: true });
  writeFileSync(path.join(directory, 'index.js'), code);
  const zip = createDeterministicZip([{ name: 'index.js', data: code }]);
  const zipFile = path.join(workDir, `${name}.zip`);
  writeFileSync(zipFile, zip);
  return { directory, zipFile, zipSha256: createHash('sha256').update(zip).digest('base64'), bytes: code.length };
}

/**
 * The package's handler `entry` as Lambda gets it: bundled from `lambda-src/` in this repository,
 * or the prebuilt bundle of the installed package (which ships no sources, esbuild or lockfile).
 * Memoized per process: every environment packages the same code.
 */
export function bundleLambda(entry: PipelineHandler): LambdaBundle {
  if (!(PIPELINE_HANDLERS as readonly string[]).includes(entry)) {
    throw new Error(`"${entry}" is not one of the package's handlers (${PIPELINE_HANDLERS.join(', ')}).`);
  }
  const memoized = bundles.get(entry);
  if (memoized) return memoized;
  const code = existsSync(path.join(LAMBDA_SOURCE_DIR, entry, 'index.ts')) ? bundleFromSource(entry) : readPrebuilt(entry);
  const bundle = packageBundle(entry, code);
  bundles.set(entry, bundle);
  return bundle;
}

/** Extensions a user's handler file may have: esbuild bundles each the same way. */
export const USER_HANDLER_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'] as const;

/** The directory esbuild works in for a user's file: the nearest one above it with a package.json (their project). */
function projectDirOf(file: string): string {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.dirname(file);
  }
}

/**
 * A user's own handler file (absolute path, exporting `handler`), bundled exactly as the package's
 * handlers are, with the user's own dependencies. Not cached on disk (its inputs are the user's
 * files); memoized per process by path.
 */
export function bundleUserHandler(file: string): LambdaBundle {
  const memoized = bundles.get(file);
  if (memoized) return memoized;
  const code = buildBundle(file, projectDirOf(file));
  // The temp name only keeps two files apart; it never reaches the synthesized JSON.
  const bundle = packageBundle(`user-${createHash('sha256').update(file).digest('hex').slice(0, 16)}`, code);
  bundles.set(file, bundle);
  return bundle;
}
