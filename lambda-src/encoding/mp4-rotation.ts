/**
 * The display rotation of an MP4/MOV file's video track, read from its `tkhd` matrix with a
 * few ranged reads, wherever the `moov` index sits (phones write it at the end, after `mdat`).
 *
 * Only box headers and the two small boxes that matter (`tkhd`, `hdlr`) are read: the walk
 * jumps over `mdat` and over each track's sample tables, so the bytes read do not grow with the
 * file. Reads are bounded in count and bytes; past a bound the answer is "unknown", never a hang.
 */

/** Reads bytes [start, end) of the object (end exclusive); may return fewer at the end of the file. */
export type ReadRange = (start: number, end: number) => Promise<Uint8Array>;

/** Clockwise display rotation in degrees, as MediaConvert's `Rotate: AUTO` applies it. */
export type Rotation = 0 | 90 | 180 | 270;

/** Bounds of one rotation read. */
export interface RotationReadLimits {
  /** At most this many calls of `readRange`. @default 6 */
  readonly maxReads?: number;
  /** At most this many bytes in all. @default 262144 (256 KiB) */
  readonly maxBytes?: number;
  /** Bytes asked for per read, so neighbouring headers come in one call. @default 32768 */
  readonly chunkBytes?: number;
}

/** What the header says, or why it could not say it. */
export type RotationReading =
  | {
      readonly rotation: Rotation;
      /** The video sample entry's `pasp` box (pixel aspect ratio), when it has one and it could be read within the bounds. */
      readonly pixelAspectRatio?: { readonly numerator: number; readonly denominator: number };
      readonly reads: number;
      readonly bytes: number;
    }
  | {
      readonly rotation: undefined;
      /** `no-moov`, `no-video-track`, `malformed` or `limit`, with a detail for the log. */
      readonly reason: 'no-moov' | 'no-video-track' | 'malformed' | 'limit';
      readonly detail: string;
      readonly reads: number;
      readonly bytes: number;
    };

const DEFAULT_LIMITS: Required<RotationReadLimits> = { maxReads: 6, maxBytes: 256 * 1024, chunkBytes: 32 * 1024 };
/** Boxes visited at most: a file of thousands of tiny boxes is not a phone video. */
const MAX_BOXES = 512;
const FIXED_16_16 = 65536;

class RotationReadStop extends Error {
  constructor(
    readonly reason: 'malformed' | 'limit',
    message: string,
  ) {
    super(message);
    this.name = 'RotationReadStop';
  }
}

/** Reads through `readRange` in chunks, caching what it has, and counting reads and bytes. */
class ChunkedReader {
  reads = 0;
  bytes = 0;
  private readonly chunks: { start: number; data: Uint8Array }[] = [];

  constructor(
    private readonly readRange: ReadRange,
    readonly size: number,
    private readonly limits: Required<RotationReadLimits>,
  ) {}

  /** `length` bytes at `offset`, from the cache or one more read. */
  async at(offset: number, length: number): Promise<DataView> {
    if (offset < 0 || length < 0 || offset + length > this.size) {
      throw new RotationReadStop('malformed', `a box reaches past the end of the file (${offset}+${length} > ${this.size})`);
    }
    const cached = this.chunks.find((c) => offset >= c.start && offset + length <= c.start + c.data.length);
    if (cached) return new DataView(cached.data.buffer, cached.data.byteOffset + offset - cached.start, length);
    const want = Math.min(this.size - offset, Math.max(length, this.limits.chunkBytes));
    if (this.reads + 1 > this.limits.maxReads || this.bytes + want > this.limits.maxBytes) {
      throw new RotationReadStop(
        'limit',
        `reading ${want} bytes at ${offset} would pass ${this.limits.maxReads} reads or ${this.limits.maxBytes} bytes`,
      );
    }
    this.reads += 1;
    this.bytes += want;
    const data = await this.readRange(offset, offset + want);
    if (data.length < length) throw new RotationReadStop('malformed', `asked for ${want} bytes at ${offset}, got ${data.length}`);
    this.chunks.push({ start: offset, data });
    return new DataView(data.buffer, data.byteOffset, length);
  }
}

