/**
 * `npm run upload -- <file> [--env <env>] [--no-wait] [--json]`: the arguments and the checks that
 * need no AWS call. Every usage problem is an UploadUsageError (exit code 2) saying what to do.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { VIDEO_EXTENSIONS } from '../../../contracts/storage-layout';

/** A problem with what the user asked for: exit code 2, the message says what to do. */
export class UploadUsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UploadUsageError';
  }
}

export interface UploadArgs {
  readonly file: string;
  readonly env: string;
  readonly wait: boolean;
  readonly json: boolean;
}

export const UPLOAD_USAGE = 'usage: npm run upload -- <file> [--env <env>] [--no-wait] [--json]';

/** Parses argv (after `--`). @default env 'dev' */
export function parseUploadArgs(argv: readonly string[], defaultEnv = 'dev'): UploadArgs {
  const files: string[] = [];
  let env = defaultEnv;
  let wait = true;
  let json = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--env') {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UploadUsageError(`--env needs an environment name. ${UPLOAD_USAGE}`);
      env = value;
      i += 1;
    } else if (arg.startsWith('--env=')) env = arg.slice('--env='.length);
    else if (arg === '--no-wait') wait = false;
    else if (arg === '--json') json = true;
    else if (arg.startsWith('--')) throw new UploadUsageError(`unknown option ${arg}. ${UPLOAD_USAGE}`);
    else files.push(arg);
  }
  if (files.length !== 1) throw new UploadUsageError(`give exactly one file to upload. ${UPLOAD_USAGE}`);
  return { file: files[0]!, env, wait, json };
}

/** The file exists, is a file, and has a video extension the pipeline's notification covers. */
export function checkUploadFile(file: string): { path: string; size: number; name: string } {
  const resolved = path.resolve(file);
  if (!existsSync(resolved)) throw new UploadUsageError(`file not found: ${file}`);
  const stat = statSync(resolved);
  if (!stat.isFile()) throw new UploadUsageError(`not a file: ${file}`);
  const name = path.basename(resolved);
  const extension = path.extname(name).slice(1).toLowerCase();
  if (!(VIDEO_EXTENSIONS as readonly string[]).includes(extension)) {
    throw new UploadUsageError(
      `${name} is not a video by its extension (.${extension || '(none)'}); the pipeline takes ${VIDEO_EXTENSIONS.map((e) => `.${e}`).join(' ')}`,
    );
  }
  return { path: resolved, size: stat.size, name };
}
