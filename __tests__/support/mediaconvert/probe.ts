/**
 * The stand-in's Probe: the REST-JSON `ProbeResult` for one file, derived from what ffprobe saw
 * of it (the fixture manifest, matched by sha256), never from numbers typed into a test.
 *
 * Mapping choices where the API reference is silent, kept deliberately plain:
 * - track `index` is ffprobe's stream index + 1 (MediaConvert numbers tracks from 1);
 * - `codecMetadata.scanType` is `Progressive` or `Interlaced`, `fieldOrder` `TopFieldFirst` or
 *   `BottomFieldFirst` (the model documents only the latter's values); both only for H.264, H.265
 *   and MPEG-2, as the model says they "might not be returned for other codecs" (ProRes, DV, VC-1);
 * - for MPEG-TS/PS the colour fields sit only under `codecMetadata`, as the model says;
 * - `rotation` is left out unless asked for: REFERENCE.md says Probe does not report it, while
 *   the 3.1169 model documents `videoProperties.rotation`. Code must work either way.
 * Bytes without a manifest entry are answered as the model documents an unrecognized format:
 * a result with a blank `container.format` and no tracks.
 */
import { createHash } from 'node:crypto';
import type { FfprobeOutput, FfprobeStream, MediaFixtureEntry } from '../media-fixtures';

type Json = Record<string, unknown>;

const CODECS: Record<string, string> = {
  h264: 'AVC',
  hevc: 'HEVC',
  av1: 'AV1',
  vp8: 'VP8',
  vp9: 'VP9',
  mpeg2video: 'MPEG2',
  mpeg1video: 'MPEG1',
  mpeg4: 'MP4V',
  prores: 'PRORES',
  mjpeg: 'MJPEG',
  dvvideo: 'DV',
  aac: 'AAC',
  ac3: 'AC3',
  eac3: 'EAC3',
  mp3: 'MP3',
  mp2: 'MP2',
  opus: 'OPUS',
  flac: 'FLAC',
  vorbis: 'VORBIS',
};
const PRIMARIES: Record<string, string> = { bt709: 'ITU_709', bt2020: 'ITU_2020', smpte170m: 'SMPTE_170M', bt470bg: 'ITU_470BG' };
const TRANSFERS: Record<string, string> = {
  bt709: 'ITU_709',
  'arib-std-b67': 'ARIB_B67',
  smpte2084: 'SMPTE_2084',
  smpte170m: 'SMPTE_170M',
  'iec61966-2-1': 'IEC_61966_2_1',
};
const MATRICES: Record<string, string> = { bt709: 'ITU_709', bt2020nc: 'ITU_2020_NCL', bt2020c: 'ITU_2020_CL', smpte170m: 'SMPTE_170M' };
const MIME_TYPES: Record<string, string> = {
  mp4: 'video/mp4',
  quicktime: 'video/quicktime',
  mpegts: 'video/MP2T',
  matroska: 'video/x-matroska',
};

function fraction(text: string | undefined, separator: string): Json | undefined {
  const [n, d] = (text ?? '').split(separator).map(Number);
  return n !== undefined && d !== undefined && n > 0 && d > 0 ? { numerator: n, denominator: d } : undefined;
}

