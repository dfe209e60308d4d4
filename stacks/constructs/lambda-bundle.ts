import { buildSync } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDeterministicZip } from './zip';

/** The repository root: lambda-src/ and node_modules/ live here. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
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

/**
 * Bundles `lambda-src/<entry>/index.ts` with esbuild for Node 22: minified, no source
 * paths, no timestamps, so two machines produce the same bytes. Memoized per process,
 * because every environment's stack packages the same code.
 */
export function bundleLambda(entry: string): LambdaBundle {
  const cached = bundles.get(entry);
  if (cached) return cached;

  const entryFile = path.join(LAMBDA_SOURCE_DIR, entry, 'index.ts');
  if (!existsSync(entryFile)) {
    throw new Error(`Lambda entry "${entry}" has no handler at lambda-src/${entry}/index.ts; create it or fix the entry name.`);
  }
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
  const code = Buffer.from(result.outputFiles[0]!.contents);

  workDir ??= mkdtempSync(path.join(os.tmpdir(), 'vod-lambda-'));
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
