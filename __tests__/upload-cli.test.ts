import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UploadUsageError, checkUploadFile, parseUploadArgs } from '../scripts/lib/upload/args';
import { outcomeOf } from '../scripts/lib/upload/follow';
import { formatBytes, progressBar } from '../scripts/lib/upload/progress';
import { resolveUploadTarget } from '../scripts/lib/upload/target';

describe('npm run upload: arguments', () => {
  it.each([
    [['a.mp4'], { file: 'a.mp4', env: 'dev', wait: true, json: false }],
    [['a.mp4', '--env', 'local', '--no-wait', '--json'], { file: 'a.mp4', env: 'local', wait: false, json: true }],
    [['--env=prod', 'a.mov'], { file: 'a.mov', env: 'prod', wait: true, json: false }],
  ])('%j parses to %j', (argv, expected) => {
    expect(parseUploadArgs(argv)).toEqual(expected);
  });

  it.each([
    [[], /give exactly one file/],
    [['a.mp4', 'b.mp4'], /give exactly one file/],
    [['a.mp4', '--env'], /--env needs an environment name/],
    [['a.mp4', '--fast'], /unknown option --fast/],
  ])('%j is a usage error (exit code 2): %p', (argv, message) => {
    expect(() => parseUploadArgs(argv)).toThrow(message);
    expect(() => parseUploadArgs(argv)).toThrow(UploadUsageError);
  });

  it('a missing file and a file that is not a video by its extension are usage errors naming the file', () => {
    // Prepare
    const dir = mkdtempSync(path.join(tmpdir(), 'upload-'));
    writeFileSync(path.join(dir, 'notes.txt'), 'x');
    // Act, Assess
    expect(() => checkUploadFile(path.join(dir, 'gone.mp4'))).toThrow(/file not found: .*gone\.mp4/);
    expect(() => checkUploadFile(path.join(dir, 'notes.txt'))).toThrow(/notes\.txt is not a video by its extension \(\.txt\)/);
    expect(new UploadUsageError('x').exitCode).toBe(2);
  });

  it('an unknown environment is a usage error listing the known ones', async () => {
    await expect(resolveUploadTarget('staging')).rejects.toThrow(/unknown environment "staging"; known: dev, prod, local/);
  });
});

describe('npm run upload: output', () => {
  it('a COMPLETE record becomes the --json document with every URL', () => {
    // Act
    const outcome = outcomeOf(
      'clip-0123456789ab',
      { status: 'COMPLETE', jobId: 'j1', outputs: { hls: { master: 'h' }, mp4: ['m'], poster: 'p' } },
      'player',
    );
    // Assess
    expect(outcome).toEqual({
      assetId: 'clip-0123456789ab',
      jobId: 'j1',
      status: 'COMPLETE',
      playback: { hls: 'h', mp4: 'm' },
      poster: 'p',
      player: 'player',
    });
  });

  it('an ERROR record carries MediaConvert code and message as the reason, and no player', () => {
    const outcome = outcomeOf('a-0123456789ab', { status: 'ERROR', jobId: 'j', error: { code: 1040, message: 'Demuxer: bad' } }, 'player');
    expect(outcome).toMatchObject({ status: 'ERROR', player: null, reason: '1040 Demuxer: bad' });
  });

  it.each([
    [0, 100, 0, /^\[\.{24}\]   0%  0 B \/ 100 B  0 B\/s  ETA --$/],
    [50 * 1024 * 1024, 100 * 1024 * 1024, 10, /^\[#{12}\.{12}\]  50%  50\.0 MiB \/ 100\.0 MiB  5\.0 MiB\/s  ETA 10s$/],
  ])('the bar for %i of %i bytes after %i s reads %p', (sent, total, elapsed, expected) => {
    expect(progressBar(sent, total, elapsed)).toMatch(expected);
  });

  it.each([
    [512, '512 B'],
    [1536, '1.5 KiB'],
    [3 * 1024 ** 3, '3.0 GiB'],
  ])('%i bytes read %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
