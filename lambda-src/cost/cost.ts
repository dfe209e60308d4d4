import type { EncodingPlan } from '../encoding/encoding-plan';
import type { AccelerationMode } from '../../contracts/functions/submit-job';
import type { OutputGroupDetail } from '../jobs/job-event';
import { FEATURE_TIERS, FeatureTier, PriceTable } from '../../contracts/pricing';
import type { BillingTier } from '../../contracts/job-metadata';

/** One billed output of a plan. */
export interface OutputCost {
  readonly name: string;
  readonly resolutionClass: 'SD' | 'HD' | 'UHD';
  /** Normalized minutes per output minute. */
  readonly multiplier: number;
  readonly usd: number;
}

/** The estimated MediaConvert bill of one job. */
export interface CostEstimate {
  readonly tier: BillingTier;
  readonly normalizedMinutes: number;
  readonly usd: number;
  readonly outputs: readonly OutputCost[];
  /** The price table's date, so a stored estimate says which prices it used. */
  readonly pricesAsOf: string;
  /** The plan's features whose tier no page read here confirms: the estimate's assumptions, by name. */
  readonly assumptions?: readonly string[];
}

/** The billing-relevant features a plan uses, with the tier each bills at (contracts/pricing.ts). */
export function planFeatures(plan: EncodingPlan): FeatureTier[] {
  // Every job this builder makes asks for trick-play tiles (encoding/trick-play.ts).
  const features: FeatureTier[] = [FEATURE_TIERS.h264SinglePassQvbr, FEATURE_TIERS.trickPlay];
  if (plan.accelerationMode !== 'DISABLED') features.push(FEATURE_TIERS.acceleration);
  if (plan.deinterlace) features.push(FEATURE_TIERS.deinterlacing);
  if (plan.toneMapFrom) features.push(FEATURE_TIERS.toneMapping);
  if (plan.hdrRenditions.length > 0) features.push(FEATURE_TIERS.hevc);
  if (plan.renditions.some((r) => r.audio.codecProfile === 'HEV1') && plan.audio) features.push(FEATURE_TIERS.heAac);
  return features;
}

/** MediaConvert bills each output per second, with at least 10 seconds. */
const MIN_BILLED_SECONDS = 10;

/**
 * The tier a job with this acceleration mode is billed at: any acceleration is Professional
 * (PREFERRED counts as accelerated: it may be, and the estimate should err high).
 */
export function billingTierOf(mode: AccelerationMode): BillingTier {
  return mode === 'DISABLED' ? 'BASIC' : 'PROFESSIONAL';
}

/** The tier of a planned job: Professional when accelerated or when it has HEVC outputs (the HDR ladder). */
export function billingTierOfPlan(plan: Pick<EncodingPlan, 'accelerationMode' | 'hdrRenditions'>): BillingTier {
  return plan.hdrRenditions.length > 0 ? 'PROFESSIONAL' : billingTierOf(plan.accelerationMode);
}

/** Output minutes as billed: per second, at least {@link MIN_BILLED_SECONDS} per output. */
export function billedMinutes(durationSeconds: number): number {
  return Math.max(MIN_BILLED_SECONDS, Math.ceil(durationSeconds)) / 60;
}

function rateOf(tier: BillingTier, prices: PriceTable): number {
  return tier === 'PROFESSIONAL' ? prices.professionalPerNormalizedMinute : prices.basicPerNormalizedMinute;
}

/** x2 (the table's figure) for outputs above 30 fps; 1 when the rate is unknown. */
function frameRateMultiplier(fps: number | undefined, prices: PriceTable): number {
  return fps !== undefined && fps > prices.highFrameRateAboveFps ? prices.highFrameRateMultiplier : 1;
}

/** SD, HD or UHD by pixel count, so orientation does not matter. */
export function resolutionClass(width: number, height: number, prices: PriceTable): OutputCost['resolutionClass'] {
  const pixels = width * height;
  if (pixels < prices.hdFromPixels) return 'SD';
  return pixels <= prices.uhdAbovePixels ? 'HD' : 'UHD';
}

/**
 * The estimated cost of running a plan on a source of `durationSeconds`: every HLS rendition at its
 * own output rate (540 lines and below run at 30 fps or less, so at x1), the MP4 and the thumbnail
 * capture output (the poster is one of its images), at the Basic rate, or at the Professional rate
 * for every output when the plan accelerates (PREFERRED is counted as accelerated: it may be).
 *
 * @param outputFps one frame rate for every video output, overriding the plan's per-rendition rates
 *   (the old fixed job, whose outputs followed the source's rate).
 */
