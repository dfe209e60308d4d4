/**
 * The stand-in's transcoder: runs a job with ffmpeg from the job's own settings (no fixed recipe),
 * names the outputs as MediaConvert does, writes them through `io`, and sends the job's events
 * (PROGRESSING, STATUS_UPDATE, COMPLETE with what was really written, ERROR with MediaConvert's
 * code and message). A setting it does not understand fails the job loudly; every approximation is
 * listed in TRANSCODER_GAPS (../emulator-gaps.ts re-exports them).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkSettingsUnderstood } from './transcode-settings';
import { trickPlayPlaylistName, trickPlayTileName } from '../../../contracts/storage-layout';
import type { StubJob } from './store';

type Json = Record<string, unknown>;

/** Where the transcoder reads inputs and writes outputs (moto's S3 through an S3 client, in practice). */
export interface TranscodeIo {
  read(bucket: string, key: string): Promise<Uint8Array>;
  write(bucket: string, key: string, body: Uint8Array, contentType: string): Promise<void>;
}

/** Receives each EventBridge event the job sends ("MediaConvert Job State Change"). */
export type JobEventSink = (event: Json) => void | Promise<void>;

export interface TranscodeOptions {
  readonly io: TranscodeIo;
  readonly onEvent: JobEventSink;
  /** Seconds between STATUS_UPDATE events at most. @default 1 (MediaConvert's minimum is 10; short jobs would send none) */
  readonly statusUpdateSeconds?: number;
  /** x264 preset: speed over quality on a shared machine (superfast keeps CABAC and 8x8 transforms: High profile). @default 'superfast' */
  readonly preset?: string;
}

/** A job failure as MediaConvert reports it in the ERROR event. */
export class JobFailure extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'JobFailure';
  }
}

/** MediaConvert's error codes the stand-in uses (user guide, "Error codes"). */
export const ERROR_CODES = { inputAccess: 1010, unsupportedInput: 1040, outputWrite: 3450, invalidSettings: 1030 } as const;

interface SourceInfo {
  readonly width: number;
  readonly height: number;
  /** Display rotation in degrees clockwise, from the display matrix. */
  readonly rotation: number;
  readonly fps: number;
  readonly fpsText: string;
  readonly durationSec: number;
  readonly hasAudio: boolean;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const rec = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);
const even = (x: number): number => Math.max(2, Math.round(x / 2) * 2);

function run(cmd: string, args: string[], onLine?: (line: string) => void): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      const text = d.toString();
      stdout += text;
      if (onLine) for (const line of text.split('\n')) onLine(line);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve({ stdout, stderr })
        : reject(new Error(`${cmd} exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`)),
    );
  });
}

async function ffprobeJson(file: string, extra: string[] = ['-show_streams', '-show_format']): Promise<Json> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-of', 'json', ...extra, file]);
  return JSON.parse(stdout) as Json;
}

function parseRate(text: string | undefined): number {
  const [n, d] = (text ?? '0/1').split('/').map(Number);
  return d ? (n ?? 0) / d : 0;
}

async function probeSource(file: string): Promise<SourceInfo> {
  let probe: Json;
  try {
    probe = await ffprobeJson(file);
  } catch (error) {
    // MediaConvert's wording for a file its demuxer cannot read.
    throw new JobFailure(
      ERROR_CODES.unsupportedInput,
      `Demuxer: [ReadPacketData File read failed - ${(error as Error).message.split(': ').pop()}]`,
    );
  }
  const streams = arr(probe.streams);
  const video = streams.find((s) => s.codec_type === 'video');
  if (!video) throw new JobFailure(ERROR_CODES.unsupportedInput, 'Unsupported input file: no video track found in input container');
  const sideData = arr(video.side_data_list).find((s) => typeof s.rotation === 'number');
  const rotation = (((-(num(sideData?.rotation) ?? 0) % 360) + 360) % 360) as number;
  const fpsText =
    str(video.avg_frame_rate) && str(video.avg_frame_rate) !== '0/0'
      ? (video.avg_frame_rate as string)
      : (str(video.r_frame_rate) ?? '30/1');
  return {
    width: num(video.width) ?? 0,
    height: num(video.height) ?? 0,
    rotation,
    fps: parseRate(fpsText),
    fpsText,
    durationSec: Number(str(rec(probe.format).duration) ?? str(video.duration) ?? 0),
    hasAudio: streams.some((s) => s.codec_type === 'audio'),
  };
}

/** The input's rotation handling: ffmpeg arguments and the frame size the filters see. */
function rotationOf(input: Json, source: SourceInfo): { args: string[]; filters: string[]; width: number; height: number } {
  const rotate = str(rec(input.videoSelector).rotate) ?? 'DEGREE_0';
  const degrees = rotate === 'AUTO' ? source.rotation : { DEGREE_0: 0, DEGREES_90: 90, DEGREES_180: 180, DEGREES_270: 270 }[rotate];
  if (degrees === undefined)
    throw new JobFailure(ERROR_CODES.invalidSettings, `mediaconvert-stub: videoSelector.rotate ${rotate} is not understood`);
  const filters = degrees === 90 ? ['transpose=1'] : degrees === 180 ? ['hflip', 'vflip'] : degrees === 270 ? ['transpose=2'] : [];
  const swap = degrees === 90 || degrees === 270;
  // MediaConvert never passes rotation metadata through: rotate explicitly, then write none.
  return { args: ['-noautorotate'], filters, width: swap ? source.height : source.width, height: swap ? source.width : source.height };
}

/** The scaled size and the filters of one output's `videoDescription` (ScalingBehavior as the API docs describe it). */
export function scaleFor(description: Json, from: { width: number; height: number }): { width: number; height: number; filters: string[] } {
  const w = num(description.width);
  const h = num(description.height);
  const behavior = str(description.scalingBehavior) ?? 'DEFAULT';
  if (w === undefined && h === undefined)
    return { width: even(from.width), height: even(from.height), filters: [`scale=${even(from.width)}:${even(from.height)}`] };
  if (w === undefined || h === undefined) {
    // One side blank: the other scales evenly from the input.
    const width = w ?? even((from.width * h!) / from.height);
    const height = h ?? even((from.height * w!) / from.width);
    return { width, height, filters: [`scale=${width}:${height}`] };
  }
  const fit = Math.min(w / from.width, h / from.height);
  switch (behavior) {
    case 'STRETCH_TO_OUTPUT':
      return { width: w, height: h, filters: [`scale=${w}:${h}`] };
    case 'FIT_NO_UPSCALE':
    case 'FIT': {
      const factor = behavior === 'FIT_NO_UPSCALE' ? Math.min(1, fit) : fit;
      const width = even(from.width * factor);
      const height = even(from.height * factor);
      return { width, height, filters: [`scale=${width}:${height}`] };
    }
    case 'FILL': {
      const cover = Math.max(w / from.width, h / from.height);
      return { width: w, height: h, filters: [`scale=${even(from.width * cover)}:${even(from.height * cover)}`, `crop=${w}:${h}`] };
    }
    case 'DEFAULT': {
      const width = even(from.width * fit);
      const height = even(from.height * fit);
      return { width: w, height: h, filters: [`scale=${width}:${height}`, `pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2`] };
    }
    default:
      throw new JobFailure(ERROR_CODES.invalidSettings, `mediaconvert-stub: scalingBehavior ${behavior} is not understood`);
  }
}

