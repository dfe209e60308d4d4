import type { EncodingPlan } from './encoding-plan';
import type { PriceTable } from './pricing';

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
  readonly tier: 'BASIC' | 'PROFESSIONAL';
  readonly normalizedMinutes: number;
  readonly usd: number;
  readonly outputs: readonly OutputCost[];
  /** The price table's date, so a stored estimate says which prices it used. */
  readonly pricesAsOf: string;
}

/** MediaConvert bills each output per second, with at least 10 seconds. */
const MIN_BILLED_SECONDS = 10;

/** SD, HD or UHD by pixel count, so orientation does not matter. */
export function resolutionClass(width: number, height: number, prices: PriceTable): OutputCost['resolutionClass'] {
  const pixels = width * height;
  if (pixels < prices.hdFromPixels) return 'SD';
  return pixels <= prices.uhdAbovePixels ? 'HD' : 'UHD';
}

/**
 * The estimated cost of running a plan on a source of `durationSeconds`: every HLS rendition,
 * the MP4 and the two frame-capture outputs, at the Basic rate, or at the Professional rate for
 * every output when the plan accelerates (PREFERRED is counted as accelerated: it may be).
 *
 * @param outputFps frames per second of the video outputs; the plan's own when known.
 */
export function estimateCost(
  plan: EncodingPlan,
  durationSeconds: number,
  prices: PriceTable,
  outputFps: number | undefined = plan.outputFps,
): CostEstimate {
  const professional = plan.accelerationMode !== 'DISABLED';
  const rate = professional ? prices.professionalPerNormalizedMinute : prices.basicPerNormalizedMinute;
  const minutes = Math.max(MIN_BILLED_SECONDS, Math.ceil(durationSeconds)) / 60;
  const fpsMultiplier = outputFps !== undefined && outputFps > prices.highFrameRateAboveFps ? prices.highFrameRateMultiplier : 1;
  const video = [...plan.renditions, plan.mp4].map((r) => {
    const cls = resolutionClass(r.billedWidth, r.billedHeight, prices);
    return { name: r.name, resolutionClass: cls, multiplier: prices.resolutionMultiplier[cls.toLowerCase() as 'sd'] * fpsMultiplier };
  });
  const captures = ['thumbnails', 'poster'].map((name) => ({
    name,
    resolutionClass: 'SD' as const,
    multiplier: prices.resolutionMultiplier.sd,
  }));
  const outputs = [...video, ...captures].map((o) => ({ ...o, usd: o.multiplier * minutes * rate }));
  const normalizedMinutes = outputs.reduce((sum, o) => sum + o.multiplier * minutes, 0);
  return {
    tier: professional ? 'PROFESSIONAL' : 'BASIC',
    normalizedMinutes,
    usd: normalizedMinutes * rate,
    outputs,
    pricesAsOf: prices.asOf,
  };
}
