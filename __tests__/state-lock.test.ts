import { readFileSync } from 'node:fs';
import path from 'node:path';
import { StateLockedError, parseStateLockError, s3LockfileOf } from '../scripts/lib/state-lock';

// Real output of terraform 1.11.4 when a second run meets an S3 lockfile (use_lockfile) held by a first.
const REAL_LOCK_ERROR = readFileSync(path.join(__dirname, 'fixtures', 'terraform', 'state-lock-error.txt'), 'utf8');

describe('parseStateLockError', () => {
  it.each([
    [
      'terraform 1.11 with an S3 lockfile',
      REAL_LOCK_ERROR,
      { id: 'aff44142-c955-805d-5fb8-70bc0c824622', path: 'state-b/p/x.tfstate', who: 'root@vm' },
    ],
    ['another failure', 'Error: Invalid provider configuration\n  ID: x', undefined],
    ['no output', '', undefined],
  ])('reads %s', (_name, output, expected) => {
    const lock = parseStateLockError(output);

    if (expected === undefined) expect(lock).toBeUndefined();
    else expect(lock).toEqual(expect.objectContaining(expected));
  });
});

describe('StateLockedError', () => {
  it('names the stack, the lockfile, the holder and the way out', () => {
    const error = new StateLockedError('vod-dev', parseStateLockError(REAL_LOCK_ERROR)!);

    expect(s3LockfileOf('state-b/p/x.tfstate')).toBe('s3://state-b/p/x.tfstate.tflock');
    expect(error.message).toMatch(/^vod-dev: the state is locked by another run: lockfile s3:\/\/state-b\/p\/x\.tfstate\.tflock/);
    expect(error.message).toMatch(/held by root@vm/);
    expect(error.message).toMatch(/terraform force-unlock aff44142-c955-805d-5fb8-70bc0c824622/);
  });
});
