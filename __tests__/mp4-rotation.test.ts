import { readMp4Rotation, rotationOfMatrix } from '../lambda-src/encoding/mp4-rotation';
import { MediaFixtureName, readMediaFixture, recordingReader } from './support/media-fixtures';

const ONE = 65536; // 1.0 in 16.16 fixed point

/** An ISO BMFF box: 32-bit size, type, payload. */
function box(type: string, ...payload: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(payload);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
}

/** A version 0 or 1 `tkhd` with the given matrix (a, b, c, d in 16.16). */
function tkhd(matrix: [number, number, number, number], version: 0 | 1 = 0): Uint8Array {
  const before = Buffer.alloc(version === 1 ? 52 : 40);
  before.writeUInt8(version, 0);
  const m = Buffer.alloc(36);
  [matrix[0], matrix[1], 0, matrix[2], matrix[3], 0, 0, 0, 1 << 30].forEach((v, i) => m.writeInt32BE(v, i * 4));
  return box('tkhd', before, m, Buffer.alloc(8));
}

function hdlr(handler: string): Uint8Array {
  const payload = Buffer.alloc(25);
  payload.write(handler, 8, 'latin1');
  return box('hdlr', payload);
}

function trak(handler: string, matrix: [number, number, number, number], sampleTableBytes = 0): Uint8Array {
  return box('trak', tkhd(matrix), box('mdia', box('mdhd', Buffer.alloc(24)), hdlr(handler), box('minf', Buffer.alloc(sampleTableBytes))));
}

const ftyp = box('ftyp', Buffer.from('qt  \0\0\0\0qt  ', 'latin1'));
const clockwise90: [number, number, number, number] = [0, ONE, -ONE, 0];
const identity: [number, number, number, number] = [ONE, 0, 0, ONE];

describe('rotationOfMatrix', () => {
  it.each([
    ['identity', 0, [ONE, 0, 0, ONE]],
    ['90 degrees clockwise (iPhone portrait)', 90, [0, ONE, -ONE, 0]],
    ['180 degrees (upside down)', 180, [-ONE, 0, 0, -ONE]],
    ['270 degrees clockwise', 270, [0, -ONE, ONE, 0]],
    ['half a degree off 90 (snapped, as MediaConvert does within one degree)', 90, [572, ONE, -ONE, 572]],
    ['45 degrees (MediaConvert applies no rotation)', 0, [46341, 46341, -46341, 46341]],
    ['a horizontal mirror (not a rotation)', 0, [-ONE, 0, 0, ONE]],
    ['a scaled 90-degree rotation', 90, [0, 2 * ONE, -2 * ONE, 0]],
  ] as const)('reads %s as %i degrees', (_case, expected, [a, b, c, d]) => {
    expect(rotationOfMatrix(a, b, c, d)).toBe(expected);
  });
});

