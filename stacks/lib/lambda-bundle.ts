import { buildSync } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from './project-paths';
import { createDeterministicZip } from './zip';

/** Where handler sources live; each subdirectory with an index.ts is one function. */
export const LAMBDA_SOURCE_DIR = path.join(PROJECT_ROOT, 'lambda-src');

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

/**
 * A temp directory for this process's bundles and zips, removed when the process exits:
 * synth copies assets into its output, so nothing needs them afterwards.
 */
function processTempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vod-lambda-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .sort();
}

/** Hash of the handler sources, the lockfile (the dependencies) and the options version. */
function bundleCacheKey(entry: string): string {
  const hash = createHash('sha256').update(`${BUNDLE_OPTIONS_VERSION}\0${entry}\0`);
  for (const file of [...sourceFiles(LAMBDA_SOURCE_DIR), path.join(PROJECT_ROOT, 'package-lock.json')]) {
    hash.update(path.relative(PROJECT_ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 32);
}

function buildBundle(entryFile: string): Buffer {
  const result = buildSync({
    entryPoints: [entryFile],
    absWorkingDir: PROJECT_ROOT,
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
 * Bundles `lambda-src/<entry>/index.ts` with esbuild for Node 22: minified, no source
 * paths, no timestamps, so two machines produce the same bytes. Memoized per process (every
 * environment packages the same code) and cached on disk by a hash of sources and lockfile,
 * since esbuild takes ~0.35 s per handler.
 */
export function bundleLambda(entry: string): LambdaBundle {
  const memoized = bundles.get(entry);
  if (memoized) return memoized;

  const entryFile = path.join(LAMBDA_SOURCE_DIR, entry, 'index.ts');
  if (!existsSync(entryFile)) {
    throw new Error(`Lambda entry "${entry}" has no handler at lambda-src/${entry}/index.ts; create it or fix the entry name.`);
  }
  const cached = path.join(CACHE_DIR, bundleCacheKey(entry), 'index.js');
  let code: Buffer;
  if (existsSync(cached)) {
    code = readFileSync(cached);
  } else {
    code = buildBundle(entryFile);
    mkdirSync(path.dirname(cached), { recursive: true });
    writeFileSync(cached, code);
  }

  workDir ??= processTempDir();
  const directory = path.join(workDir, entry);
  mkdirSync(directory, { recursive: true });
  writeFileSync(path.join(directory, 'index.js'), code);
  const zip = createDeterministicZip([{ name: 'index.js', data: code }]);
  const zipFile = path.join(workDir, `${entry}.zip`);
  writeFileSync(zipFile, zip);

  const bundle: LambdaBundle = {
    directory,
    zipFile,
    zipSha256: createHash('sha256').update(zip).digest('base64'),
    bytes: code.length,
  };
  bundles.set(entry, bundle);
  return bundle;
}
