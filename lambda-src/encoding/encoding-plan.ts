import type { InputRotate } from '@aws-sdk/client-mediaconvert';
import type { AccelerationMode, AccelerationPolicy, HdrMode, PlanSettings } from '../../contracts/functions/submit-job';
import { EncodingLadder, LadderRung, selectMp4Rung } from '../../contracts/ladder';
import { MIN_OUTPUT_DIMENSION, SourceHint, SourceProfile, hasMp4Header } from './source-profile';
import { gateAcceleration } from './acceleration';

/** Basic tier for every source: no acceleration, so no Professional-tier billing. */
export const BASIC_TIER_PLAN_SETTINGS: PlanSettings = { acceleration: { mode: 'DISABLED', minSourceMinutes: 0 } };

/** No output above 60 fps (Apple HLS authoring spec: frame rates above 60 SHALL NOT be used). */
export const MAX_OUTPUT_FPS = 60;
/** Apple's table: variants of 540 lines or fewer run at 30 fps or less. */
export const LOW_RUNG_MAX_LINES = 540;
export const LOW_RUNG_MAX_FPS = 30;
/** Two renditions closer than this in each dimension (pixel ratio above 0.85²) are one rendition. */
export const NEAR_DUPLICATE_LINEAR_RATIO = 0.85;
/** Rungs peaking at or below this get 64 kb/s HE-AAC (Apple's weak-network variant) instead of the ladder's AAC-LC. */
export const HE_AAC_AT_OR_BELOW_BITS = 500_000;
export const HE_AAC_BITRATE = 64_000;
/** A tiny last HLS segment stalls players; shorter than this it joins the one before. */
export const MIN_FINAL_SEGMENT_SECONDS = 2;

type Rate = { readonly numerator: number; readonly denominator: number };

/** One H.264 output: its size, how the input is scaled into it, and its rate control. */
export interface PlannedRendition {
  /** The rung it comes from; also its `NameModifier` (`_<name>`). */
  readonly name: string;
  /**
   * The box the picture is fitted into without upscaling or distortion (FIT_NO_UPSCALE). Profiled
   * source: its display size fitted into the rung (even, never above the source), so the output is
   * this size when the reading is right, and smaller, never stretched, when it is not.
   * Fallback: a square box of the rung's long side.
   */
  readonly width: number;
  readonly height: number;
  readonly scaling: 'FIT_NO_UPSCALE';
  readonly qvbrQualityLevel: number;
  /** The rung's peak, scaled with the output frame rate. */
  readonly maxBitrate: number;
  /** HRD buffer in bits: one second at the peak, so no segment runs far above `maxBitrate`. */
  readonly hrdBufferSize: number;
  /** Output rate; undefined keeps the source's (fallback only: its rate is unknown). */
  readonly frameRate: Rate | undefined;
  /** Output frames per second for billing; undefined when unknown. */
  readonly fps: number | undefined;
  /** Interlaced source at twice its frame rate: one frame per field (Apple 1.11). */
  readonly fieldDoubling: boolean;
  /** The H.264 level the size and rate need, at most 4.2 (Apple 1.3); AUTO when the rate is unknown. */
  readonly codecLevel: H264Level | 'AUTO';
  readonly audio: { readonly codecProfile: 'LC' | 'HEV1'; readonly bitrate: number };
  /** The largest picture this output can have, for billing (SD/HD/UHD). */
  readonly billedWidth: number;
  readonly billedHeight: number;
}

/**
 * Apple's HLS authoring table, HEVC HDR column (kb/s; one entry per size, the lower where a size has
 * two): the HDR ladder's sizes and peaks, like DEFAULT_RUNGS takes the H.264 column. Peaks are QVBR
 * `MaxBitrate`, as for the H.264 rungs.
 */
