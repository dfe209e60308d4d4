import type { InputRotate } from '@aws-sdk/client-mediaconvert';
import type { AccelerationMode, AccelerationPolicy, PlanSettings } from '../../contracts/functions/submit-job';
import { EncodingLadder, LadderRung, selectMp4Rung } from '../../contracts/ladder';
import { SourceProfile, hasMp4Header } from './source-profile';

/** Basic tier for every source: no acceleration, so no Professional-tier billing. */
export const BASIC_TIER_PLAN_SETTINGS: PlanSettings = { acceleration: { mode: 'DISABLED', minSourceMinutes: 0 } };

/** No output above 60 fps (Apple HLS authoring spec: frame rates above 60 SHALL NOT be used). */
export const MAX_OUTPUT_FPS = 60;
/** MediaConvert's smallest output width or height. */
const MIN_DIMENSION = 32;

/** One H.264 output: its size, how the input is scaled into it, and its rate control. */
export interface PlannedRendition {
  /** The rung it comes from; also its `NameModifier` (`_<name>`). */
  readonly name: string;
  /**
   * Profiled source: the exact output size (even, never above the source).
   * Fallback: a square box of the rung's long side that FIT_NO_UPSCALE shrinks the picture into.
   */
  readonly width: number;
  readonly height: number;
  readonly scaling: 'STRETCH_TO_OUTPUT' | 'FIT_NO_UPSCALE';
  readonly qvbrQualityLevel: number;
  readonly maxBitrate: number;
  /** The largest picture this output can have, for billing (SD/HD/UHD). */
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
  readonly scaling: 'STRETCH_TO_OUTPUT' | 'FIT_NO_UPSCALE';
}