function preprocessFilters(description: Json): string[] {
  const pre = rec(description.videoPreprocessors);
  const filters: string[] = [];
  if (pre.deinterlacer !== undefined) {
    const mode = str(rec(pre.deinterlacer).mode) ?? 'DEINTERLACE';
    // ADAPTIVE leaves progressive frames alone, like yadif's deint=interlaced.
    filters.push(mode === 'ADAPTIVE' ? 'yadif=mode=send_frame:deint=interlaced' : 'yadif=mode=send_frame');
  }
  if (pre.colorCorrector !== undefined && (str(rec(pre.colorCorrector).colorSpaceConversion) ?? 'NONE') === 'FORCE_709') {
    // Approximation (listed): a BT.709 tone map through zscale, not MediaConvert's mappers.
    filters.push('zscale=t=linear:npl=100', 'format=gbrpf32le', 'zscale=p=bt709', 'tonemap=hable:desat=0', 'zscale=t=bt709:m=bt709:r=tv');
  } else if (pre.colorCorrector !== undefined) {
    throw new JobFailure(
      ERROR_CODES.invalidSettings,
      `mediaconvert-stub: colorCorrector.colorSpaceConversion ${String(rec(pre.colorCorrector).colorSpaceConversion)} is not understood`,
    );
  }
  return filters;
}

/** Output frame rate: SPECIFIED or the source's. */
function frameRateOf(h264: Json, source: SourceInfo): { fps: number; text: string; filters: string[] } {
  if (str(h264.framerateControl) === 'SPECIFIED') {
    const n = num(h264.framerateNumerator) ?? 30;
    const d = num(h264.framerateDenominator) ?? 1;
    return { fps: n / d, text: `${n}/${d}`, filters: [`fps=${n}/${d}`] };
  }
  return { fps: source.fps, text: source.fpsText, filters: [`fps=${source.fpsText}`] };
}

const QVBR_TO_CRF = (level: number): number => 38 - 2 * level;

function h264Args(h264: Json, fps: number, preset: string): string[] {
  const args = ['-c:v', 'libx264', '-preset', preset, '-pix_fmt', 'yuv420p'];
  const profile = str(h264.codecProfile) ?? 'MAIN';
  const profiles: Record<string, string> = { BASELINE: 'baseline', MAIN: 'main', HIGH: 'high' };
  if (!profiles[profile])
    throw new JobFailure(ERROR_CODES.invalidSettings, `mediaconvert-stub: h264Settings.codecProfile ${profile} is not understood`);
  args.push('-profile:v', profiles[profile]);
  const level = str(h264.codecLevel) ?? 'AUTO';
  if (level !== 'AUTO') args.push('-level:v', level.replace('LEVEL_', '').replace('_', '.'));
  const mode = str(h264.rateControlMode) ?? 'CBR';
  const max = num(h264.maxBitrate);
  const bitrate = num(h264.bitrate);
  if (mode === 'QVBR') {
    args.push('-crf', String(QVBR_TO_CRF(num(rec(h264.qvbrSettings).qvbrQualityLevel) ?? 7)));
    // The HRD buffer the job names, else twice the peak.
    if (max !== undefined) args.push('-maxrate', String(max), '-bufsize', String(num(h264.hrdBufferSize) ?? max * 2));
  } else if (mode === 'VBR' || mode === 'CBR') {
    const b = bitrate ?? 5_000_000;
    args.push('-b:v', String(b), '-maxrate', String(mode === 'CBR' ? b : (max ?? b)), '-bufsize', String(2 * (max ?? b)));
  } else throw new JobFailure(ERROR_CODES.invalidSettings, `mediaconvert-stub: h264Settings.rateControlMode ${mode} is not understood`);
  const units = str(h264.gopSizeUnits) ?? 'FRAMES';
  const size = num(h264.gopSize) ?? 90;
  const gopFrames = Math.max(1, Math.round(units === 'SECONDS' ? size * fps : size));
  const gopSeconds = gopFrames / fps;
  // Fixed GOPs so segments start on IDR frames (scene-change IDRs are an approximation left out).
  args.push('-g', String(gopFrames), '-keyint_min', String(gopFrames), '-sc_threshold', '0');
  args.push('-force_key_frames', `expr:gte(t,n_forced*${gopSeconds.toFixed(6)})`);
  if ((num(h264.gopClosedCadence) ?? 1) > 0) args.push('-flags', '+cgop');
  const bFrames = num(h264.numberBFramesBetweenReferenceFrames);
  if (bFrames !== undefined) args.push('-bf', String(bFrames));
  return args;
}

/**
 * libx265 Main10 for an HDR-ladder output: QVBR as CRF capped by MaxBitrate, closed fixed GOPs, the
 * tier and level asked, hvc1, and the source's HDR colour (and HDR10 mastering metadata) passed through.
 */
function h265Args(h265: Json, fps: number, hdr: HdrSignal): string[] {
  const profile = str(h265.codecProfile) ?? 'MAIN10_MAIN';
  if (!['MAIN10_MAIN', 'MAIN10_HIGH'].includes(profile))
    throw new JobFailure(ERROR_CODES.invalidSettings, `mediaconvert-stub: h265Settings.codecProfile ${profile} is not understood`);
  if (str(h265.rateControlMode) !== 'QVBR')
    throw new JobFailure(
      ERROR_CODES.invalidSettings,
      `mediaconvert-stub: h265Settings.rateControlMode ${String(h265.rateControlMode)} is not understood`,
    );
  const level = str(h265.codecLevel) ?? 'AUTO';
  const units = str(h265.gopSizeUnits) ?? 'FRAMES';
  const gopFrames = Math.max(1, Math.round(units === 'SECONDS' ? (num(h265.gopSize) ?? 2) * fps : (num(h265.gopSize) ?? 90)));
  const max = num(h265.maxBitrate) ?? 5_000_000;
  const params = [
    'log-level=error',
    'info=0',
    `keyint=${gopFrames}`,
    `min-keyint=${gopFrames}`,
    'scenecut=0',
    'open-gop=0',
    `bframes=${num(h265.numberBFramesBetweenReferenceFrames) ?? 2}`,
    `colorprim=bt2020`,
    `transfer=${hdr.transfer}`,
    'colormatrix=bt2020nc',
    ...(level !== 'AUTO' ? [`level-idc=${level.replace('LEVEL_', '').replace('_', '.')}`] : []),
    ...(profile === 'MAIN10_HIGH' ? ['high-tier=1'] : []),
    ...(hdr.masterDisplay ? ['hdr10=1', 'hdr10-opt=1', `master-display=${hdr.masterDisplay}`, `max-cll=${hdr.maxCll ?? '0,0'}`] : []),
  ];
  return [
    '-c:v',
    'libx265',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p10le',
    '-profile:v',
    'main10',
    '-crf',
    String(QVBR_TO_CRF(num(rec(h265.qvbrSettings).qvbrQualityLevel) ?? 7)),
    '-maxrate',
    String(max),
    '-bufsize',
    String(num(h265.hrdBufferSize) ?? max * 2),
    '-force_key_frames',
    `expr:gte(t,n_forced*${(gopFrames / fps).toFixed(6)})`,
    '-x265-params',
    params.join(':'),
    ...(str(h265.writeMp4PackagingType) === 'HVC1' ? ['-tag:v', 'hvc1'] : []),
    '-color_primaries',
    'bt2020',
    '-color_trc',
    hdr.transfer,
    '-colorspace',
    'bt2020nc',
  ];
}

/** The source's HDR colour as x265 writes it: transfer, and HDR10's static metadata when the source has it. */
interface HdrSignal {
  readonly transfer: 'smpte2084' | 'arib-std-b67';
  /** x265 `master-display` (G, B, R, WP in 0.00002 units, L in 0.0001 cd/m²). */
  readonly masterDisplay?: string;
  /** x265 `max-cll` (MaxCLL,MaxFALL). */
  readonly maxCll?: string;
}