interface Box {
  readonly type: string;
  /** Offset of the box's payload (after the header). */
  readonly body: number;
  /** Offset just past the box. */
  readonly end: number;
}

function fourcc(view: DataView, at: number): string {
  return String.fromCharCode(view.getUint8(at), view.getUint8(at + 1), view.getUint8(at + 2), view.getUint8(at + 3));
}

/** The boxes between `start` and `end`, one header read each (mostly served from the cache). */
async function* boxesIn(reader: ChunkedReader, start: number, end: number, visited: { count: number }): AsyncGenerator<Box> {
  let offset = start;
  while (offset + 8 <= end) {
    visited.count += 1;
    if (visited.count > MAX_BOXES) throw new RotationReadStop('limit', `more than ${MAX_BOXES} boxes before the video track header`);
    const header = await reader.at(offset, 8);
    let size = header.getUint32(0);
    const type = fourcc(header, 4);
    let headerSize = 8;
    if (size === 1) {
      const large = await reader.at(offset + 8, 8);
      size = large.getUint32(0) * 2 ** 32 + large.getUint32(4);
      headerSize = 16;
    } else if (size === 0) {
      size = end - offset; // "to the end of the file": only legal for the last box
    }
    if (size < headerSize || offset + size > end) {
      throw new RotationReadStop('malformed', `box "${type}" at ${offset} has size ${size}, outside its parent (ends at ${end})`);
    }
    yield { type, body: offset + headerSize, end: offset + size };
    offset += size;
  }
}

async function findChild(reader: ChunkedReader, parent: Box, type: string, visited: { count: number }): Promise<Box | undefined> {
  for await (const box of boxesIn(reader, parent.body, parent.end, visited)) if (box.type === type) return box;
  return undefined;
}

/**
 * The clockwise rotation of a `tkhd` matrix `[a b u; c d v; x y w]` (16.16 fixed point), snapped to
 * 0/90/180/270 when within one degree, as MediaConvert's Rotate AUTO does. A mirrored, sheared or
 * odd-angle matrix gets 0: MediaConvert applies no rotation for it either.
 */
export function rotationOfMatrix(a: number, b: number, c: number, d: number): Rotation {
  const [fa, fb, fc, fd] = [a, b, c, d].map((n) => n / FIXED_16_16) as [number, number, number, number];
  const determinant = fa * fd - fb * fc;
  if (determinant <= 0) return 0;
  // (x, y) maps to (a·x + c·y, b·x + d·y); with y pointing down, atan2(b, a) is clockwise.
  const degrees = ((Math.atan2(fb, fa) * 180) / Math.PI + 360) % 360;
  for (const candidate of [0, 90, 180, 270, 360] as const) {
    if (Math.abs(degrees - candidate) <= 1) return (candidate % 360) as Rotation;
  }
  return 0;
}

async function tkhdRotation(reader: ChunkedReader, tkhd: Box): Promise<Rotation> {
  const version = (await reader.at(tkhd.body, 1)).getUint8(0);
  // version/flags, times, track id, reserved, duration, reserved, layer, group, volume, reserved: 40 or 52 bytes.
  const matrixAt = tkhd.body + (version === 1 ? 52 : 40);
  if (matrixAt + 36 > tkhd.end) throw new RotationReadStop('malformed', `tkhd at ${tkhd.body} is too short for its matrix`);
  const m = await reader.at(matrixAt, 36);
  return rotationOfMatrix(m.getInt32(0), m.getInt32(4), m.getInt32(12), m.getInt32(16));
}

/** A visual sample entry's fixed fields before its child boxes (ISO/IEC 14496-12 VisualSampleEntry). */
const VISUAL_SAMPLE_ENTRY_FIELDS = 78;

/**
 * The `pasp` box of the track's first sample entry (`mdia/minf/stbl/stsd/<avc1|hvc1|apch…>/pasp`):
 * the fallback when Probe gives no aspect ratio. Undefined when absent, 1:1, or not readable within
 * the read bounds (the rotation is still returned then).
 */