describe('readMp4Rotation', () => {
  it.each<[MediaFixtureName, number, number]>([
    // [fixture, rotation, at most this many reads]
    ['phone-portrait-rotated.mov', 90, 2],
    ['portrait-720x1280.mp4', 0, 1],
    ['1080p60.mp4', 0, 1],
    ['webcam-640x480.mp4', 0, 2],
    ['iphone-hlg-hevc.mov', 0, 2],
    ['hdv-anamorphic-1440x1080.mp4', 0, 2],
    ['silent-720p.mp4', 0, 2],
  ])('reads %s as %i degrees in at most %i ranged reads', async (name, rotation, maxReads) => {
    // Prepare
    const file = readMediaFixture(name);
    const { readRange, calls } = recordingReader(file);

    // Act
    const reading = await readMp4Rotation(readRange, file.length);

    // Assess
    expect(reading.rotation).toBe(rotation);
    expect(calls.length).toBeLessThanOrEqual(maxReads);
    expect(reading.bytes).toBeLessThanOrEqual(64 * 1024);
  });

  it('finds a moov that sits after 5 GiB of mdat (64-bit box size) in three small reads', async () => {
    // Prepare: ftyp, an mdat with a largesize header, then the moov; the mdat is never read.
    const mdatSize = 5 * 2 ** 30;
    const mdatHeader = Buffer.alloc(16);
    mdatHeader.writeUInt32BE(1, 0);
    mdatHeader.write('mdat', 4, 'latin1');
    mdatHeader.writeUInt32BE(Math.floor(mdatSize / 2 ** 32), 8);
    mdatHeader.writeUInt32BE(mdatSize % 2 ** 32, 12);
    const moov = box('moov', box('mvhd', Buffer.alloc(100)), trak('soun', identity, 200_000), trak('vide', clockwise90));
    const moovAt = ftyp.length + mdatSize;
    const size = moovAt + moov.length;
    const calls: [number, number][] = [];
    const readRange = async (start: number, end: number) => {
      calls.push([start, end]);
      const out = Buffer.alloc(end - start);
      const head = Buffer.concat([ftyp, mdatHeader]);
      if (start < head.length) head.copy(out, 0, start, Math.min(end, head.length));
      if (end > moovAt) Buffer.from(moov).copy(out, Math.max(0, moovAt - start), Math.max(0, start - moovAt), end - moovAt);
      return out;
    };

    // Act
    const reading = await readMp4Rotation(readRange, size);

    // Assess: the start, the moov start, and the video trak past the audio trak's 200 KB of sample tables.
    expect(reading.rotation).toBe(90);
    expect(calls.length).toBe(3);
    expect(calls.every(([start, end]) => end - start <= 32 * 1024)).toBe(true);
  });

  it('reads the matrix of a version 1 tkhd', async () => {
    const file = Buffer.concat([ftyp, box('moov', box('trak', tkhd(clockwise90, 1), box('mdia', hdlr('vide'))))]);

    const reading = await readMp4Rotation(recordingReader(file).readRange, file.length);

    expect(reading.rotation).toBe(90);
  });

  it('takes the rotation of the video track, not of a track before it', async () => {
    const file = Buffer.concat([ftyp, box('moov', trak('soun', clockwise90), trak('vide', identity))]);

    const reading = await readMp4Rotation(recordingReader(file).readRange, file.length);

    expect(reading.rotation).toBe(0);
  });

  it.each([
    ['random bytes named .mp4', readMediaFixture('not-a-video.mp4'), /^(malformed|no-moov)$/],
    ['a file without moov', Buffer.concat([ftyp, box('mdat', Buffer.alloc(100))]), /^no-moov$/],
    ['a moov without a video track', Buffer.concat([ftyp, box('moov', trak('soun', identity))]), /^no-video-track$/],
    ['a box whose size runs past the end', Buffer.concat([ftyp, box('moov', trak('vide', clockwise90))]).subarray(0, 60), /^malformed$/],
    ['a box smaller than its header', Buffer.concat([ftyp, Buffer.from([0, 0, 0, 4, 0x66, 0x72, 0x65, 0x65])]), /^malformed$/],
  ])('answers "unknown" with a reason for %s', async (_case, file, reason) => {
    const reading = await readMp4Rotation(recordingReader(file).readRange, file.length);

    expect(reading.rotation).toBeUndefined();
    expect(reading.rotation === undefined && reading.reason).toMatch(reason);
  });

  it('stops at the read bound when boxes are scattered, instead of reading on', async () => {
    // Prepare: top-level free boxes of 40 KB each, so every header is a new read.
    const free = box('free', Buffer.alloc(40 * 1024));
    const file = Buffer.concat([ftyp, ...Array.from({ length: 10 }, () => free), box('moov', trak('vide', clockwise90))]);
    const { readRange, calls } = recordingReader(file);

    // Act
    const reading = await readMp4Rotation(readRange, file.length, { maxReads: 4 });

    // Assess
    expect(reading).toEqual(expect.objectContaining({ rotation: undefined, reason: 'limit' }));
    expect(calls).toHaveLength(4);
  });

  it('stops at the byte budget', async () => {
    const file = readMediaFixture('phone-portrait-rotated.mov');

    const reading = await readMp4Rotation(recordingReader(file).readRange, file.length, { maxBytes: 34 * 1024 });

    expect(reading).toEqual(expect.objectContaining({ rotation: undefined, reason: 'limit' }));
    expect(reading.bytes).toBeLessThanOrEqual(34 * 1024);
  });

  it('lets an error of the reader propagate, so a transient S3 failure is retried', async () => {
    const failing = async () => {
      throw new Error('SlowDown');
    };

    await expect(readMp4Rotation(failing, 1000)).rejects.toThrow(/SlowDown/);
  });
});