export const HDR_RUNGS: readonly LadderRung[] = [
  { name: 'hdr2160p', width: 3840, height: 2160, qvbrQualityLevel: 9, maxBitrate: 13_900_000 },
  { name: 'hdr1440p', width: 2560, height: 1440, qvbrQualityLevel: 9, maxBitrate: 9_700_000 },
  { name: 'hdr1080p', width: 1920, height: 1080, qvbrQualityLevel: 9, maxBitrate: 5_400_000 },
  { name: 'hdr720p', width: 1280, height: 720, qvbrQualityLevel: 8, maxBitrate: 2_900_000 },
  { name: 'hdr540p', width: 960, height: 540, qvbrQualityLevel: 7, maxBitrate: 1_930_000 },
  { name: 'hdr432p', width: 768, height: 432, qvbrQualityLevel: 7, maxBitrate: 1_090_000 },
  { name: 'hdr360p', width: 640, height: 360, qvbrQualityLevel: 7, maxBitrate: 360_000 },
];
/** HEVC level 5 (MediaConvert's Apple HDR recipe, Apple's ceiling) carries 2160p at 30 fps, not 60. */
export const HDR_ABOVE_1080_MAX_FPS = 30;

/** One HEVC Main10 HDR output of the HDR ladder: size, rate and peak (no audio: CMAF carries it once). */
export interface PlannedHdrRendition {
  /** `hdr<lines>p`; also its `NameModifier`. */
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly scaling: 'FIT_NO_UPSCALE';
  readonly qvbrQualityLevel: number;
  readonly maxBitrate: number;
  readonly hrdBufferSize: number;
  readonly frameRate: Rate;
  readonly fps: number;
  readonly fieldDoubling: boolean;
  readonly billedWidth: number;
  readonly billedHeight: number;
}

/** A frame-capture output: how often, how many, and how big. */
export interface PlannedCapture {
  /** Seconds between captures (the first is at 0 s). */
  readonly intervalSeconds: number;
  readonly maxCaptures: number;
  readonly width: number;
  readonly height: number;
  readonly scaling: 'FIT_NO_UPSCALE';
}

/** Which audio to take and how it becomes stereo. */
export interface PlannedAudio {
  /** Audio tracks for the selector (1-based among audio tracks). */
  readonly tracks: readonly number[];
  /** Channels the selected tracks hold together. */
  readonly channelsIn: number;
  /** Remix to stereo: per output channel, the gain in dB of each input channel (-60 is off); undefined = as is. */
  readonly remix: readonly (readonly number[])[] | undefined;
  /** MP4/MOV with AAC: MediaConvert's AudioDurationCorrection AUTO (phone audio drifts without it). */
  readonly durationCorrection: boolean;
  /** What was done, for the log and the README: `stereo`, `mono to stereo`, `two mono tracks to stereo`, `5.1 downmix`. */
  readonly layout: string;
}

/** The whole per-source plan; job-settings.ts turns it into CreateJob Settings. */
export interface EncodingPlan {
  /** `probe`: planned from the source's profile; `fallback`: the safe job for an unknown source. */
  readonly basis: 'probe' | 'fallback';
  readonly rotate: InputRotate;
  /** HLS renditions, largest first, no two within 15 % of each other in size. */
  readonly renditions: readonly PlannedRendition[];
  /** The progressive-download MP4: the configured MP4 rung, as large as the source allows. */
  readonly mp4: PlannedRendition;
  /** False for a source without audio: no audio selector and no audio in the outputs. */
  readonly audio: boolean;
  /** The tracks and remix; undefined for the fallback (default selection) and silent sources. */
  readonly audioSource: PlannedAudio | undefined;
  /** The adaptive deinterlacer, control NORMAL (leaves frames tagged progressive alone); off only for accelerated known-progressive sources. */
  readonly deinterlace: boolean;
  /** Tone-map this HDR transfer to SDR BT.709 (the H.264 outputs and thumbnails). */
  readonly toneMapFrom: 'PQ' | 'HLG' | undefined;
  /**
   * The HEVC HDR ladder (`hdr: 'hevc-ladder'` and an HDR10/HLG source), largest first; empty otherwise.
   * Non-empty: the HLS group becomes one CMAF group (fMP4) holding both ladders.
   */
  readonly hdrRenditions: readonly PlannedHdrRendition[];
  /** The transfer the HDR ladder keeps (PQ for HDR10, HLG); undefined without one. */
  readonly keepHdr: 'PQ' | 'HLG' | undefined;
  /** The top rendition's output rate; undefined when the source rate is unknown. */
  readonly frameRate: Rate | undefined;
  /** The top rendition's frames per second; undefined when the source rate is unknown. */
  readonly outputFps: number | undefined;
  /** Thumbnails; the poster is one of them (see posterThumbnailIndex), not an output of its own. */
  readonly thumbnails: PlannedCapture;
  /** HLS MinFinalSegmentLength in seconds; undefined when segments are too short for one. */
  readonly minFinalSegmentSeconds: number | undefined;
  readonly accelerationMode: AccelerationMode;
  /** Clip the input at this many seconds: set on the fallback plan of a source of unknown length (limits.maxSourceMinutes). */
  readonly maxInputSeconds?: number;
  /** Why the acceleration is not what the policy asked for (logged). */
  readonly accelerationNote?: string;
}

