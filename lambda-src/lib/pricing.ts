/**
 * MediaConvert on-demand prices the cost model uses: one table, its units, tier and date.
 *
 * | figure                         | value     | unit                                   |
 * |--------------------------------|-----------|----------------------------------------|
 * | Basic tier rate                | $0.0075   | USD per normalized minute              |
 * | Professional tier rate         | $0.0225   | USD per normalized minute (3x Basic)   |
 * | SD multiplier (< 1280x720 px)  | 1         | normalized minutes per output minute   |
 * | HD multiplier (up to 1920x1080)| 2         |                                        |
 * | UHD multiplier (above 1080p)   | 4         |                                        |
 * | frame rate above 30 fps        | x2        | on top of the resolution multiplier    |
 * | frame-capture output           | as SD     | our assumption, see below              |
 *
 * - Source: shared/REFERENCE.md ("Pricing tiers"), review of the MediaConvert price list; the
 *   pricing page's structure (normalized minutes, Basic and Professional tiers, resolution and
 *   frame-rate multipliers, monthly volume tiers since the September 2024 billing cycle) was
 *   confirmed; the figures themselves could not be re-read offline.
 * - Tier: the first monthly volume tier, on demand, us-east-1. Later volume tiers are cheaper.
 * - Date: figures as of 2024-09 (the normalized-minute price model). Update `asOf` with them.
 * - Resolution classes are by pixel count, so a portrait 720x1280 output is HD like 1280x720.
 * - Frame captures: the price list does not say how they are billed here; they are counted as SD
 *   outputs so the estimate errs high, not low.
 * - Accelerated transcoding, MULTI_PASS_HQ, HEVC, AV1 and Automated ABR bill every output of the
 *   job at the Professional rate.
 */
export interface PriceTable {
  /** When the figures were read from the price list (YYYY-MM). */
  readonly asOf: string;
  readonly region: string;
  readonly basicPerNormalizedMinute: number;
  readonly professionalPerNormalizedMinute: number;
  readonly resolutionMultiplier: { readonly sd: number; readonly hd: number; readonly uhd: number };
  /** Applied to outputs above `highFrameRateAboveFps`. */
  readonly highFrameRateMultiplier: number;
  readonly highFrameRateAboveFps: number;
  /** Pixel counts: below `hdFromPixels` is SD, up to `uhdAbovePixels` is HD, above is UHD. */
  readonly hdFromPixels: number;
  readonly uhdAbovePixels: number;
}

/** The MediaConvert on-demand price table (see the module comment for sources and caveats). */
export const MEDIACONVERT_PRICES: PriceTable = {
  asOf: '2024-09',
  region: 'us-east-1',
  basicPerNormalizedMinute: 0.0075,
  professionalPerNormalizedMinute: 0.0225,
  resolutionMultiplier: { sd: 1, hd: 2, uhd: 4 },
  highFrameRateMultiplier: 2,
  highFrameRateAboveFps: 30,
  hdFromPixels: 1280 * 720,
  uhdAbovePixels: 1920 * 1080,
};
