import type { AspectRatio, FrameRate, ProbeResult, Track } from '@aws-sdk/client-mediaconvert';
import type { Rotation } from './mp4-rotation';

/** What the pipeline needs to know about one upload to plan its job. */
export interface SourceProfile {
  /** Probe's container format: `mp4`, `quicktime`, `mpegts`, `matroska`… */
  readonly container: string;
  readonly durationSeconds: number;
  /** Size as shown to a viewer: square pixels, after rotation. */
  readonly displayWidth: number;
  readonly displayHeight: number;
  /** Size as stored in the video track. */
  readonly storedWidth: number;
  readonly storedHeight: number;
  /** Clockwise rotation the player applies (MP4/MOV `tkhd`). */
  readonly rotation: Rotation;
  /** Frames per second as a fraction, e.g. 30000/1001. */
  readonly frameRate: { readonly numerator: number; readonly denominator: number };
  /** True when the container rate and the coded rate disagree (phones record VFR). */
  readonly variableFrameRate: boolean;
  /**
   * `unknown` when Probe says nothing: it reports scan type for H.264, H.265 and MPEG-2 only, so
   * ProRes, DV, VC-1 and XDCAM arrive without it. Every plan deinterlaces adaptively anyway.
   */
  readonly scanType: 'progressive' | 'interlaced' | 'unknown';
  /** Probe's video codec (`AVC`, `HEVC`, `PRORES`, `VP9`, `MP4V`…); undefined when not reported. */
  readonly videoCodec?: string;
  readonly bitDepth: number;
  /** The HDR transfer function, or undefined for SDR. */
  readonly hdr: 'PQ' | 'HLG' | undefined;
  /** Sample (pixel) aspect ratio; 1/1 for square pixels. */
  readonly pixelAspectRatio: { readonly numerator: number; readonly denominator: number };
  readonly hasAudio: boolean;
  /** The audio tracks, numbered as MediaConvert's audio selector `Tracks` counts them (audio tracks only, from 1). */
  readonly audioTracks?: readonly AudioTrack[];
}

/** One audio track of the source. */
export interface AudioTrack {
  /** 1-based among the audio tracks (what `AudioSelector.Tracks` takes). */
  readonly track: number;
  readonly channels: number;
  /** Probe's codec, e.g. `AAC`, `PCM`, `AC3`. */
  readonly codec?: string;
}

/**
 * A source described by its size, rate and length rather than probed: progressive, 8-bit SDR,
 * square pixels, stereo audio, no rotation, 1080p30 for one minute unless `overrides` say
 * otherwise. For cost estimates, benchmarks and tests. A portrait or rotated source passes
 * its display size (and `storedWidth`/`storedHeight`/`rotation` when they differ).
 */
export function describeSource(overrides: Partial<SourceProfile> = {}): SourceProfile {
  const displayWidth = overrides.displayWidth ?? 1920;
  const displayHeight = overrides.displayHeight ?? 1080;
  return {
    container: 'mp4',
    durationSeconds: 60,
    displayWidth,
    displayHeight,
    storedWidth: displayWidth,
    storedHeight: displayHeight,
    rotation: 0,
    frameRate: { numerator: 30, denominator: 1 },
    variableFrameRate: false,
    scanType: 'progressive',
    bitDepth: 8,
    hdr: undefined,
    pixelAspectRatio: { numerator: 1, denominator: 1 },
    hasAudio: true,
    ...overrides,
  };
}

/** What Probe says about an upload: media to plan, no media at all, or media it could not describe. */
export type SourceVerdict =
  | { readonly kind: 'usable'; readonly profile: SourceProfile }
  /** Not a video, or one no output can be made of: record FAILED with `reason` (for a person) and never retry. */
  | { readonly kind: 'not-media'; readonly reason: string }
  /** A container Probe only partly understood: submit the safe fallback job, sized by what Probe did say. */
  | { readonly kind: 'not-understood'; readonly reason: string; readonly hint?: SourceHint };

/** What Probe said of a source it only partly understood: enough to size the fallback job. */
export interface SourceHint {
  readonly durationSeconds?: number;
  /** The stored size; its long side bounds every rendition of the fallback job. */
  readonly width?: number;
  readonly height?: number;
}

/** MediaConvert's smallest output width or height. */
export const MIN_OUTPUT_DIMENSION = 32;

