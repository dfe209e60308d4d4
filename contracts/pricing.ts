// zod/mini, as in ladder.ts: the handlers that decode the table stay small.
import * as z from 'zod/mini';
import type { EnvCodec } from './env-contract';
import { formatZodIssues } from './errors';

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

const positive = (label: string) => z.number().check(z.positive(`${label} must be a positive number`));
const rate = (label: string) => positive(label).check(z.maximum(10, `${label} is in USD per normalized minute; above $10 is a typo`));

/**
 * The price table as configuration: every field optional, defaulting to {@link MEDIACONVERT_PRICES}.
 * The stack config takes it (`pricing`), and the functions that estimate cost receive it as JSON
 * ({@link priceTableCodec}), so a price change is one line in `terraform plan`.
 */
export const PriceTableSchema = z
  .strictObject({
    asOf: z
      ._default(z.string().check(z.regex(/^\d{4}-\d{2}$/, 'use YYYY-MM, the month the prices were read')), MEDIACONVERT_PRICES.asOf)
      .check(z.describe('When the figures were read from the price list (YYYY-MM).')),
    region: z._default(z.string().check(z.minLength(1)), MEDIACONVERT_PRICES.region).check(z.describe('The region the figures are for.')),
    basicPerNormalizedMinute: z
      ._default(rate('basicPerNormalizedMinute'), MEDIACONVERT_PRICES.basicPerNormalizedMinute)
      .check(z.describe('Basic tier rate, USD per normalized minute.')),
    professionalPerNormalizedMinute: z
      ._default(rate('professionalPerNormalizedMinute'), MEDIACONVERT_PRICES.professionalPerNormalizedMinute)
      .check(z.describe('Professional tier rate, USD per normalized minute.')),
    resolutionMultiplier: z
      ._default(
        z.strictObject({
          sd: positive('sd').check(z.describe('Multiplier of SD outputs (below `hdFromPixels`).')),
          hd: positive('hd').check(z.describe('Multiplier of HD outputs (up to `uhdAbovePixels`).')),
          uhd: positive('uhd').check(z.describe('Multiplier of UHD outputs (above `uhdAbovePixels`).')),
        }),
        MEDIACONVERT_PRICES.resolutionMultiplier,
      )
      .check(z.describe('Normalized minutes per output minute, by resolution class (SD, HD, UHD).')),
    highFrameRateMultiplier: z
      ._default(positive('highFrameRateMultiplier'), MEDIACONVERT_PRICES.highFrameRateMultiplier)
      .check(z.describe('Applied on top of the resolution multiplier to outputs above `highFrameRateAboveFps`.')),
    highFrameRateAboveFps: z
      ._default(positive('highFrameRateAboveFps'), MEDIACONVERT_PRICES.highFrameRateAboveFps)
      .check(z.describe('Frame rate above which an output counts as high frame rate.')),
    hdFromPixels: z
      ._default(z.number().check(z.int(), z.positive()), MEDIACONVERT_PRICES.hdFromPixels)
      .check(z.describe('Pixel count from which an output is HD; below it, SD.')),
    uhdAbovePixels: z
      ._default(z.number().check(z.int(), z.positive()), MEDIACONVERT_PRICES.uhdAbovePixels)
      .check(z.describe('Pixel count above which an output is UHD.')),
  })
  .check(
    z.refine((t) => t.hdFromPixels < t.uhdAbovePixels, {
      message: 'hdFromPixels must be below uhdAbovePixels',
      path: ['uhdAbovePixels'],
    }),
  );

/** The price table travels as compact JSON and is validated again when decoded. */
export const priceTableCodec: EnvCodec<PriceTable> = {
  encode: (table) => JSON.stringify(table),
  decode: (raw) => {
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (cause) {
      throw new Error(`not JSON (${(cause as Error).message})`, { cause });
    }
    const result = PriceTableSchema.safeParse(value);
    if (!result.success) throw new Error(`not a price table:\n${formatZodIssues(result.error)}`);
    return result.data;
  },
};