/** Reads the source's transfer and first frame's HDR10 side data; undefined for SDR (an HEVC HDR output of it fails). */
async function hdrSignalOf(file: string): Promise<HdrSignal | undefined> {
  const streams = arr((await ffprobeJson(file, ['-show_streams', '-select_streams', 'v:0'])).streams);
  const transfer = str(streams[0]?.color_transfer);
  if (transfer !== 'smpte2084' && transfer !== 'arib-std-b67') return undefined;
  const frames = arr((await ffprobeJson(file, ['-show_frames', '-read_intervals', '%+#1', '-select_streams', 'v:0'])).frames);
  const side = arr(frames[0]?.side_data_list);
  const mastering = side.find((d) => d.side_data_type === 'Mastering display metadata');
  const light = side.find((d) => d.side_data_type === 'Content light level metadata');
  // ffprobe gives "n/d" with d = 50000 (chromaticity) or 10000 (luminance): the numerators are x265's units.
  const n = (key: string, scale: number) => {
    const [a, b] = String(mastering?.[key] ?? '0/1')
      .split('/')
      .map(Number);
    return Math.round(((a ?? 0) / (b || 1)) * scale);
  };
  const masterDisplay = mastering
    ? `G(${n('green_x', 50000)},${n('green_y', 50000)})B(${n('blue_x', 50000)},${n('blue_y', 50000)})R(${n('red_x', 50000)},${n('red_y', 50000)})WP(${n('white_point_x', 50000)},${n('white_point_y', 50000)})L(${n('max_luminance', 10000)},${n('min_luminance', 10000)})`
    : undefined;
  return {
    transfer,
    ...(masterDisplay ? { masterDisplay } : {}),
    ...(light ? { maxCll: `${num(light.max_content) ?? 0},${num(light.max_average) ?? 0}` } : {}),
  };
}

/** RFC 6381 string of an HEVC Main10 stream (hvc1.2.4.<tier><level>.90: progressive, frame-only constraint flags). */
export function hevcCodecString(level: number, highTier: boolean): string {
  return `hvc1.2.4.${highTier ? 'H' : 'L'}${level}.90`;
}

/**
 * Where an fMP4 media segment's first sample (its key frame) lies: from the start of its first
 * `moof` to the end of that sample (trun data offset, relative to the moof, plus the first sample's
 * size). Undefined when the segment has no such fragment.
 */
export function firstKeyFrameRange(bytes: Buffer): { offset: number; length: number } | undefined {
  const boxes = (from: number, to: number): { type: string; start: number; body: number; end: number }[] => {
    const found = [];
    for (let i = from; i + 8 <= to;) {
      const size = bytes.readUInt32BE(i);
      if (size < 8 || i + size > to) break;
      found.push({ type: bytes.toString('latin1', i + 4, i + 8), start: i, body: i + 8, end: i + size });
      i += size;
    }
    return found;
  };
  const moof = boxes(0, bytes.length).find((b) => b.type === 'moof');
  const traf = moof && boxes(moof.body, moof.end).find((b) => b.type === 'traf');
  if (!moof || !traf) return undefined;
  const children = boxes(traf.body, traf.end);
  const tfhd = children.find((b) => b.type === 'tfhd');
  const trun = children.find((b) => b.type === 'trun');
  if (!tfhd || !trun) return undefined;
  const tfhdFlags = bytes.readUInt32BE(tfhd.body) & 0xffffff;
  let at = tfhd.body + 8 + (tfhdFlags & 0x1 ? 8 : 0) + (tfhdFlags & 0x2 ? 4 : 0) + (tfhdFlags & 0x8 ? 4 : 0);
  const defaultSize = tfhdFlags & 0x10 ? bytes.readUInt32BE(at) : undefined;
  const trunFlags = bytes.readUInt32BE(trun.body) & 0xffffff;
  if (!(trunFlags & 0x1)) return undefined;
  const dataOffset = bytes.readInt32BE(trun.body + 8);
  at = trun.body + 12 + (trunFlags & 0x4 ? 4 : 0) + (trunFlags & 0x100 ? 4 : 0);
  const firstSize = trunFlags & 0x200 ? bytes.readUInt32BE(at) : defaultSize;
  if (firstSize === undefined) return undefined;
  return { offset: moof.start, length: dataOffset + firstSize };
}

/** HLS VIDEO-RANGE of a stream's transfer characteristic. */
export function videoRangeOf(transfer: string | undefined): 'PQ' | 'HLG' | 'SDR' {
  return transfer === 'smpte2084' ? 'PQ' : transfer === 'arib-std-b67' ? 'HLG' : 'SDR';
}

function audioArgs(outputAudio: Json[], input: Json, source: SourceInfo): { inputs: string[]; args: string[]; silence: boolean } {
  if (outputAudio.length === 0) return { inputs: [], args: ['-an'], silence: false };
  if (outputAudio.length > 1)
    throw new JobFailure(ERROR_CODES.invalidSettings, 'mediaconvert-stub: more than one audioDescription per output is not understood');
  const description = outputAudio[0]!;
  const codec = rec(description.codecSettings);
  if (str(codec.codec) !== 'AAC')
    throw new JobFailure(ERROR_CODES.invalidSettings, `mediaconvert-stub: audio codec ${String(codec.codec)} is not understood`);
  const aac = rec(codec.aacSettings);
  // HE-AAC (HEV1/HEV2) is encoded as AAC-LC at the same bitrate: Debian's ffmpeg has no HE-AAC encoder (TRANSCODER_GAPS).
  if (!['LC', 'HEV1', 'HEV2'].includes(str(aac.codecProfile) ?? 'LC'))
    throw new JobFailure(ERROR_CODES.invalidSettings, `mediaconvert-stub: AAC profile ${String(aac.codecProfile)} is not understood`);
  const channels = { CODING_MODE_1_0: 1, CODING_MODE_2_0: 2, CODING_MODE_1_1: 2 }[str(aac.codingMode) ?? 'CODING_MODE_2_0'];
  if (channels === undefined)
    throw new JobFailure(ERROR_CODES.invalidSettings, `mediaconvert-stub: AAC codingMode ${String(aac.codingMode)} is not understood`);
  const rate = num(aac.sampleRate) ?? 48_000;
  const encode = ['-c:a', 'aac', '-b:a', String(num(aac.bitrate) ?? 96_000), '-ar', String(rate), '-ac', String(channels)];
  const selectors = rec(input.audioSelectors);
  const selector = rec(selectors[str(description.audioSourceName) ?? 'Audio Selector 1']);
  const named = Object.keys(selector).length > 0 || Object.values(selectors).some((s) => str(rec(s).defaultSelection) === 'DEFAULT');
  if (named && !source.hasAudio) throw new JobFailure(ERROR_CODES.unsupportedInput, 'Audio track [1] not found in input container.');
  if (!named) {
    // No selector names a track: MediaConvert inserts silence (warning 240000).
    return {
      inputs: ['-f', 'lavfi', '-i', `anullsrc=r=${rate}:cl=${channels === 1 ? 'mono' : 'stereo'}`],
      args: ['-map', '1:a:0', '-shortest', ...encode],
      silence: true,
    };
  }
  // The first track the selector names (MediaConvert counts from 1); a remix to stereo is approximated by ffmpeg's downmix (TRANSCODER_GAPS).
  const track = Array.isArray(selector.tracks) && typeof selector.tracks[0] === 'number' ? selector.tracks[0] - 1 : 0;
  return { inputs: [], args: ['-map', `0:a:${track}?`, ...encode], silence: false };
}