/** H.264 levels up to 4.2 with their limits (ITU-T H.264 Table A-1; bitrates for High profile, x1.25). */
const H264_LEVELS = [
  { level: 'LEVEL_1', mbps: 1_485, fs: 99, bits: 80_000 },
  { level: 'LEVEL_1_1', mbps: 3_000, fs: 396, bits: 240_000 },
  { level: 'LEVEL_1_2', mbps: 6_000, fs: 396, bits: 480_000 },
  { level: 'LEVEL_1_3', mbps: 11_880, fs: 396, bits: 960_000 },
  { level: 'LEVEL_2', mbps: 11_880, fs: 396, bits: 2_500_000 },
  { level: 'LEVEL_2_1', mbps: 19_800, fs: 792, bits: 5_000_000 },
  { level: 'LEVEL_2_2', mbps: 20_250, fs: 1_620, bits: 5_000_000 },
  { level: 'LEVEL_3', mbps: 40_500, fs: 1_620, bits: 12_500_000 },
  { level: 'LEVEL_3_1', mbps: 108_000, fs: 3_600, bits: 17_500_000 },
  { level: 'LEVEL_3_2', mbps: 216_000, fs: 5_120, bits: 25_000_000 },
  { level: 'LEVEL_4', mbps: 245_760, fs: 8_192, bits: 25_000_000 },
  { level: 'LEVEL_4_1', mbps: 245_760, fs: 8_192, bits: 62_500_000 },
  { level: 'LEVEL_4_2', mbps: 522_240, fs: 8_704, bits: 62_500_000 },
] as const;
export type H264Level = (typeof H264_LEVELS)[number]['level'];