/** The whole per-source plan; job-settings.ts turns it into CreateJob Settings. */
export interface EncodingPlan {
  /** `probe`: planned from the source's profile; `fallback`: the safe job for an unknown source. */
  readonly basis: 'probe' | 'fallback';
  readonly rotate: InputRotate;
  /** HLS renditions, largest first, no two the same size. */
  readonly renditions: readonly PlannedRendition[];
  /** The progressive-download MP4: the configured MP4 rung, as large as the source allows. */
  readonly mp4: PlannedRendition;
  /** False for a source without audio: no audio selector and no audio in the outputs. */
  readonly audio: boolean;
  /** An adaptive deinterlacer (leaves progressive frames alone). */
  readonly deinterlace: boolean;
  /** Tone-map this HDR transfer to SDR BT.709. */
  readonly toneMapFrom: 'PQ' | 'HLG' | undefined;
  /** A fixed output rate when the source is above 60 fps; otherwise the source rate is kept. */
  readonly frameRate: { readonly numerator: number; readonly denominator: number } | undefined;
  /** Output frames per second for billing; undefined when the source rate is unknown. */
  readonly outputFps: number | undefined;
  readonly thumbnails: PlannedCapture;
  /** The poster: the second capture of this output (the first is frame 0, the first thumbnail). */
  readonly poster: PlannedCapture;
  readonly accelerationMode: AccelerationMode;
  /** Clip the input at this many seconds: set on the fallback plan of a source of unknown length (limits.maxSourceMinutes). */
  readonly maxInputSeconds?: number;
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

function fittedRendition(rung: LadderRung, profile: SourceProfile): PlannedRendition {
  const long = Math.max(rung.width, rung.height);
  const short = Math.min(rung.width, rung.height);
  const size = fitIntoBox(long, short, profile.displayWidth, profile.displayHeight);
  return {
    name: rung.name,
    ...size,
    scaling: 'STRETCH_TO_OUTPUT',
    qvbrQualityLevel: rung.qvbrQualityLevel,
    maxBitrate: rung.maxBitrate,
    billedWidth: size.width,
    billedHeight: size.height,
  };
}

/**
 * The ladder for one source: each rung fitted into the source (same pixel budget, turned to the
 * source's orientation, never upscaled). Rungs that land on the same size keep one rendition,
 * named after the smallest of them: a 640x480 webcam clip gets one 640x480 "480p", not three.
 */
export function planRenditions(ladder: EncodingLadder, profile: SourceProfile): PlannedRendition[] {
  const byBox = [...ladder.rungs].sort((a, b) => b.width * b.height - a.width * a.height);
  const bySize = new Map<string, PlannedRendition>();
  for (const rung of byBox) {
    const rendition = fittedRendition(rung, profile);
    bySize.set(`${rendition.width}x${rendition.height}`, rendition); // a smaller box wins the name
  }
  return [...bySize.values()].sort((a, b) => b.width * b.height - a.width * a.height);
}

/** Source rates above 60 fps divided by the smallest whole factor that brings them to 60 or below. */
export function capFrameRate(rate: { numerator: number; denominator: number }): { numerator: number; denominator: number } | undefined {
  const fps = rate.numerator / rate.denominator;
  if (fps <= MAX_OUTPUT_FPS) return undefined;
  const factor = Math.ceil(fps / MAX_OUTPUT_FPS - 1e-9);
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const divisor = gcd(rate.numerator, rate.denominator * factor);
  return { numerator: rate.numerator / divisor, denominator: (rate.denominator * factor) / divisor };
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

function capture(
  size: { width: number; height: number },
  scaling: PlannedCapture['scaling'],
  intervalSeconds: number,
  maxCaptures: number,
) {
  return { intervalSeconds, maxCaptures, ...size, scaling };
}

function fallbackPlan(ladder: EncodingLadder, settings: PlanSettings): EncodingPlan {
  const box = (rung: LadderRung): PlannedRendition => {
    const long = Math.max(rung.width, rung.height);
    return {
      name: rung.name,
      width: long,
      height: long,
      scaling: 'FIT_NO_UPSCALE',
      qvbrQualityLevel: rung.qvbrQualityLevel,
      maxBitrate: rung.maxBitrate,
      billedWidth: rung.width,
      billedHeight: rung.height,
    };
  };
  const thumb = ladder.thumbnailLongSidePx;
  return {
    basis: 'fallback',
    rotate: 'AUTO',
    renditions: ladder.rungs.map(box),
    mp4: box(selectMp4Rung(ladder)),
    // Unknown: keep the default audio selector. A silent file then fails loudly (an ERROR event),
    // where dropping audio would silently lose the sound of every file Probe half-understood.
    audio: true,
    deinterlace: true,
    toneMapFrom: undefined,
    frameRate: undefined,
    outputFps: undefined,
    thumbnails: capture({ width: thumb, height: thumb }, 'FIT_NO_UPSCALE', ladder.thumbnailIntervalSeconds, ladder.maxThumbnails),
    // Length unknown: a poster 5 s in (the first frame for shorter sources).
    poster: capture({ width: thumb, height: thumb }, 'FIT_NO_UPSCALE', 5, 2),
    accelerationMode: accelerationFor(settings.acceleration, undefined),
  };
}

/**
 * The encoding plan for one source, a pure function of what the source is and the configuration.
 *
 * | source                       | plan                                                                  |
 * |------------------------------|-----------------------------------------------------------------------|
 * | unknown (`undefined`)        | safe fallback: FIT_NO_UPSCALE boxes of each rung's long side, Rotate AUTO |
 * | smaller than a rung          | that rung at the source's own size (even), duplicates dropped         |
 * | portrait (after rotation)    | portrait renditions of the rung's pixel budget, Rotate AUTO           |
 * | above 60 fps                 | output rate divided down to 60 or below                               |
 * | no audio track               | no audio selector and no audio outputs                                |
 * | interlaced                   | adaptive deinterlacer                                                 |
 * | HDR (PQ, HLG)                | tone-mapped to SDR BT.709                                             |
 * | non-square pixels            | square-pixel outputs at the display size                              |
 *
 * @param profile the source profile, or undefined when Probe gave nothing usable.
 */
export function planEncoding(profile: SourceProfile | undefined, ladder: EncodingLadder, settings: PlanSettings): EncodingPlan {
  if (profile === undefined) return fallbackPlan(ladder, settings);
  const renditions = planRenditions(ladder, profile);
  const mp4Fitted = fittedRendition(selectMp4Rung(ladder), profile);
  // The MP4 equals one of the HLS renditions; take that one's name so both read the same.
  const mp4 = renditions.find((r) => r.width === mp4Fitted.width && r.height === mp4Fitted.height) ?? mp4Fitted;
  const frameRate = capFrameRate(profile.frameRate);
  const rate = frameRate ?? profile.frameRate;
  const thumbSize = fitIntoBox(ladder.thumbnailLongSidePx, ladder.thumbnailLongSidePx, profile.displayWidth, profile.displayHeight);
  const thumbnails = thumbnailInterval(profile.durationSeconds, ladder);
  // A later frame than the first thumbnail: a fifth of the way in, at least 1 s (the first frame for shorter sources).
  const posterAt = Math.max(1, Math.round(profile.durationSeconds / 5));
  return {
    basis: 'probe',
    // Rotate AUTO reads the MP4/MOV matrix; other containers get their rotation spelled out.
    rotate: hasMp4Header(profile.container) ? 'AUTO' : profile.rotation === 0 ? 'DEGREE_0' : (`DEGREES_${profile.rotation}` as InputRotate),
    renditions,
    mp4,
    audio: profile.hasAudio,
    deinterlace: profile.scanType === 'interlaced',
    toneMapFrom: profile.hdr,
    frameRate,
    outputFps: rate.numerator / rate.denominator,
    thumbnails: capture(
      { width: Math.max(MIN_DIMENSION, thumbSize.width), height: Math.max(MIN_DIMENSION, thumbSize.height) },
      'STRETCH_TO_OUTPUT',
      thumbnails.intervalSeconds,
      thumbnails.maxCaptures,
    ),
    poster: capture(
      { width: Math.max(MIN_DIMENSION, thumbSize.width), height: Math.max(MIN_DIMENSION, thumbSize.height) },
      'STRETCH_TO_OUTPUT',
      posterAt,
      2,
    ),
    accelerationMode: accelerationFor(settings.acceleration, profile.durationSeconds),
  };
}
