// zod/mini, as in ladder.ts: the handlers that decode the table stay small.
import * as z from 'zod/mini';
import type { EnvCodec } from './env-contract';
import { formatZodIssues } from './errors';

/**
 * MediaConvert on-demand prices the cost model uses: one table, its units, tier and date, and
 * where each figure comes from.
 *
 * | figure                         | value     | unit                                   | source (page, date read)                     |
 * |--------------------------------|-----------|----------------------------------------|----------------------------------------------|
 * | Basic tier rate                | $0.0075   | USD per normalized minute              | A                                            |
 * | Professional tier rate         | $0.0225   | USD per normalized minute              | A; C says "about 3x Basic": the table's own rate is used, never 3x Basic |
 * | SD multiplier (< 1280x720 px)  | 1         | normalized minutes per output minute   | A (structure), B; figures inferred           |
 * | HD multiplier (up to 1920x1080)| 2         |                                        | as above                                     |
 * | UHD multiplier (above 1080p)   | 4         |                                        | as above                                     |
 * | frame rate above 30 fps        | x2        | on top of the resolution multiplier    | as above                                     |
 * | frame-capture output           | as SD     | our assumption: A does not say         | —                                            |
 * | billing granularity            | per second, at least 10 s per output | | D                                 |
 *
 * - A: https://aws.amazon.com/mediaconvert/pricing/ ("On-demand rates", "How to calculate normalized
 *   minutes"), us-east-1, first monthly volume tier; figures as recorded in shared/REFERENCE.md
 *   ("Pricing", the 2026 price list), checked against the page's structure 2026-12-02 (a mirror in
 *   the offline reference corpus: normalized minutes, Basic and Professional tiers, volume tiers).
 *   The rates themselves could not be re-read offline on 2026-12-02: re-read them before relying
 *   on an estimate, and set `asOf` to the month read.
 * - B: AWS for M&E blog, "Optimize costs with tiered pricing in AWS Elemental MediaConvert"
 *   (2024-09): multipliers by frame rate, resolution, codec and passes; volume discounts per month.
 * - C: MediaConvert user guide, "Accelerated transcoding" (2026-12-02): a Professional-tier feature.
 * - D: the pricing page (German mirror, read 2026-12-02): per-second billing, 10 s minimum per output.
 * - Tier: the first monthly volume tier, on demand, us-east-1. Later volume tiers are cheaper.
 * - Resolution classes are by pixel count, so a portrait 720x1280 output is HD like 1280x720.
 * - Which tier each feature this pipeline uses bills at: {@link FEATURE_TIERS}.
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

/** A feature the pipeline can use, the tier the estimate bills it at, and how sure that is. */
export interface FeatureTier {
  readonly feature: string;
  readonly tier: 'BASIC' | 'PROFESSIONAL';
  /** True when a page says so; false when no page read here says (the estimate then names it as an assumption). */
  readonly confirmed: boolean;
  readonly source: string;
}

/**
 * The tier of each feature the job builder can use. A job-wide Professional feature bills every
 * output at the Professional rate.
 */
export const FEATURE_TIERS = {
  h264SinglePassQvbr: {
    feature: 'H.264 QVBR, SINGLE_PASS_HQ',
    tier: 'BASIC',
    confirmed: true,
    source: 'pricing page, Basic tier: "AVC codec and speed-optimized or balanced single-pass encoding" (read 2026-12-02)',
  },
  acceleration: {
    feature: 'accelerated transcoding (ENABLED or PREFERRED)',
    tier: 'PROFESSIONAL',
    confirmed: true,
    source: 'user guide, "Accelerated transcoding": "a Professional tier feature" (read 2026-12-02)',
  },
  deinterlacing: {
    feature: 'adaptive deinterlacer (every probed job)',
    tier: 'BASIC',
    confirmed: false,
    source:
      "the pricing page's tier comparison could not be read offline (2026-12-02); billed at Basic, as REFERENCE.md lists it nowhere among Professional features",
  },
  toneMapping: {
    feature: 'HDR-to-SDR tone mapping (ColorCorrector)',
    tier: 'BASIC',
    confirmed: false,
    source:
      "the pricing page's tier comparison could not be read offline (2026-12-02); billed at Basic, as REFERENCE.md lists it nowhere among Professional features",
  },
  hevc: {
    feature: 'HEVC (H.265) Main10 outputs (the HDR ladder, `transcoding.hdr: hevc-ladder`)',
    tier: 'PROFESSIONAL',
    confirmed: false,
    source:
      'the pricing page\'s Basic tier names only "AVC codec" (read 2026-12-02) and REFERENCE.md lists HEVC among Professional features; whether HEVC adds a codec multiplier on top (blog B mentions multipliers by codec) could not be read offline: none is applied',
  },
  trickPlay: {
    feature: 'image-based trick play (HLS)',
    tier: 'BASIC',
    confirmed: false,
    source:
      "the pricing page's tier comparison could not be read offline (2026-12-02); every job asks for it (ADVANCED, one HLS group). Billed at Basic, as REFERENCE.md lists it nowhere among Professional features, and not as an output of its own: no page read here says whether the tiles bill as one",
  },
  heAac: {
    feature: 'HE-AAC audio (weak-network rung)',
    tier: 'BASIC',
    confirmed: false,
    source: 'audio is not a normalized-minute multiplier on the pricing page as read (2026-12-02); assumed Basic',
  },
} as const satisfies Record<string, FeatureTier>;

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
    // The Professional rate is read from the price list, never derived as 3x Basic; below Basic it is a typo.
    z.refine((t) => t.professionalPerNormalizedMinute >= t.basicPerNormalizedMinute, {
      message: 'professionalPerNormalizedMinute must not be below basicPerNormalizedMinute (read both from the price list)',
      path: ['professionalPerNormalizedMinute'],
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