/** Rates a phone's variable frame rate is snapped to (its average within {@link FRAME_RATE_SNAP_TOLERANCE}). */
export const STANDARD_FRAME_RATES: readonly { readonly numerator: number; readonly denominator: number }[] = [
  { numerator: 24_000, denominator: 1001 },
  { numerator: 24, denominator: 1 },
  { numerator: 25, denominator: 1 },
  { numerator: 30_000, denominator: 1001 },
  { numerator: 30, denominator: 1 },
  { numerator: 48, denominator: 1 },
  { numerator: 50, denominator: 1 },
  { numerator: 60_000, denominator: 1001 },
  { numerator: 60, denominator: 1 },
  { numerator: 72, denominator: 1 },
  { numerator: 75, denominator: 1 },
  { numerator: 90, denominator: 1 },
  { numerator: 100, denominator: 1 },
  { numerator: 120_000, denominator: 1001 },
  { numerator: 120, denominator: 1 },
];
/** A measured average within 1.5 % of a standard rate is that rate (phones drift by a few hundredths). */
export const FRAME_RATE_SNAP_TOLERANCE = 0.015;

/**
 * The nearest standard rate to a measured one, when within the tolerance; otherwise the measured rate.
 * 59.94 stays 59.94 and 60.04 becomes 60 (the nearest wins), so an average a hair above 60 is not halved.
 */