/** The lowest H.264 level (up to 4.2) that carries this size, rate and peak; undefined above 4.2. */
export function h264LevelFor(width: number, height: number, fps: number, maxBitrate: number): H264Level | undefined {
  const frameMbs = Math.ceil(width / 16) * Math.ceil(height / 16);
  const found = H264_LEVELS.find((l) => frameMbs <= l.fs && frameMbs * fps <= l.mbps + 1e-6 && maxBitrate <= l.bits);
  return found?.level;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
function divide(rate: Rate, factor: number): Rate {
  const divisor = gcd(rate.numerator, rate.denominator * factor);
  return { numerator: rate.numerator / divisor, denominator: (rate.denominator * factor) / divisor };
}
const fpsOf = (rate: Rate) => rate.numerator / rate.denominator;

/** A rate divided by the smallest whole factor that brings it to `cap` or below (120 to 60, 90 to 45, 72 to 36). */
export function capFrameRate(rate: Rate, cap: number = MAX_OUTPUT_FPS): Rate | undefined {
  const fps = fpsOf(rate);
  if (fps <= cap + 1e-9) return undefined;
  return divide(rate, Math.ceil(fps / cap - 1e-9));
}

/**
 * The output rate of one rendition: at most 30 fps at 540 lines or fewer, at most 60 above, by
 * whole factors (no blended frames); an interlaced source doubled to its field rate where that fits.
 */
export function renditionFrameRate(source: Rate, interlaced: boolean, shortSide: number): { rate: Rate; fieldDoubling: boolean } {
  const cap = shortSide <= LOW_RUNG_MAX_LINES ? LOW_RUNG_MAX_FPS : MAX_OUTPUT_FPS;
  const doubled = { numerator: source.numerator * 2, denominator: source.denominator };
  if (interlaced && fpsOf(doubled) <= cap + 1e-9) return { rate: reduce(doubled), fieldDoubling: true };
  return { rate: capFrameRate(source, cap) ?? source, fieldDoubling: false };
}
function reduce(rate: Rate): Rate {
  const d = gcd(rate.numerator, rate.denominator);
  return { numerator: rate.numerator / d, denominator: rate.denominator / d };
}

/** The peak for an output rate: the rung's (given for 30 fps and below) times √(fps/30), to the kb/s. */
export function scaledMaxBitrate(rungMaxBitrate: number, fps: number | undefined): number {
  const factor = fps !== undefined && fps > LOW_RUNG_MAX_FPS ? Math.sqrt(fps / LOW_RUNG_MAX_FPS) : 1;
  return Math.round((rungMaxBitrate * factor) / 1000) * 1000;
}

/** Rounds to an even number, never above `limit` (rounded down to even): H.264 4:2:0 needs even sizes. */
function even(value: number, limit: number): number {
  const ceiling = Math.floor(limit / 2) * 2;
  return Math.max(2, Math.min(Math.round(value / 2) * 2, ceiling));
}

/** The rung's box, turned to the source's orientation, and the source fitted into it without upscaling. */
function fitIntoBox(boxLong: number, boxShort: number, width: number, height: number): { width: number; height: number } {
  const portrait = height > width;
  const boxWidth = portrait ? boxShort : boxLong;
  const boxHeight = portrait ? boxLong : boxShort;
  const scale = Math.min(boxWidth / width, boxHeight / height, 1);
  return { width: even(width * scale, Math.min(width, boxWidth)), height: even(height * scale, Math.min(height, boxHeight)) };
}

function audioFor(rung: LadderRung, ladder: EncodingLadder): PlannedRendition['audio'] {
  return rung.maxBitrate <= HE_AAC_AT_OR_BELOW_BITS
    ? { codecProfile: 'HEV1', bitrate: Math.min(HE_AAC_BITRATE, ladder.audioBitrate) }
    : { codecProfile: 'LC', bitrate: ladder.audioBitrate };
}

/**
 * One rung fitted into the source: size, rate, peak and level. Undefined when it cannot be made:
 * a side under MediaConvert's 32, or no rate at which H.264 level 4.2 carries the size.
 */
function fittedRendition(rung: LadderRung, profile: SourceProfile, ladder: EncodingLadder): PlannedRendition | undefined {
  const long = Math.max(rung.width, rung.height);
  const short = Math.min(rung.width, rung.height);
  const size = fitIntoBox(long, short, profile.displayWidth, profile.displayHeight);
  if (Math.min(size.width, size.height) < MIN_OUTPUT_DIMENSION) return undefined;
  let { rate, fieldDoubling } = renditionFrameRate(profile.frameRate, profile.scanType === 'interlaced', Math.min(size.width, size.height));
  for (let factor = 1; factor <= 8; factor++) {
    const candidate = factor === 1 ? rate : divide(rate, factor);
    const fps = fpsOf(candidate);
    const maxBitrate = scaledMaxBitrate(rung.maxBitrate, fps);
    const codecLevel = h264LevelFor(size.width, size.height, fps, maxBitrate);
    if (codecLevel === undefined) {
      fieldDoubling = false;
      continue;
    }
    rate = candidate;
    return {
      name: rung.name,
      ...size,
      scaling: 'FIT_NO_UPSCALE',
      qvbrQualityLevel: rung.qvbrQualityLevel,
      maxBitrate,
      hrdBufferSize: maxBitrate,
      frameRate: rate,
      fps,
      fieldDoubling,
      codecLevel,
      audio: audioFor(rung, ladder),
      billedWidth: size.width,
      billedHeight: size.height,
    };
  }
  return undefined;
}

/**
 * The ladder for one source: each rung fitted into the source (same pixel budget, turned to the
 * source's orientation, never upscaled). Rungs that land on the same size, or within 15 % of it in
 * each dimension, keep one rendition: the larger size, with the settings and name of the smaller
 * rung (a 640x480 webcam clip gets one 640x480 "480p", a 960x540 clip one 960x540, not 854x480 too).
 * Rungs that cannot be made (a side under 32 pixels) are left out.
 */
export function planRenditions(ladder: EncodingLadder, profile: SourceProfile): PlannedRendition[] {
  const byBox = [...ladder.rungs].sort((a, b) => b.width * b.height - a.width * a.height);
  const kept: PlannedRendition[] = [];
  for (const rung of byBox) {
    const rendition = fittedRendition(rung, profile, ladder);
    if (rendition === undefined) continue;
    const last = kept.at(-1);
    const pixels = (r: PlannedRendition) => r.width * r.height;
    if (last !== undefined && pixels(rendition) >= pixels(last) * NEAR_DUPLICATE_LINEAR_RATIO ** 2) {
      // The smaller rung's settings at the larger size; its level is recomputed for that size.
      const maxBitrate = rendition.maxBitrate;
      kept[kept.length - 1] = {
        ...rendition,
        width: last.width,
        height: last.height,
        billedWidth: last.billedWidth,
        billedHeight: last.billedHeight,
        frameRate: last.frameRate,
        fps: last.fps,
        fieldDoubling: last.fieldDoubling,
        codecLevel: h264LevelFor(last.width, last.height, last.fps ?? 30, maxBitrate) ?? last.codecLevel,
      };
    } else {
      kept.push(rendition);
    }
  }
  return limitPeakSteps(kept);
}

/**
 * Apple: adjacent variants at most 2x apart. Frame-rate scaling can open a wider step (a 720p60
 * peak over a 480p30 one); the lower rendition's peak is then raised to half the one above.
 */
function limitPeakSteps(renditions: PlannedRendition[]): PlannedRendition[] {
  const result = [...renditions];
  for (let i = 1; i < result.length; i++) {
    const above = result[i - 1] as PlannedRendition;
    const current = result[i] as PlannedRendition;
    if (above.maxBitrate <= 2 * current.maxBitrate) continue;
    const maxBitrate = Math.ceil(above.maxBitrate / 2 / 1000) * 1000;
    const codecLevel = h264LevelFor(current.width, current.height, current.fps ?? LOW_RUNG_MAX_FPS, maxBitrate) ?? current.codecLevel;
    result[i] = { ...current, maxBitrate, hrdBufferSize: maxBitrate, codecLevel };
  }
  return result;
}

/**
 * The HEVC HDR ladder of a source: Apple's HDR sizes no larger than the ladder's largest rung (the
 * configured ceiling), fitted into the source like the H.264 rungs, near-duplicates merged, at most
 * 30 fps at 540 lines or fewer and above 1080 lines, peaks raised so no step exceeds 2x.
 *
 * | setting / source                           | HDR ladder                               |
 * |--------------------------------------------|------------------------------------------|
 * | `tone-map` (the default)                   | none                                     |
 * | `hevc-ladder`, SDR source                  | none                                     |
 * | `hevc-ladder`, HDR10 (PQ) or HLG source    | the HDR rungs that fit, largest first    |
 */
export function planHdrRenditions(ladder: EncodingLadder, profile: SourceProfile, mode: HdrMode): PlannedHdrRendition[] {
  if (mode !== 'hevc-ladder' || profile.hdr === undefined) return [];
  const ceiling = Math.max(...ladder.rungs.map((r) => r.width * r.height));
  const kept: PlannedHdrRendition[] = [];
  for (const rung of HDR_RUNGS) {
    if (rung.width * rung.height > ceiling) continue;
    const size = fitIntoBox(rung.width, rung.height, profile.displayWidth, profile.displayHeight);
    const short = Math.min(size.width, size.height);
    if (short < MIN_OUTPUT_DIMENSION) continue;
    const { rate: base, fieldDoubling } = renditionFrameRate(profile.frameRate, profile.scanType === 'interlaced', short);
    const rate = short > 1080 ? (capFrameRate(base, HDR_ABOVE_1080_MAX_FPS) ?? base) : base;
    const fps = fpsOf(rate);
    const maxBitrate = scaledMaxBitrate(rung.maxBitrate, fps);
    const last = kept.at(-1);
    // Same or near size as the rung above (a small source): one rendition, the smaller rung's name and peak, as for H.264.
    if (last !== undefined && size.width * size.height >= last.width * last.height * NEAR_DUPLICATE_LINEAR_RATIO ** 2) {
      kept[kept.length - 1] = {
        ...last,
        name: rung.name,
        qvbrQualityLevel: rung.qvbrQualityLevel,
        maxBitrate: Math.min(maxBitrate, last.maxBitrate),
        hrdBufferSize: Math.min(maxBitrate, last.maxBitrate),
      };
      continue;
    }
    kept.push({
      name: rung.name,
      ...size,
      scaling: 'FIT_NO_UPSCALE',
      qvbrQualityLevel: rung.qvbrQualityLevel,
      maxBitrate,
      hrdBufferSize: maxBitrate,
      frameRate: rate,
      fps,
      fieldDoubling: fieldDoubling && rate === base,
      billedWidth: size.width,
      billedHeight: size.height,
    });
  }
  // Apple: adjacent variants at most 2x apart; the lower peak is raised to half the one above.
  for (let i = 1; i < kept.length; i++) {
    const above = kept[i - 1] as PlannedHdrRendition;
    const current = kept[i] as PlannedHdrRendition;
    if (above.maxBitrate > 2 * current.maxBitrate) {
      const maxBitrate = Math.ceil(above.maxBitrate / 2 / 1000) * 1000;
      kept[i] = { ...current, maxBitrate, hrdBufferSize: maxBitrate };
    }
  }
  return kept;
}

/** Captures every `interval` seconds, the interval grown so that `maxThumbnails` cover the whole source. */
export function thumbnailInterval(durationSeconds: number, ladder: EncodingLadder): { intervalSeconds: number; maxCaptures: number } {
  const intervalSeconds = Math.max(ladder.thumbnailIntervalSeconds, Math.ceil(durationSeconds / ladder.maxThumbnails));
  return { intervalSeconds, maxCaptures: Math.min(ladder.maxThumbnails, Math.floor(durationSeconds / intervalSeconds) + 1) };
}

/** The acceleration mode a source of this length gets under the policy. */
export function accelerationFor(policy: AccelerationPolicy, durationSeconds: number | undefined): AccelerationMode {
  if (policy.mode === 'DISABLED' || policy.minSourceMinutes === 0) return policy.mode;
  return durationSeconds !== undefined && durationSeconds >= policy.minSourceMinutes * 60 ? policy.mode : 'DISABLED';
}

/** HLS MinFinalSegmentLength: at least 1 s and below the segment length (the model's rule); 2 s when segments allow. */
export function minFinalSegmentSeconds(segmentLengthSeconds: number): number | undefined {
  const value = Math.min(MIN_FINAL_SEGMENT_SECONDS, segmentLengthSeconds - 1);
  return value >= 1 ? value : undefined;
}

/** A source of unknown length: thumbnails spaced to cover this long a source. */
export const FALLBACK_COVERED_SECONDS = 4 * 3600;

/**
 * How the source's audio becomes the outputs' stereo AAC.
 *
 * | source audio                        | selector tracks | remix to stereo (dB per input channel)          |
 * |-------------------------------------|-----------------|-------------------------------------------------|
 * | none                                | (no selector)   |                                                 |
 * | first track stereo                  | [1]             | none                                            |
 * | first track mono                    | [1]             | L = R = the mono channel                        |
 * | two or more mono tracks (camera)    | [1, 2]          | L = track 1, R = track 2 (others are left out)  |
 * | first track 5.1 (L R C LFE Ls Rs)   | [1]             | ITU-R BS.775: L = L + C-3 + Ls-3, R = R + C-3 + Rs-3, LFE off |
 * | first track of another layout       | [1]             | none: MediaConvert's default downmix to 2.0     |
 */
export function planAudio(profile: SourceProfile): PlannedAudio | undefined {
  const tracks = profile.audioTracks ?? (profile.hasAudio ? [{ track: 1, channels: 2 }] : []);
  const first = tracks[0];
  if (first === undefined) return undefined;
  const durationCorrection = hasMp4Header(profile.container) && first.codec === 'AAC';
  const OFF = -60;
  if (first.channels === 1 && tracks[1]?.channels === 1) {
    return {
      tracks: [first.track, tracks[1].track],
      channelsIn: 2,
      remix: [
        [0, OFF],
        [OFF, 0],
      ],
      durationCorrection,
      layout: 'two mono tracks to stereo',
    };
  }
  if (first.channels === 1)
    return { tracks: [first.track], channelsIn: 1, remix: [[0], [0]], durationCorrection, layout: 'mono to stereo' };
  if (first.channels === 6) {
    return {
      tracks: [first.track],
      channelsIn: 6,
      remix: [
        [0, OFF, -3, OFF, -3, OFF],
        [OFF, 0, -3, OFF, OFF, -3],
      ],
      durationCorrection,
      layout: '5.1 downmix (ITU-R BS.775)',
    };
  }
  return {
    tracks: [first.track],
    channelsIn: first.channels,
    remix: undefined,
    durationCorrection,
    layout: first.channels === 2 ? 'stereo' : `${first.channels} channels, default downmix`,
  };
}

function fallbackPlan(ladder: EncodingLadder, settings: PlanSettings, hint: SourceHint | undefined): EncodingPlan {
  // What Probe did say bounds the boxes: every box at least the source's long side gives the same output, so only one is kept.
  const sourceLong = hint?.width !== undefined && hint.height !== undefined ? Math.max(hint.width, hint.height) : undefined;
  const box = (rung: LadderRung): PlannedRendition => {
    const long = Math.max(rung.width, rung.height);
    return {
      name: rung.name,
      width: long,
      height: long,
      scaling: 'FIT_NO_UPSCALE',
      qvbrQualityLevel: rung.qvbrQualityLevel,
      maxBitrate: rung.maxBitrate,
      hrdBufferSize: rung.maxBitrate,
      frameRate: undefined,
      fps: undefined,
      fieldDoubling: false,
      codecLevel: 'AUTO',
      audio: audioFor(rung, ladder),
      billedWidth: rung.width,
      billedHeight: rung.height,
    };
  };
  const byBox = [...ladder.rungs].sort((a, b) => Math.max(b.width, b.height) - Math.max(a.width, a.height));
  const renditions: PlannedRendition[] = [];
  for (const rung of byBox) {
    const rendition = box(rung);
    const last = renditions.at(-1);
    // Boxes at least as large as the source give identical outputs: one of them, the smaller rung's settings.
    if (last !== undefined && sourceLong !== undefined && rendition.width >= sourceLong) renditions[renditions.length - 1] = rendition;
    else renditions.push(rendition);
  }
  const thumb = ladder.thumbnailLongSidePx;
  const covered = hint?.durationSeconds ?? FALLBACK_COVERED_SECONDS;
  const thumbnails = thumbnailInterval(covered, ladder);
  const mp4Rung = selectMp4Rung(ladder);
  return {
    basis: 'fallback',
    rotate: 'AUTO',
    renditions,
    mp4:
      renditions.find((r) => r.name === mp4Rung.name) ??
      renditions.find((r) => r.width >= Math.max(mp4Rung.width, mp4Rung.height)) ??
      box(mp4Rung),
    // Unknown: keep the default audio selector. A silent file then fails loudly (an ERROR event),
    // where dropping audio would silently lose the sound of every file Probe half-understood.
    audio: true,
    audioSource: undefined,
    deinterlace: true,
    toneMapFrom: undefined,
    hdrRenditions: [],
    keepHdr: undefined,
    frameRate: undefined,
    outputFps: undefined,
    thumbnails: { ...thumbnails, width: thumb, height: thumb, scaling: 'FIT_NO_UPSCALE' },
    minFinalSegmentSeconds: minFinalSegmentSeconds(ladder.segmentLengthSeconds),
    accelerationMode: gateAcceleration(accelerationFor(settings.acceleration, hint?.durationSeconds), {
      container: 'unknown',
      needsAdaptiveDeinterlacer: true,
    }).mode,
  };
}

/** Thumbnails the configured long side, the short side following the source, never under 32 pixels. */
function thumbnailSize(ladder: EncodingLadder, profile: SourceProfile): { width: number; height: number } {
  const size = fitIntoBox(ladder.thumbnailLongSidePx, ladder.thumbnailLongSidePx, profile.displayWidth, profile.displayHeight);
  const short = Math.min(size.width, size.height);
  if (short >= MIN_OUTPUT_DIMENSION) return size;
  // A strip: grow until the short side is 32, within the source.
  const grow = MIN_OUTPUT_DIMENSION / short;
  return {
    width: even(size.width * grow, Math.max(profile.displayWidth, MIN_OUTPUT_DIMENSION)),
    height: even(size.height * grow, Math.max(profile.displayHeight, MIN_OUTPUT_DIMENSION)),
  };
}

/**
 * The encoding plan for one source, a pure function of what the source is and the configuration.
 *
 * | source                       | plan                                                                  |
 * |------------------------------|-----------------------------------------------------------------------|
 * | unknown (`undefined`)        | safe fallback: FIT_NO_UPSCALE boxes of each rung's long side, Rotate AUTO; boxes past the source's long side (when Probe gave it) merged |
 * | smaller than a rung          | that rung at the source's own size (even); same or near (15 %) sizes merged |
 * | a side under 32 after fitting | that rung left out                                                   |
 * | portrait (after rotation)    | portrait renditions of the rung's pixel budget, Rotate AUTO           |
 * | any rate                     | ≤ 30 fps at 540 lines or fewer, ≤ 60 above, by whole factors; peak x √(fps/30) |
 * | interlaced                   | field rate (50p/59.94p) on the rungs above 540 lines                  |
 * | every source                 | adaptive deinterlacer, control NORMAL (progressive frames left alone)  |
 * | no audio track               | no audio selector and no audio outputs                                |
 * | mono tracks, 5.1             | tracks selected and remixed to stereo (see planAudio)                  |
 * | HDR (PQ, HLG)                | tone-mapped to SDR BT.709; with `hdr: 'hevc-ladder'` also an HEVC HDR ladder (planHdrRenditions) |
 * | non-square pixels            | square-pixel outputs at the display size                              |
 *
 * @param profile the source profile, or undefined when Probe gave nothing usable.
 * @param hint what Probe said of a source it did not fully understand (fallback only).
 */
export function planEncoding(
  profile: SourceProfile | undefined,
  ladder: EncodingLadder,
  settings: PlanSettings,
  hint?: SourceHint,
): EncodingPlan {
  if (profile === undefined) return fallbackPlan(ladder, settings, hint);
  const renditions = planRenditions(ladder, profile);
  const mp4Fitted = fittedRendition(selectMp4Rung(ladder), profile, ladder);
  // The MP4 equals one of the HLS renditions; take that one's name so both read the same.
  const mp4 =
    renditions.find((r) => mp4Fitted !== undefined && r.width === mp4Fitted.width && r.height === mp4Fitted.height) ??
    mp4Fitted ??
    (renditions.at(-1) as PlannedRendition);
  const top = renditions[0];
  const thumbnails = thumbnailInterval(profile.durationSeconds, ladder);
  const acceleration = gateAcceleration(accelerationFor(settings.acceleration, profile.durationSeconds), {
    container: profile.container,
    ...(profile.videoCodec !== undefined ? { videoCodec: profile.videoCodec } : {}),
    needsAdaptiveDeinterlacer: profile.scanType !== 'progressive',
  });
  const audioSource = planAudio(profile);
  const hdrRenditions = planHdrRenditions(ladder, profile, settings.hdr ?? 'tone-map');
  return {
    basis: 'probe',
    // Rotate AUTO reads the MP4/MOV matrix; other containers get their rotation spelled out.
    rotate: hasMp4Header(profile.container) ? 'AUTO' : profile.rotation === 0 ? 'DEGREE_0' : (`DEGREES_${profile.rotation}` as InputRotate),
    renditions,
    mp4,
    audio: audioSource !== undefined,
    audioSource,
    // Accelerated jobs cannot use it; they get it only when the scan is not known to be progressive (and then run PREFERRED).
    deinterlace: acceleration.mode !== 'ENABLED',
    toneMapFrom: profile.hdr,
    hdrRenditions,
    keepHdr: hdrRenditions.length > 0 ? profile.hdr : undefined,
    frameRate: top?.frameRate,
    outputFps: top?.fps,
    thumbnails: { ...thumbnails, ...thumbnailSize(ladder, profile), scaling: 'FIT_NO_UPSCALE' },
    minFinalSegmentSeconds: minFinalSegmentSeconds(ladder.segmentLengthSeconds),
    accelerationMode: acceleration.mode,
    ...(acceleration.note !== undefined ? { accelerationNote: acceleration.note } : {}),
  };
}