/** `s3://bucket/prefix/base` → bucket, key prefix and base name (input basename when the destination ends with `/`). */
export function splitDestination(destination: string, inputUri: string): { bucket: string; dir: string; base: string } {
  const match = /^s3:\/\/([^/]+)\/(.*)$/.exec(destination);
  if (!match) throw new JobFailure(ERROR_CODES.invalidSettings, `mediaconvert-stub: destination ${destination} is not an s3:// URL`);
  const rest = match[2]!;
  const slash = rest.lastIndexOf('/');
  const dir = slash === -1 ? '' : rest.slice(0, slash + 1);
  const last = rest.slice(slash + 1);
  const base = last !== '' ? last : path.basename(inputUri).replace(/\.[^.]+$/, '');
  return { bucket: match[1]!, dir, base };
}

/** RFC 6381 codec string of an H.264 stream from ffprobe's profile and level. */
export function avcCodecString(profile: string, level: number): string {
  const [idc, constraint] = (
    { High: ['64', '00'], Main: ['4d', '40'], Baseline: ['42', '00'], 'Constrained Baseline': ['42', 'e0'] } as Record<
      string,
      [string, string]
    >
  )[profile] ?? ['64', '00'];
  return `avc1.${idc}${constraint}${level.toString(16).padStart(2, '0')}`;
}

const CONTENT_TYPES: Record<string, string> = {
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.ts': 'video/MP2T',
  '.mp4': 'video/mp4',
  '.cmfv': 'video/mp4',
  '.cmfa': 'audio/mp4',
  '.jpg': 'image/jpeg',
  '.vtt': 'text/vtt',
};

/** Runs one job to its end; never throws (a failure becomes the ERROR event). */
/** What every output group of one job is written from: the input, the probed source, where to work and how to report. */
interface GroupRun {
  readonly input: Json;
  readonly source: SourceInfo;
  readonly sourceFile: string;
  readonly outDir: string;
  readonly inputUri: string;
  readonly progress: (fraction: number) => Promise<void>;
  readonly finished: () => void;
}