export function snapFrameRate(rate: { numerator: number; denominator: number }): { numerator: number; denominator: number } {
  const fps = rate.numerator / rate.denominator;
  let best: { numerator: number; denominator: number } | undefined;
  let bestDistance = Infinity;
  for (const standard of STANDARD_FRAME_RATES) {
    const distance = Math.abs(fps - standard.numerator / standard.denominator);
    if (distance < bestDistance) {
      best = standard;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= fps * FRAME_RATE_SNAP_TOLERANCE ? best : rate;
}

/** Containers whose rotation lives in a `tkhd` matrix, and that MediaConvert's `Rotate: AUTO` applies. */
export const MP4_FAMILY_CONTAINERS: readonly string[] = ['mp4', 'quicktime', 'three_gp', 'three_g2'];

/** True when the rotation of this container is read from its MP4/MOV header. */
export function hasMp4Header(container: string | undefined): boolean {
  return container !== undefined && MP4_FAMILY_CONTAINERS.includes(container.toLowerCase());
}

function positive(n: number | undefined): number | undefined {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : undefined;
}

function ratio(value: FrameRate | AspectRatio | undefined): { numerator: number; denominator: number } | undefined {
  const numerator = positive(value?.Numerator);
  const denominator = positive(value?.Denominator);
  return numerator !== undefined && denominator !== undefined ? { numerator, denominator } : undefined;
}

/** Probe's clockwise rotation (container metadata), snapped to a right angle; undefined when absent. */
function probeRotation(video: Track): Rotation | undefined {
  const raw = video.VideoProperties?.Rotation;
  if (typeof raw !== 'number' || !Number.isFinite(raw)) return undefined;
  const snapped = (((Math.round(raw / 90) * 90) % 360) + 360) % 360;
  return Math.abs(raw - Math.round(raw / 90) * 90) <= 1 ? (snapped as Rotation) : 0;
}

function hdrOf(transfer: string | undefined): SourceProfile['hdr'] {
  if (transfer === 'SMPTE_2084') return 'PQ';
  if (transfer === 'ARIB_B67') return 'HLG';
  return undefined;
}

/**
 * The display size from the coded size and the aspect ratio, never the other way round: the height
 * is the coded height and the width follows the display aspect ratio (DAR when Probe gives it, else
 * coded width x SAR). So a Probe width that is already the display width (as an MP4 track header's
 * is) comes out right instead of being multiplied by the SAR a second time.
 */
function displaySize(
  width: number,
  height: number,
  par: { numerator: number; denominator: number },
  dar: { numerator: number; denominator: number } | undefined,
  rotation: Rotation,
) {
  const aspect = dar !== undefined ? dar.numerator / dar.denominator : (width * par.numerator) / (par.denominator * height);
  const squareWidth = Math.round(height * aspect);
  return rotation === 90 || rotation === 270 ? { width: height, height: squareWidth } : { width: squareWidth, height };
}

/** The audio tracks in Probe's order, numbered as MediaConvert's audio selectors count them. */
function audioTracksOf(tracks: readonly Track[]): AudioTrack[] {
  return tracks
    .filter((t) => t.TrackType === 'audio')
    .map((t, i) => ({ track: i + 1, channels: positive(t.AudioProperties?.Channels) ?? 2, ...(t.Codec ? { codec: t.Codec } : {}) }));
}

/**
 * Sums up Probe's answer for one file, with the rotation read from the file header.
 *
 * | Probe says                                          | verdict          |
 * |-----------------------------------------------------|------------------|
 * | no result                                           | `not-understood` |
 * | no container format and no tracks (unknown bytes)   | `not-media`      |
 * | tracks, but none is video (audio only, data only)   | `not-media`      |
 * | a video track without width, height or frame rate   | `not-understood` |
 * | no duration on the container nor the video track    | `not-understood` |
 * | an MP4/MOV whose rotation neither Probe nor the header gives | `not-understood` |
 * | everything else                                     | `usable`         |
 *
 * @param result the first ProbeResult of a Probe call for the upload.
 * @param headerRotation rotation read from the MP4/MOV header; Probe's own `rotation`, when
 *   present, wins. Undefined when it was not read or could not be.
 */
export function summarizeProbe(
  result: ProbeResult | undefined,
  headerRotation: Rotation | undefined,
  headerPixelAspectRatio?: { numerator: number; denominator: number },
): SourceVerdict {
  if (result === undefined) return { kind: 'not-understood', reason: 'Probe returned no result for the file' };
  const container = result.Container;
  const tracks = container?.Tracks ?? [];
  const format = container?.Format;
  if ((format === undefined || (format as string) === '') && tracks.length === 0) {
    return {
      kind: 'not-media',
      reason:
        'MediaConvert Probe recognizes no media container in this file (no format, no tracks): it is not a video. Upload a video file (MP4, MOV, MKV, MXF, MPEG-TS…).',
    };
  }
  const video = tracks.find((t) => t.TrackType === 'video');
  const hasAudio = tracks.some((t) => t.TrackType === 'audio');
  if (video === undefined) {
    return {
      kind: 'not-media',
      reason: `The file has ${hasAudio ? 'audio but no video track' : 'no video track'} (container ${format ?? 'unknown'}); upload a file with video.`,
    };
  }
  const props = video.VideoProperties;
  const codec = props?.CodecMetadata;
  const storedWidth = positive(props?.Width) ?? positive(codec?.Width);
  const storedHeight = positive(props?.Height) ?? positive(codec?.Height);
  const frameRate = ratio(props?.FrameRate) ?? ratio(codec?.CodedFrameRate);
  const durationSeconds = positive(container?.Duration) ?? positive(video.Duration);
  const hint: SourceHint = {
    ...(durationSeconds !== undefined ? { durationSeconds } : {}),
    ...(storedWidth !== undefined && storedHeight !== undefined ? { width: storedWidth, height: storedHeight } : {}),
  };
  if (storedWidth === undefined || storedHeight === undefined || frameRate === undefined) {
    return {
      kind: 'not-understood',
      reason: `Probe gave no size or frame rate for the video track of the ${format ?? 'unknown'} file`,
      hint,
    };
  }
  if (durationSeconds === undefined)
    return { kind: 'not-understood', reason: `Probe gave no duration for the ${format ?? 'unknown'} file`, hint };
  const rotation = probeRotation(video) ?? headerRotation ?? (hasMp4Header(format) ? undefined : 0);
  if (rotation === undefined) {
    return { kind: 'not-understood', reason: `the rotation of the ${format} file could not be read from its header`, hint };
  }
  // Probe's ratio first; the MP4/MOV `pasp` box when Probe says nothing.
  const pixelAspectRatio = ratio(props?.SampleAspectRatio) ??
    ratio(codec?.SampleAspectRatio) ??
    headerPixelAspectRatio ?? { numerator: 1, denominator: 1 };
  const dar = ratio(props?.DisplayAspectRatio) ?? ratio(codec?.DisplayAspectRatio);
  const display = displaySize(storedWidth, storedHeight, pixelAspectRatio, dar, rotation);
  if (Math.min(display.width, display.height) < MIN_OUTPUT_DIMENSION) {
    return {
      kind: 'not-media',
      reason: `The picture is ${display.width}x${display.height}: MediaConvert makes no output under ${MIN_OUTPUT_DIMENSION} pixels on a side, so no rendition can be made. Upload a video at least ${MIN_OUTPUT_DIMENSION}x${MIN_OUTPUT_DIMENSION}.`,
    };
  }
  if (codec?.DolbyVision?.Profile === 5) {
    // Profile 5 has no HDR10, HLG or SDR base layer: its IPTPQc2 picture tone-mapped as PQ comes out green and purple.
    return {
      kind: 'not-media',
      reason:
        'The video is Dolby Vision profile 5, which has no HDR10, HLG or SDR base layer: this pipeline does not carry Dolby Vision, and tone-mapping it to SDR would give wrong colours. Export it as HDR10, HLG, Dolby Vision 8.x or SDR and upload that.',
    };
  }
  const coded = ratio(codec?.CodedFrameRate);
  const snapped = snapFrameRate(frameRate);
  const measured = frameRate.numerator / frameRate.denominator;
  const scan = codec?.ScanType ?? codec?.FieldOrder;
  const interlaced = /interlac/i.test(codec?.ScanType ?? '') || /field/i.test(codec?.FieldOrder ?? '');
  return {
    kind: 'usable',
    profile: {
      container: format ?? 'unknown',
      durationSeconds,
      displayWidth: display.width,
      displayHeight: display.height,
      storedWidth,
      storedHeight,
      rotation,
      frameRate: snapped,
      variableFrameRate:
        (coded !== undefined && Math.abs(coded.numerator / coded.denominator - measured) > measured * 0.01) ||
        snapped.numerator / snapped.denominator !== measured,
      scanType: interlaced ? 'interlaced' : scan === undefined ? 'unknown' : 'progressive',
      ...(video.Codec ? { videoCodec: video.Codec } : {}),
      bitDepth: positive(props?.BitDepth) ?? positive(codec?.BitDepth) ?? 8,
      hdr: hdrOf(props?.TransferCharacteristics) ?? hdrOf(codec?.TransferCharacteristics),
      pixelAspectRatio,
      hasAudio,
      audioTracks: audioTracksOf(tracks),
    },
  };
}

/** The few source facts the job record and the notification carry (compact, JSON-safe). */
export interface SourceSummary {
  readonly width: number;
  readonly height: number;
  readonly durationMs: number;
  readonly fps: number;
  readonly audio: boolean;
  readonly hdr: 'PQ' | 'HLG' | null;
  readonly interlaced: boolean;
  readonly rotation: Rotation;
}

/** The summary of a profile: display size, duration in ms, fps to 3 decimals, audio, HDR. */
export function summarizeSource(profile: SourceProfile): SourceSummary {
  return {
    width: profile.displayWidth,
    height: profile.displayHeight,
    durationMs: Math.round(profile.durationSeconds * 1000),
    fps: Math.round((profile.frameRate.numerator / profile.frameRate.denominator) * 1000) / 1000,
    audio: profile.hasAudio,
    hdr: profile.hdr ?? null,
    interlaced: profile.scanType === 'interlaced',
    rotation: profile.rotation,
  };
}

/** The summary as compact JSON for UserMetadata (well under its 256-character limit). */
export function serializeSourceSummary(summary: SourceSummary): string {
  return JSON.stringify(summary);
}

/** The summary read back from UserMetadata; undefined when absent or not a summary. */
export function parseSourceSummary(value: unknown): SourceSummary | undefined {
  if (typeof value !== 'string') return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(value);
  } catch {
    return undefined;
  }
  const r = raw as Partial<Record<keyof SourceSummary, unknown>> | null;
  const numbers = [r?.width, r?.height, r?.durationMs, r?.fps].every((n) => typeof n === 'number' && Number.isFinite(n));
  const hdr = r?.hdr === null || r?.hdr === 'PQ' || r?.hdr === 'HLG';
  if (
    !numbers ||
    !hdr ||
    typeof r?.audio !== 'boolean' ||
    typeof r?.interlaced !== 'boolean' ||
    ![0, 90, 180, 270].includes(r?.rotation as number)
  ) {
    return undefined;
  }
  return {
    width: r.width as number,
    height: r.height as number,
    durationMs: r.durationMs as number,
    fps: r.fps as number,
    audio: r.audio,
    hdr: r.hdr as SourceSummary['hdr'],
    interlaced: r.interlaced,
    rotation: r.rotation as Rotation,
  };
}