export function estimateCost(plan: EncodingPlan, durationSeconds: number, prices: PriceTable, outputFps?: number): CostEstimate {
  const tier = billingTierOfPlan(plan);
  const rate = rateOf(tier, prices);
  const minutes = billedMinutes(durationSeconds);
  // The CMAF group's audio-only rendition (HDR ladder) is not priced: audio-only outputs are not video normalized minutes.
  const video = [...plan.renditions, plan.mp4, ...plan.hdrRenditions].map((r) => {
    const cls = resolutionClass(r.billedWidth, r.billedHeight, prices);
    const fpsMultiplier = frameRateMultiplier(outputFps ?? r.fps ?? plan.outputFps, prices);
    return { name: r.name, resolutionClass: cls, multiplier: prices.resolutionMultiplier[cls.toLowerCase() as 'sd'] * fpsMultiplier };
  });
  const captures = [{ name: 'thumbnails', resolutionClass: 'SD' as const, multiplier: prices.resolutionMultiplier.sd }];
  const outputs = [...video, ...captures].map((o) => ({ ...o, usd: o.multiplier * minutes * rate }));
  const normalizedMinutes = outputs.reduce((sum, o) => sum + o.multiplier * minutes, 0);
  const assumptions = planFeatures(plan)
    .filter((f) => !f.confirmed)
    .map((f) => `${f.feature} billed at ${f.tier}`);
  return {
    tier,
    normalizedMinutes,
    usd: normalizedMinutes * rate,
    outputs,
    pricesAsOf: prices.asOf,
    ...(assumptions.length > 0 ? { assumptions } : {}),
  };
}

/** One output of a finished job as MediaConvert reported it, for billing. */
export interface BilledOutput {
  readonly durationMs: number;
  /** The real size; undefined for a frame capture or when the event gave none. */
  readonly width?: number;
  readonly height?: number;
  readonly frameCapture: boolean;
}

/**
 * The outputs of a COMPLETE event as billed: each output with a duration, frame captures told
 * apart by their `.jpg` files (MediaConvert lists only the last image of each).
 */
export function billedOutputsOf(groups: readonly OutputGroupDetail[]): BilledOutput[] {
  return groups.flatMap((group) =>
    group.outputDetails.flatMap((detail) => {
      if (detail.durationInMs === undefined || !Number.isFinite(detail.durationInMs) || detail.durationInMs < 0) return [];
      // A CMAF group's audio-only rendition (the HDR ladder's) is not a video output: the price table has no audio rate, it is left out.
      if (group.type === 'CMAF_GROUP' && detail.videoDetails === undefined) return [];
      const frameCapture = detail.outputFilePaths.some((path) => /\.jpe?g$/i.test(path));
      const size =
        !frameCapture && detail.videoDetails ? { width: detail.videoDetails.widthInPx, height: detail.videoDetails.heightInPx } : {};
      return [{ durationMs: detail.durationInMs, frameCapture, ...size }];
    }),
  );
}

/** What a finished job cost, estimated from its real outputs. */
export interface CompletedJobCost {
  readonly tier: BillingTier;
  /** Billed output minutes, every output counted (each at least 10 s). */
  readonly outputMinutes: number;
  readonly normalizedMinutes: number;
  readonly usd: number;
  readonly pricesAsOf: string;
}

/**
 * The estimated bill of a finished job from the outputs MediaConvert reported: each output's real
 * duration and size, the job's tier and its output frame rate, priced with the same table as
 * {@link estimateCost}. Frame captures count as SD; a video output without a size counts as HD
 * (the usual class, and the higher of the two a ladder mostly has).
 *
 * @param fps the output frame rate; undefined (a job planned without a probe) counts as 30 fps or less.
 */
export function estimateCompletedJobCost(
  outputs: readonly BilledOutput[],
  job: { readonly tier: BillingTier; readonly fps: number | undefined },
  prices: PriceTable,
): CompletedJobCost {
  const fpsMultiplier = frameRateMultiplier(job.fps, prices);
  let outputMinutes = 0;
  let normalizedMinutes = 0;
  for (const output of outputs) {
    const minutes = billedMinutes(output.durationMs / 1000);
    const cls = output.frameCapture
      ? 'SD'
      : output.width !== undefined && output.height !== undefined
        ? resolutionClass(output.width, output.height, prices)
        : 'HD';
    const multiplier = prices.resolutionMultiplier[cls.toLowerCase() as 'sd'] * (output.frameCapture ? 1 : fpsMultiplier);
    outputMinutes += minutes;
    normalizedMinutes += minutes * multiplier;
  }
  return { tier: job.tier, outputMinutes, normalizedMinutes, usd: normalizedMinutes * rateOf(job.tier, prices), pricesAsOf: prices.asOf };
}