export class Transcoder {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: TranscodeOptions,
    private readonly region: string,
    private readonly accountId: string,
  ) {}

  /** Queues the job: one at a time, as a queue with one slot runs them. */
  enqueue(job: StubJob): Promise<void> {
    this.chain = this.chain.then(() => this.runJob(job));
    return this.chain;
  }

  private event(job: StubJob, status: string, extra: Json = {}): Json {
    const now = Date.now();
    return {
      version: '0',
      id: `${job.id}-${status}-${now}`,
      'detail-type': 'MediaConvert Job State Change',
      source: 'aws.mediaconvert',
      account: this.accountId,
      time: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.region,
      resources: [job.arn],
      detail: {
        timestamp: now,
        accountId: this.accountId,
        queue: job.queue,
        jobId: job.id,
        status,
        userMetadata: job.userMetadata,
        ...extra,
      },
    };
  }

  private async send(job: StubJob, status: string, extra: Json = {}): Promise<void> {
    job.status = status === 'STATUS_UPDATE' ? 'PROGRESSING' : status;
    try {
      await this.options.onEvent(this.event(job, status, extra));
    } catch (error) {
      process.stderr.write(`mediaconvert-stub: delivering ${status} of ${job.id} failed: ${(error as Error).message}\n`);
    }
  }

  private async runJob(job: StubJob): Promise<void> {
    const work = mkdtempSync(path.join(tmpdir(), `mc-stub-${job.id}-`));
    const mutable = job;
    try {
      mutable.timing = { ...job.timing, startTime: Math.floor(Date.now() / 1000) };
      await this.send(job, 'PROGRESSING');
      const outputGroupDetails = await this.transcode(job, work);
      mutable.outputGroupDetails = outputGroupDetails;
      mutable.jobPercentComplete = 100;
      await this.send(job, 'COMPLETE', { outputGroupDetails, ...(this.warnings.length > 0 ? { warnings: this.warnings } : {}) });
    } catch (error) {
      const failure =
        error instanceof JobFailure ? error : new JobFailure(ERROR_CODES.outputWrite, `mediaconvert-stub: ${(error as Error).message}`);
      mutable.errorCode = failure.errorCode;
      mutable.errorMessage = failure.message;
      await this.send(job, 'ERROR', { errorCode: failure.errorCode, errorMessage: failure.message });
    } finally {
      mutable.timing = { ...mutable.timing, finishTime: Math.floor(Date.now() / 1000) };
      rmSync(work, { recursive: true, force: true });
    }
  }

  private warnings: { code: number; count: number }[] = [];

  private async transcode(job: StubJob, work: string): Promise<Json[]> {
    this.warnings = [];
    const settings = job.settings;
    const problems = checkSettingsUnderstood(settings);
    if (problems.length > 0)
      throw new JobFailure(ERROR_CODES.invalidSettings, `mediaconvert-stub does not understand: ${problems.join('; ')}`);
    const inputs = arr(settings.inputs);
    if (inputs.length !== 1) throw new JobFailure(ERROR_CODES.invalidSettings, 'mediaconvert-stub: exactly one input is understood');
    const input = inputs[0]!;
    const inputUri = str(input.fileInput) ?? '';
    const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(inputUri);
    if (!match) throw new JobFailure(ERROR_CODES.inputAccess, `Unable to open input file [${inputUri}]: not an s3:// URL`);
    const sourceFile = path.join(work, `input${path.extname(match[2]!)}`);
    try {
      writeFileSync(sourceFile, await this.options.io.read(match[1]!, match[2]!));
    } catch (error) {
      throw new JobFailure(
        ERROR_CODES.inputAccess,
        `Unable to open input file [${inputUri}]: [Failed probe/open: [${(error as Error).message}]]`,
      );
    }
    const source = await probeSource(sourceFile);

    const groups = arr(settings.outputGroups);
    const totalOutputs = groups.reduce((n, g) => n + arr(g.outputs).length, 0);
    let done = 0;
    let lastUpdate = 0;
    const progress = async (fraction: number): Promise<void> => {
      const percent = Math.min(99, Math.floor(((done + fraction) / totalOutputs) * 100));
      job.jobPercentComplete = percent;
      const now = Date.now();
      if (now - lastUpdate < (this.options.statusUpdateSeconds ?? 1) * 1000) return;
      lastUpdate = now;
      await this.send(job, 'STATUS_UPDATE', {
        framesDecoded: Math.round(source.fps * source.durationSec * ((done + fraction) / totalOutputs)),
        jobProgress: { phaseProgress: {}, jobPercentComplete: percent, currentPhase: 'TRANSCODING', retryCount: 0 },
      });
    };

    const details: Json[] = [];
    for (const group of groups) {
      const groupSettings = rec(group.outputGroupSettings);
      const type = str(groupSettings.type);
      const outDir = path.join(work, `group-${details.length}`);
      // Each group type: its settings member and the method that writes it.
      const kinds = {
        HLS_GROUP_SETTINGS: ['hlsGroupSettings', this.hlsGroup],
        CMAF_GROUP_SETTINGS: ['cmafGroupSettings', this.cmafGroup],
        FILE_GROUP_SETTINGS: ['fileGroupSettings', this.fileGroup],
      } as const;
      const kind = type !== undefined && type in kinds ? kinds[type as keyof typeof kinds] : undefined;
      if (kind === undefined)
        throw new JobFailure(ERROR_CODES.invalidSettings, `mediaconvert-stub: output group type ${String(type)} is not understood`);
      const [member, write] = kind;
      details.push(
        await write.call(this, rec(groupSettings[member]), arr(group.outputs), {
          input,
          source,
          sourceFile,
          outDir,
          inputUri,
          progress,
          finished: () => (done += 1),
        }),
      );
    }
    return details;
  }

  private async encode(args: string[], durationSec: number, progress: (fraction: number) => Promise<void>): Promise<void> {
    const updates: Promise<void>[] = [];
    try {
      await run('ffmpeg', ['-hide_banner', '-nostdin', '-y', '-v', 'error', '-progress', 'pipe:1', '-nostats', ...args], (line) => {
        const m = /^out_time_us=(\d+)/.exec(line);
        if (m && durationSec > 0) updates.push(progress(Math.min(1, Number(m[1]) / 1e6 / durationSec)));
      });
    } catch (error) {
      throw new JobFailure(ERROR_CODES.unsupportedInput, `Transcoding failed: ${(error as Error).message}`);
    }
    await Promise.all(updates);
  }

  /** The video filter chain and encoder arguments of one output. */
  /** The ffmpeg arguments every H.264 output shares (HLS variant or MP4): input, video map and filters, codec, audio, no metadata. */
  private h264EncodeArgs(plan: ReturnType<Transcoder['videoPlan']>, audio: ReturnType<typeof audioArgs>, sourceFile: string): string[] {
    return [
      ...plan.pre,
      '-i',
      sourceFile,
      ...audio.inputs,
      '-map',
      '0:v:0',
      '-vf',
      plan.filters.join(','),
      ...h264Args(rec(plan.codec.h264Settings), plan.fps, this.options.preset ?? 'superfast'),
      ...audio.args,
      '-map_metadata',
      '-1',
    ];
  }

  private videoPlan(
    description: Json,
    input: Json,
    source: SourceInfo,
  ): { pre: string[]; filters: string[]; width: number; height: number; fps: number; codec: Json } {
    const rotation = rotationOf(input, source);
    const scaled = scaleFor(description, rotation);
    const codec = rec(description.codecSettings);
    const h264 = rec(codec.h264Settings ?? codec.h265Settings);
    const rate = ['H_264', 'H_265'].includes(str(codec.codec) ?? '')
      ? frameRateOf(h264, source)
      : { fps: source.fps, filters: [] as string[] };
    const par =
      str(h264.parControl) === 'SPECIFIED' ? [`setsar=${num(h264.parNumerator) ?? 1}/${num(h264.parDenominator) ?? 1}`] : ['setsar=1/1'];
    return {
      pre: rotation.args,
      filters: [...preprocessFilters(description), ...rotation.filters, ...scaled.filters, ...rate.filters, ...par],
      width: scaled.width,
      height: scaled.height,
      fps: rate.fps,
      codec,
    };
  }

  private async upload(bucket: string, dir: string, localDir: string, names: string[]): Promise<void> {
    for (const name of names) {
      try {
        await this.options.io.write(
          bucket,
          `${dir}${name}`,
          readFileSync(path.join(localDir, name)),
          CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream',
        );
      } catch (error) {
        throw new JobFailure(
          ERROR_CODES.outputWrite,
          `Unable to write to output file [s3://${bucket}/${dir}${name}]: ${(error as Error).message}`,
        );
      }
    }
  }

  private async hlsGroup(hls: Json, outputs: Json[], group: GroupRun): Promise<Json> {
    const { input, source, sourceFile, outDir, inputUri, progress, finished } = group;
    const { bucket, dir, base } = splitDestination(str(hls.destination) ?? '', inputUri);
    const segmentLength = num(hls.segmentLength) ?? 10;
    const s3 = (name: string) => `s3://${bucket}/${dir}${name}`;
    const variants: {
      name: string;
      iframe?: string;
      peak: number;
      average: number;
      iframePeak: number;
      codecs: string;
      width: number;
      height: number;
      fps: number;
    }[] = [];
    const outputDetails: Json[] = [];
    const allFiles: string[] = [];
    mkdirSync(outDir, { recursive: true });
    for (const output of outputs) {
      const description = rec(output.videoDescription);
      const plan = this.videoPlan(description, input, source);
      if (str(plan.codec.codec) !== 'H_264')
        throw new JobFailure(ERROR_CODES.invalidSettings, `mediaconvert-stub: HLS codec ${String(plan.codec.codec)} is not understood`);
      const audio = audioArgs(arr(output.audioDescriptions), input, source);
      if (audio.silence) this.addWarning(240000);
      const name = `${base}${str(output.nameModifier) ?? ''}`;
      await this.encode(
        [
          ...this.h264EncodeArgs(plan, audio, sourceFile),
          '-f',
          'hls',
          '-hls_time',
          String(segmentLength),
          '-hls_playlist_type',
          'vod',
          '-hls_list_size',
          '0',
          '-start_number',
          '1',
          '-hls_flags',
          'independent_segments',
          '-hls_segment_filename',
          path.join(outDir, `${name}_%05d.ts`),
          path.join(outDir, `${name}.m3u8`),
        ],
        source.durationSec,
        progress,
      );
      finished();
      const segments = readdirSync(outDir)
        .filter((f) => f.startsWith(`${name}_`) && f.endsWith('.ts') && /_\d{5}\.ts$/.test(f))
        .sort();
      const playlist = readFileSync(path.join(outDir, `${name}.m3u8`), 'utf8');
      const durations = [...playlist.matchAll(/#EXTINF:([\d.]+)/g)].map((m) => Number(m[1]));
      if (str(hls.manifestDurationFormat) === 'INTEGER') {
        writeFileSync(
          path.join(outDir, `${name}.m3u8`),
          playlist.replace(/#EXTINF:([\d.]+)/g, (_, d: string) => `#EXTINF:${Math.round(Number(d))}`),
        );
      }
      const sizes = segments.map((f) => statSync(path.join(outDir, f)).size);
      const total = durations.reduce((a, b) => a + b, 0);
      const peak = Math.max(...sizes.map((s, i) => (s * 8) / (durations[i] || 1)));
      const average = (sizes.reduce((a, b) => a + b, 0) * 8) / (total || 1);
      const firstProbe = await ffprobeJson(path.join(outDir, segments[0]!));
      const videoStream = arr(firstProbe.streams).find((s) => s.codec_type === 'video') ?? {};
      const hasAudio = arr(firstProbe.streams).some((s) => s.codec_type === 'audio');
      const codecs = [
        avcCodecString(str(videoStream.profile) ?? 'High', num(videoStream.level) ?? 40),
        ...(hasAudio ? ['mp4a.40.2'] : []),
      ].join(',');
      let iframe: string | undefined;
      let iframePeak = 0;
      if (str(rec(rec(output.outputSettings).hlsSettings).iFrameOnlyManifest) === 'INCLUDE') {
        iframe = `${name}_I-Frame.m3u8`;
        iframePeak = await this.writeIFramePlaylist(outDir, segments, durations, iframe, segmentLength);
      }
      variants.push({
        name: `${name}.m3u8`,
        ...(iframe ? { iframe } : {}),
        peak,
        average,
        iframePeak,
        codecs,
        width: plan.width,
        height: plan.height,
        fps: plan.fps,
      });
      outputDetails.push({
        outputFilePaths: [s3(`${name}.m3u8`)],
        durationInMs: Math.round(total * 1000),
        videoDetails: { widthInPx: plan.width, heightInPx: plan.height },
      });
      allFiles.push(`${name}.m3u8`, ...segments, ...(iframe ? [iframe] : []));
    }
    const trickPlay =
      str(hls.imageBasedTrickPlay) === 'ADVANCED'
        ? await this.trickPlay(rec(hls.imageBasedTrickPlaySettings), variants, input, source, sourceFile, outDir, base, outputDetails)
        : undefined;
    const master = this.masterPlaylist(variants, hls, trickPlay?.streamInf);
    writeFileSync(path.join(outDir, `${base}.m3u8`), master);
    allFiles.push(...(trickPlay?.files ?? []), `${base}.m3u8`);
    await this.upload(bucket, dir, outDir, allFiles);
    return { type: 'HLS_GROUP', playlistFilePaths: [s3(`${base}.m3u8`)], outputDetails };
  }

  /**
   * ADVANCED image-based trick play: thumbnails every ThumbnailInterval seconds, scaled to ThumbnailWidth x
   * ThumbnailHeight (a blank height keeps the top variant's aspect), laid out TileWidth x TileHeight per
   * JPEG (a last, partial tile keeps its empty cells black), and an image media playlist (Image Media
   * Playlist spec 0.4, as Roku's trick mode reads it) named in the master by EXT-X-IMAGE-STREAM-INF.
   * Names and the COMPLETE report are not confirmed for MediaConvert (TRANSCODER_GAPS).
   */
  private async trickPlay(
    settings: Json,
    variants: readonly { width: number; height: number }[],
    input: Json,
    source: SourceInfo,
    sourceFile: string,
    outDir: string,
    base: string,
    outputDetails: readonly Json[],
  ): Promise<{ files: string[]; streamInf: string }> {
    const interval = num(settings.thumbnailInterval);
    const columns = num(settings.tileWidth);
    const rows = num(settings.tileHeight);
    if (interval === undefined || !(interval > 0) || columns === undefined || rows === undefined)
      throw new JobFailure(
        ERROR_CODES.invalidSettings,
        'mediaconvert-stub: ADVANCED trick play needs thumbnailInterval, tileWidth and tileHeight (defaults not confirmed)',
      );
    const top = [...variants].sort((a, b) => b.width * b.height - a.width * a.height)[0] ?? { width: 16, height: 9 };
    const width = num(settings.thumbnailWidth) ?? 312;
    const height = num(settings.thumbnailHeight) ?? even((width * top.height) / top.width);
    const durationSec = Math.max(0, ...outputDetails.map((d) => (num(d.durationInMs) ?? 0) / 1000));
    const count = Math.max(1, Math.ceil(durationSec / interval - 1e-9));
    const perTile = columns * rows;
    const tiles = Math.ceil(count / perTile);
    const rotation = rotationOf(input, source);
    // The last frame is held for one interval, so a thumbnail exists for every started interval.
    const filters = [
      ...rotation.filters,
      `tpad=stop_mode=clone:stop_duration=${interval}`,
      `fps=1/${interval}`,
      `scale=${width}:${height}`,
      'setsar=1',
      `tile=${columns}x${rows}`,
    ];
    const pattern = trickPlayTileName(base, 0).replace('.0000000.', '.%07d.');
    await run('ffmpeg', [
      '-hide_banner',
      '-nostdin',
      '-y',
      '-v',
      'error',
      ...rotation.args,
      '-i',
      sourceFile,
      '-map',
      '0:v:0',
      '-vf',
      filters.join(','),
      '-frames:v',
      String(tiles),
      '-q:v',
      '5',
      '-start_number',
      '0',
      path.join(outDir, pattern),
    ]).catch((error: Error) => {
      throw new JobFailure(ERROR_CODES.unsupportedInput, `Transcoding failed: ${error.message}`);
    });
    const names = Array.from({ length: tiles }, (_, i) => trickPlayTileName(base, i));
    const playlist = trickPlayPlaylistName(base);
    const tileSeconds = perTile * interval;
    const lines = [
      '#EXTM3U',
      `#EXT-X-TARGETDURATION:${Math.ceil(tileSeconds)}`,
      '#EXT-X-VERSION:7',
      '#EXT-X-MEDIA-SEQUENCE:1',
      '#EXT-X-PLAYLIST-TYPE:VOD',
      '#EXT-X-IMAGES-ONLY',
    ];
    for (const [i, name] of names.entries()) {
      const seconds = Math.min(tileSeconds, durationSec - i * tileSeconds);
      lines.push(
        `#EXTINF:${seconds.toFixed(3)},`,
        `#EXT-X-TILES:RESOLUTION=${width}x${height},LAYOUT=${columns}x${rows},DURATION=${interval.toFixed(3)}`,
        name,
      );
    }
    lines.push('#EXT-X-ENDLIST', '');
    writeFileSync(path.join(outDir, playlist), lines.join('\n'));
    const bytes = names.reduce((sum, name) => sum + statSync(path.join(outDir, name)).size, 0);
    const bandwidth = Math.round((bytes * 8) / Math.max(durationSec, 0.001));
    return {
      files: [...names, playlist],
      streamInf: `#EXT-X-IMAGE-STREAM-INF:BANDWIDTH=${bandwidth},RESOLUTION=${width * columns}x${height * rows},CODECS="jpeg",URI="${playlist}"`,
    };
  }

  private addWarning(code: number): void {
    const existing = this.warnings.find((w) => w.code === code);
    if (existing) existing.count += 1;
    else this.warnings.push({ code, count: 1 });
  }

  /** An EXT-X-I-FRAMES-ONLY playlist: byte ranges of each segment's key frames, over the same files. */
  private async writeIFramePlaylist(
    outDir: string,
    segments: string[],
    durations: number[],
    name: string,
    segmentLength: number,
  ): Promise<number> {
    const lines = [
      '#EXTM3U',
      '#EXT-X-VERSION:4',
      `#EXT-X-TARGETDURATION:${Math.ceil(Math.max(segmentLength, ...durations))}`,
      '#EXT-X-MEDIA-SEQUENCE:1',
      '#EXT-X-PLAYLIST-TYPE:VOD',
      '#EXT-X-I-FRAMES-ONLY',
    ];
    let peak = 0;
    for (const segment of segments) {
      const file = path.join(outDir, segment);
      const probe = await ffprobeJson(file, ['-show_packets', '-show_entries', 'packet=stream_index,pts_time,pos,size,flags']);
      const packets = arr(probe.packets)
        .filter((p) => p.pos !== undefined)
        .map((p) => ({ pos: Number(p.pos), pts: Number(p.pts_time), flags: String(p.flags), stream: Number(p.stream_index) }));
      packets.sort((a, b) => a.pos - b.pos);
      const keys = packets.filter((p) => p.flags.startsWith('K') && p.stream === 0).sort((a, b) => a.pts - b.pts);
      const fileSize = statSync(file).size;
      const segmentStart = Math.min(...packets.map((p) => p.pts));
      const segmentEnd = segmentStart + (durations[segments.indexOf(segment)] ?? segmentLength);
      for (const [i, key] of keys.entries()) {
        const next = packets.find((p) => p.pos > key.pos && p.stream === 0);
        // A TS packet is 188 bytes: a range starts on one.
        const start = key.pos - (key.pos % 188);
        const end = next ? next.pos - (next.pos % 188) : fileSize;
        const duration = (keys[i + 1]?.pts ?? segmentEnd) - key.pts;
        const length = Math.max(188, end - start);
        peak = Math.max(peak, (length * 8) / Math.max(duration, 0.001));
        lines.push(`#EXTINF:${Math.max(duration, 0.001).toFixed(5)},`, `#EXT-X-BYTERANGE:${length}@${start}`, segment);
      }
    }
    lines.push('#EXT-X-ENDLIST', '');
    writeFileSync(path.join(outDir, name), lines.join('\n'));
    return Math.round(peak);
  }

  private masterPlaylist(
    variants: {
      name: string;
      iframe?: string;
      peak: number;
      average: number;
      iframePeak: number;
      codecs: string;
      width: number;
      height: number;
      fps: number;
    }[],
    hls: Json,
    imageStreamInf?: string,
  ): string {
    const resolution = str(hls.streamInfResolution) !== 'EXCLUDE';
    const lines = ['#EXTM3U', '#EXT-X-VERSION:4', '#EXT-X-INDEPENDENT-SEGMENTS'];
    for (const v of variants) {
      const attrs = [
        `BANDWIDTH=${Math.round(v.peak)}`,
        `AVERAGE-BANDWIDTH=${Math.round(v.average)}`,
        `CODECS="${v.codecs}"`,
        ...(resolution ? [`RESOLUTION=${v.width}x${v.height}`] : []),
        `FRAME-RATE=${v.fps.toFixed(3)}`,
      ];
      lines.push(`#EXT-X-STREAM-INF:${attrs.join(',')}`, v.name);
    }
    for (const v of variants) {
      if (!v.iframe) continue;
      const codec = v.codecs.split(',')[0];
      lines.push(
        `#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=${v.iframePeak},CODECS="${codec}",${resolution ? `RESOLUTION=${v.width}x${v.height},` : ''}URI="${v.iframe}"`,
      );
    }
    if (imageStreamInf !== undefined) lines.push(imageStreamInf);
    return `${lines.join('\n')}\n`;
  }

  /**
   * A CMAF group as the HDR ladder uses it: each output video-only (H.264 or HEVC) or audio-only,
   * fMP4 segments (`<name>_<n>.cmfv|.cmfa` after `<name>_init.cmfv|.cmfa`), a media playlist per
   * output, and one HLS master: the audio as an EXT-X-MEDIA rendition, every video variant with its
   * CODECS (video + audio), VIDEO-RANGE from the encoded stream's transfer, and AUDIO group.
   */
  private async cmafGroup(cmaf: Json, outputs: Json[], group: GroupRun): Promise<Json> {
    const { input, source, sourceFile, outDir, inputUri, progress, finished } = group;
    const { bucket, dir, base } = splitDestination(str(cmaf.destination) ?? '', inputUri);
    const segmentLength = num(cmaf.segmentLength) ?? 10;
    const s3 = (name: string) => `s3://${bucket}/${dir}${name}`;
    mkdirSync(outDir, { recursive: true });
    const outputDetails: Json[] = [];
    const allFiles: string[] = [];
    const videos: {
      name: string;
      iframe?: { name: string; peak: number };
      peak: number;
      average: number;
      codecs: string;
      width: number;
      height: number;
      fps: number;
      range: string;
    }[] = [];
    let audio: { name: string; group: string; peak: number; average: number; codecs: string } | undefined;
    const hdr = await hdrSignalOf(sourceFile);
    for (const output of outputs) {
      const name = `${base}${str(output.nameModifier) ?? ''}`;
      const hasVideo = output.videoDescription !== undefined;
      const audioDescriptions = arr(output.audioDescriptions);
      if (hasVideo === audioDescriptions.length > 0)
        throw new JobFailure(ERROR_CODES.invalidSettings, `mediaconvert-stub: a CMAF output carries video or audio, not both (${name})`);
      const extension = hasVideo ? 'cmfv' : 'cmfa';
      let encodeArgs: string[];
      let plan: ReturnType<Transcoder['videoPlan']> | undefined;
      if (hasVideo) {
        plan = this.videoPlan(rec(output.videoDescription), input, source);
        const codec = str(plan.codec.codec);
        if (codec === 'H_264') encodeArgs = this.h264EncodeArgs(plan, audioArgs([], input, source), sourceFile);
        else if (codec === 'H_265') {
          if (hdr === undefined)
            throw new JobFailure(
              ERROR_CODES.invalidSettings,
              'mediaconvert-stub: an HEVC output of an SDR source is not understood (HDR ladder only)',
            );
          encodeArgs = [
            ...plan.pre,
            '-i',
            sourceFile,
            '-map',
            '0:v:0',
            '-vf',
            [...plan.filters, 'format=yuv420p10le'].join(','),
            ...h265Args(rec(plan.codec.h265Settings), plan.fps, hdr),
            '-an',
            '-map_metadata',
            '-1',
          ];
        } else throw new JobFailure(ERROR_CODES.invalidSettings, `mediaconvert-stub: CMAF codec ${String(codec)} is not understood`);
      } else {
        const args = audioArgs(audioDescriptions, input, source);
        if (args.silence) this.addWarning(240000);
        encodeArgs = ['-i', sourceFile, ...args.inputs, ...args.args, '-vn', '-map_metadata', '-1'];
      }
      await this.encode(
        [
          ...encodeArgs,
          '-f',
          'hls',
          '-hls_time',
          String(segmentLength),
          '-hls_playlist_type',
          'vod',
          '-hls_list_size',
          '0',
          '-start_number',
          '1',
          '-hls_flags',
          'independent_segments',
          '-hls_segment_type',
          'fmp4',
          '-hls_fmp4_init_filename',
          `${name}_init.${extension}`,
          '-hls_segment_filename',
          path.join(outDir, `${name}_%05d.${extension}`),
          path.join(outDir, `${name}.m3u8`),
        ],
        source.durationSec,
        progress,
      );
      finished();
      const segments = readdirSync(outDir)
        .filter((f) => f.startsWith(`${name}_`) && new RegExp(`_\\d{5}\\.${extension}$`).test(f))
        .sort();
      const playlist = readFileSync(path.join(outDir, `${name}.m3u8`), 'utf8');
      const durations = [...playlist.matchAll(/#EXTINF:([\d.]+)/g)].map((m) => Number(m[1]));
      const sizes = segments.map((f) => statSync(path.join(outDir, f)).size);
      const total = durations.reduce((a, b) => a + b, 0);
      const peak = Math.max(...sizes.map((size, i) => (size * 8) / (durations[i] || 1)));
      const average = (sizes.reduce((a, b) => a + b, 0) * 8) / (total || 1);
      allFiles.push(`${name}.m3u8`, `${name}_init.${extension}`, ...segments);
      if (plan) {
        // The init segment and the first media segment together are a playable file to probe.
        const probeFile = path.join(outDir, `${name}-probe.mp4`);
        writeFileSync(
          probeFile,
          Buffer.concat([readFileSync(path.join(outDir, `${name}_init.${extension}`)), readFileSync(path.join(outDir, segments[0]!))]),
        );
        const stream = arr((await ffprobeJson(probeFile)).streams).find((st) => st.codec_type === 'video') ?? {};
        const codecs =
          str(stream.codec_name) === 'hevc'
            ? hevcCodecString(
                num(stream.level) ?? 150,
                str(plan.codec.h265Settings && rec(plan.codec.h265Settings).codecProfile) === 'MAIN10_HIGH',
              )
            : avcCodecString(str(stream.profile) ?? 'High', num(stream.level) ?? 40);
        let iframe: { name: string; peak: number } | undefined;
        if (str(rec(rec(output.containerSettings).cmfcSettings).iFrameOnlyManifest) === 'INCLUDE') {
          iframe = { name: `${name}_I-Frame.m3u8`, peak: 0 };
          const lines = [
            '#EXTM3U',
            '#EXT-X-VERSION:7',
            `#EXT-X-TARGETDURATION:${Math.ceil(Math.max(segmentLength, ...durations))}`,
            '#EXT-X-MEDIA-SEQUENCE:1',
            '#EXT-X-PLAYLIST-TYPE:VOD',
            '#EXT-X-I-FRAMES-ONLY',
            `#EXT-X-MAP:URI="${name}_init.${extension}"`,
          ];
          for (const [i, segment] of segments.entries()) {
            const range = firstKeyFrameRange(readFileSync(path.join(outDir, segment)));
            if (range === undefined) continue;
            const duration = durations[i] ?? segmentLength;
            iframe.peak = Math.max(iframe.peak, Math.round((range.length * 8) / Math.max(duration, 0.001)));
            lines.push(`#EXTINF:${duration.toFixed(5)},`, `#EXT-X-BYTERANGE:${range.length}@${range.offset}`, segment);
          }
          lines.push('#EXT-X-ENDLIST', '');
          writeFileSync(path.join(outDir, iframe.name), lines.join('\n'));
          allFiles.push(iframe.name);
        }
        videos.push({
          name: `${name}.m3u8`,
          ...(iframe ? { iframe } : {}),
          peak,
          average,
          codecs,
          width: plan.width,
          height: plan.height,
          fps: plan.fps,
          range: videoRangeOf(str(stream.color_transfer)),
        });
        outputDetails.push({
          outputFilePaths: [s3(`${name}.m3u8`)],
          durationInMs: Math.round(total * 1000),
          videoDetails: { widthInPx: plan.width, heightInPx: plan.height },
        });
      } else {
        const group = str(rec(rec(output.containerSettings).cmfcSettings).audioGroupId) ?? 'program_audio';
        audio = { name: `${name}.m3u8`, group, peak, average, codecs: 'mp4a.40.2' };
        outputDetails.push({ outputFilePaths: [s3(`${name}.m3u8`)], durationInMs: Math.round(total * 1000) });
      }
    }
    const resolution = str(cmaf.streamInfResolution) !== 'EXCLUDE';
    const lines = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-INDEPENDENT-SEGMENTS'];
    if (audio)
      lines.push(
        `#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="${audio.group}",NAME="${audio.group}",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="${audio.name}"`,
      );
    for (const v of videos) {
      const attrs = [
        `BANDWIDTH=${Math.round(v.peak + (audio?.peak ?? 0))}`,
        `AVERAGE-BANDWIDTH=${Math.round(v.average + (audio?.average ?? 0))}`,
        `CODECS="${[v.codecs, ...(audio ? [audio.codecs] : [])].join(',')}"`,
        ...(resolution ? [`RESOLUTION=${v.width}x${v.height}`] : []),
        `FRAME-RATE=${v.fps.toFixed(3)}`,
        `VIDEO-RANGE=${v.range}`,
        ...(audio ? [`AUDIO="${audio.group}"`] : []),
      ];
      lines.push(`#EXT-X-STREAM-INF:${attrs.join(',')}`, v.name);
    }
    for (const v of videos) {
      if (!v.iframe) continue;
      const size = resolution ? `RESOLUTION=${v.width}x${v.height},` : '';
      lines.push(
        `#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=${v.iframe.peak},CODECS="${v.codecs}",${size}VIDEO-RANGE=${v.range},URI="${v.iframe.name}"`,
      );
    }
    writeFileSync(path.join(outDir, `${base}.m3u8`), `${lines.join('\n')}\n`);
    allFiles.push(`${base}.m3u8`);
    await this.upload(bucket, dir, outDir, allFiles);
    return { type: 'CMAF_GROUP', playlistFilePaths: [s3(`${base}.m3u8`)], outputDetails };
  }

  private async fileGroup(file: Json, outputs: Json[], group: GroupRun): Promise<Json> {
    const { input, source, sourceFile, outDir, inputUri, progress, finished } = group;
    const { bucket, dir, base } = splitDestination(str(file.destination) ?? '', inputUri);
    const s3 = (name: string) => `s3://${bucket}/${dir}${name}`;
    mkdirSync(outDir, { recursive: true });
    const outputDetails: Json[] = [];
    for (const output of outputs) {
      const description = rec(output.videoDescription);
      const plan = this.videoPlan(description, input, source);
      const container = str(rec(output.containerSettings).container);
      const name = `${base}${str(output.nameModifier) ?? ''}`;
      if (container === 'MP4') {
        if (str(plan.codec.codec) !== 'H_264')
          throw new JobFailure(ERROR_CODES.invalidSettings, `mediaconvert-stub: MP4 codec ${String(plan.codec.codec)} is not understood`);
        const audio = audioArgs(arr(output.audioDescriptions), input, source);
        if (audio.silence) this.addWarning(240000);
        const moov = str(rec(rec(output.containerSettings).mp4Settings).moovPlacement) ?? 'PROGRESSIVE_DOWNLOAD';
        const extension = str(output.extension) ?? 'mp4';
        await this.encode(
          [
            ...this.h264EncodeArgs(plan, audio, sourceFile),
            ...(moov === 'PROGRESSIVE_DOWNLOAD' ? ['-movflags', '+faststart'] : []),
            path.join(outDir, `${name}.${extension}`),
          ],
          source.durationSec,
          progress,
        );
        finished();
        await this.upload(bucket, dir, outDir, [`${name}.${extension}`]);
        const probe = await ffprobeJson(path.join(outDir, `${name}.${extension}`));
        outputDetails.push({
          outputFilePaths: [s3(`${name}.${extension}`)],
          durationInMs: Math.round(Number(str(rec(probe.format).duration) ?? 0) * 1000),
          videoDetails: { widthInPx: plan.width, heightInPx: plan.height },
        });
      } else if (container === 'RAW' && str(plan.codec.codec) === 'FRAME_CAPTURE') {
        const capture = rec(plan.codec.frameCaptureSettings);
        const n = num(capture.framerateNumerator) ?? 1;
        const d = num(capture.framerateDenominator) ?? 1;
        const max = num(capture.maxCaptures) ?? 10_000_000;
        const quality = num(capture.quality) ?? 80;
        const filters = plan.filters.filter((f) => !f.startsWith('fps='));
        await this.encode(
          [
            ...plan.pre,
            '-i',
            sourceFile,
            '-map',
            '0:v:0',
            '-vf',
            [...filters, `fps=${n}/${d}:round=down`].join(','),
            '-frames:v',
            String(max),
            '-q:v',
            String(Math.round(31 - ((quality - 1) * 29) / 99)),
            '-start_number',
            '0',
            path.join(outDir, `${name}.%07d.jpg`),
          ],
          source.durationSec,
          progress,
        );
        finished();
        const images = readdirSync(outDir)
          .filter((f) => f.startsWith(`${name}.`) && /\.\d{7}\.jpg$/.test(f))
          .sort();
        await this.upload(bucket, dir, outDir, images);
        // Frame capture lists only the last image.
        outputDetails.push({
          outputFilePaths: [s3(images[images.length - 1] ?? `${name}.0000000.jpg`)],
          durationInMs: Math.round(source.durationSec * 1000),
          videoDetails: { widthInPx: plan.width, heightInPx: plan.height },
        });
      } else
        throw new JobFailure(
          ERROR_CODES.invalidSettings,
          `mediaconvert-stub: FILE_GROUP container ${String(container)} with codec ${String(plan.codec.codec)} is not understood`,
        );
    }
    return { type: 'FILE_GROUP', outputDetails };
  }
}