function number(text: string | number | undefined): number | undefined {
  const n = typeof text === 'number' ? text : text === undefined ? NaN : Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** Drops undefined members, as the service leaves absent fields out. */
function compact(value: Json): Json {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

function containerFormat(probe: FfprobeOutput): string {
  const name = probe.format.format_name;
  if (name.includes('mp4') || name.includes('mov')) return probe.format.tags?.major_brand?.trim() === 'qt' ? 'quicktime' : 'mp4';
  if (name.includes('matroska')) return 'matroska';
  if (name === 'mpeg') return 'mpegps';
  return name.split(',')[0] ?? name;
}

function bitDepth(stream: FfprobeStream): number | undefined {
  const raw = number(stream.bits_per_raw_sample);
  if (raw !== undefined) return raw;
  const match = /p(\d+)(le|be)$/.exec(stream.pix_fmt ?? '');
  return match ? Number(match[1]) : stream.pix_fmt ? 8 : undefined;
}

function videoProperties(stream: FfprobeStream, format: string, reportRotation: boolean): Json {
  const colour = {
    colorPrimaries: PRIMARIES[stream.color_primaries ?? ''],
    transferCharacteristics: TRANSFERS[stream.color_transfer ?? ''],
    matrixCoefficients: MATRICES[stream.color_space ?? ''],
  };
  const inEssenceOnly = format === 'mpegts' || format === 'mpegps';
  const interlaced = stream.field_order !== undefined && stream.field_order !== 'progressive' && stream.field_order !== 'unknown';
  const reportsScan = ['h264', 'hevc', 'mpeg2video'].includes(stream.codec_name ?? '');
  const matrixRotation = stream.side_data_list?.find((s) => s.side_data_type === 'Display Matrix')?.rotation;
  return compact({
    width: stream.width,
    height: stream.height,
    bitDepth: bitDepth(stream),
    bitRate: number(stream.bit_rate),
    frameRate: fraction(stream.avg_frame_rate, '/'),
    displayAspectRatio: fraction(stream.display_aspect_ratio, ':'),
    // ffprobe's rotation is counterclockwise; Probe's is clockwise.
    rotation: reportRotation && matrixRotation ? ((-matrixRotation % 360) + 360) % 360 || undefined : undefined,
    ...(inEssenceOnly ? {} : colour),
    codecMetadata: compact({
      width: stream.width,
      height: stream.height,
      bitDepth: bitDepth(stream),
      profile: stream.profile,
      level: stream.level !== undefined && stream.level > 0 ? String(stream.level / (stream.codec_name === 'hevc' ? 30 : 10)) : undefined,
      chromaSubsampling: /^yuv420/.test(stream.pix_fmt ?? '') ? '4:2:0' : /^yuv422/.test(stream.pix_fmt ?? '') ? '4:2:2' : undefined,
      codedFrameRate: fraction(stream.r_frame_rate, '/'),
      sampleAspectRatio: fraction(stream.sample_aspect_ratio, ':'),
      displayAspectRatio: fraction(stream.display_aspect_ratio, ':'),
      scanType: stream.field_order === undefined || !reportsScan ? undefined : interlaced ? 'Interlaced' : 'Progressive',
      fieldOrder: !interlaced || !reportsScan ? undefined : /^t/.test(stream.field_order ?? '') ? 'TopFieldFirst' : 'BottomFieldFirst',
      ...colour,
    }),
  });
}

function track(stream: FfprobeStream, format: string, reportRotation: boolean): Json {
  const trackType = stream.codec_type === 'video' ? 'video' : stream.codec_type === 'audio' ? 'audio' : 'data';
  const language = stream.tags?.language;
  return compact({
    index: stream.index + 1,
    trackType,
    codec: CODECS[stream.codec_name ?? ''] ?? (stream.codec_name?.startsWith('pcm_') ? 'PCM' : 'UNKNOWN'),
    duration: number(stream.duration),
    videoProperties: trackType === 'video' ? videoProperties(stream, format, reportRotation) : undefined,
    audioProperties:
      trackType === 'audio'
        ? compact({
            channels: stream.channels,
            sampleRate: number(stream.sample_rate),
            bitRate: number(stream.bit_rate),
            channelLayout: stream.channel_layout,
            languageCode: language && language !== 'und' ? language.toUpperCase() : undefined,
          })
        : undefined,
  });
}

/**
 * The `probeResults[]` entry for one file's bytes.
 * @param entry the manifest entry whose sha256 matches the bytes, or undefined for unknown bytes.
 */
export function probeResultFor(bytes: Uint8Array, entry: MediaFixtureEntry | undefined, options: { reportRotation: boolean }): Json {
  const metadata = { eTag: createHash('md5').update(bytes).digest('hex'), fileSize: bytes.length };
  const probe = entry?.ffprobe;
  if (!probe) return { container: { tracks: [] }, metadata, trackMappings: [] };
  const format = containerFormat(probe);
  const tracks = probe.streams.map((s) => track(s, format, options.reportRotation));
  const indexes = (type: string) => tracks.filter((t) => t.trackType === type).map((t) => t.index as number);
  return {
    container: compact({ format, duration: number(probe.format.duration), bitRate: number(probe.format.bit_rate), tracks }),
    metadata: compact({ ...metadata, mimeType: MIME_TYPES[format] }),
    trackMappings: [{ videoTrackIndexes: indexes('video'), audioTrackIndexes: indexes('audio'), dataTrackIndexes: indexes('data') }],
  };
}