async function paspOf(reader: ChunkedReader, trak: Box, visited: { count: number }) {
  try {
    let box: Box | undefined = trak;
    for (const type of ['mdia', 'minf', 'stbl', 'stsd']) box = box && (await findChild(reader, box, type, visited));
    if (!box || box.body + 16 > box.end) return undefined;
    const entry = { type: 'entry', body: box.body + 8, end: box.end }; // after version/flags and entry_count
    const [first] = await (async () => {
      for await (const b of boxesIn(reader, entry.body, entry.end, visited)) return [b];
      return [];
    })();
    if (!first || first.body + VISUAL_SAMPLE_ENTRY_FIELDS > first.end) return undefined;
    const pasp = await findChild(
      reader,
      { type: first.type, body: first.body + VISUAL_SAMPLE_ENTRY_FIELDS, end: first.end },
      'pasp',
      visited,
    );
    if (!pasp || pasp.body + 8 > pasp.end) return undefined;
    const view = await reader.at(pasp.body, 8);
    const numerator = view.getUint32(0);
    const denominator = view.getUint32(4);
    return numerator > 0 && denominator > 0 && numerator !== denominator ? { numerator, denominator } : undefined;
  } catch (error) {
    if (error instanceof RotationReadStop) return undefined;
    throw error;
  }
}

/** The handler type of a track (`vide`, `soun`…), from `trak/mdia/hdlr`. */
async function handlerType(reader: ChunkedReader, trak: Box, visited: { count: number }): Promise<string | undefined> {
  const mdia = await findChild(reader, trak, 'mdia', visited);
  const hdlr = mdia && (await findChild(reader, mdia, 'hdlr', visited));
  if (!hdlr || hdlr.body + 12 > hdlr.end) return undefined;
  return fourcc(await reader.at(hdlr.body + 8, 4), 0); // after version/flags and pre_defined
}

/**
 * Reads the rotation of the first video track from an MP4/MOV header.
 *
 * A phone file (`ftyp`, `wide`, `mdat`, then `moov`) takes two reads: the start of the file,
 * then the `moov` past the `mdat` header; a faststart file usually one.
 *
 * @param readRange reads a byte range of the object (e.g. an S3 ranged GET).
 * @param size the object's size in bytes.
 * @returns the rotation, or `rotation: undefined` with the reason (no moov, no video track,
 *   a malformed box, or a bound reached). Errors of `readRange` itself propagate.
 */
export async function readMp4Rotation(readRange: ReadRange, size: number, limits: RotationReadLimits = {}): Promise<RotationReading> {
  const reader = new ChunkedReader(readRange, size, { ...DEFAULT_LIMITS, ...limits });
  const visited = { count: 0 };
  const counts = () => ({ reads: reader.reads, bytes: reader.bytes });
  try {
    let moov: Box | undefined;
    for await (const box of boxesIn(reader, 0, size, visited)) {
      if (box.type === 'moov') {
        moov = box;
        break;
      }
    }
    if (!moov) return { rotation: undefined, reason: 'no-moov', detail: 'no moov box at the top level', ...counts() };
    for await (const trak of boxesIn(reader, moov.body, moov.end, visited)) {
      if (trak.type !== 'trak' || (await handlerType(reader, trak, visited)) !== 'vide') continue;
      const tkhd = await findChild(reader, trak, 'tkhd', visited);
      if (!tkhd) return { rotation: undefined, reason: 'malformed', detail: 'the video track has no tkhd', ...counts() };
      const rotation = await tkhdRotation(reader, tkhd);
      const pixelAspectRatio = await paspOf(reader, trak, visited);
      return { rotation, ...(pixelAspectRatio ? { pixelAspectRatio } : {}), ...counts() };
    }
    return { rotation: undefined, reason: 'no-video-track', detail: 'moov has no track with a vide handler', ...counts() };
  } catch (error) {
    if (!(error instanceof RotationReadStop)) throw error;
    return { rotation: undefined, reason: error.reason, detail: error.message, ...counts() };
  }
}
