/**
 * The cost section of `npm run bench`: for a fixed corpus of sources, the estimated cost per
 * source minute of the per-source plan beside the old fixed job (every rung at its full size
 * whatever the source, frame rate following the source, PREFERRED acceleration so Professional
 * rates), and their ratio.
 */
import { estimateCost } from '../../lambda-src/cost/cost';
import { BASIC_TIER_PLAN_SETTINGS, planEncoding } from '../../lambda-src/encoding/encoding-plan';
import { DEFAULT_RUNGS, EncodingLadder, EncodingLadderSchema } from '../../contracts/ladder';
import { MEDIACONVERT_PRICES, PriceTable } from '../../contracts/pricing';
import { SourceProfile, describeSource } from '../../lambda-src/encoding/source-profile';

/** One source of the corpus. */
export interface CorpusSource {
  readonly label: string;
  readonly profile: SourceProfile;
}

/** A nominal source of this size, rate and length (see describeSource). */
function profile(width: number, height: number, fps: number, minutes: number, extra: Partial<SourceProfile> = {}): SourceProfile {
  return describeSource({
    displayWidth: width,
    displayHeight: height,
    frameRate: { numerator: fps, denominator: 1 },
    durationSeconds: minutes * 60,
    ...extra,
  });
}

/** The corpus: a webcam clip, a phone clip, a 60 fps screen recording, a 4K HDR clip. */
export const COST_CORPUS: readonly CorpusSource[] = [
  { label: '480p30, 10 min', profile: profile(854, 480, 30, 10) },
  {
    label: '720p30 portrait phone, 2 min',
    profile: profile(720, 1280, 30, 2, { container: 'quicktime', storedWidth: 1280, storedHeight: 720, rotation: 90 }),
  },
  { label: '1080p60, 5 min', profile: profile(1920, 1080, 60, 5) },
  { label: '4K HDR (HLG, 10-bit), 1 min', profile: profile(3840, 2160, 30, 1, { hdr: 'HLG', bitDepth: 10 }) },
  {
    label: '1080i50 camcorder (25 fps interlaced), 3 min',
    profile: profile(1920, 1080, 25, 3, { scanType: 'interlaced', container: 'mpegts' }),
  },
  { label: '960x540p30, 3 min', profile: profile(960, 540, 30, 3) },
  {
    label: 'phone VFR 1080p (avg 60.04 fps), 2 min',
    profile: profile(1920, 1080, 60, 2, { container: 'quicktime', frameRate: { numerator: 90_000, denominator: 1499 } }),
  },
  { label: '720p90, 1 min', profile: profile(1280, 720, 90, 1) },
];

/** One row of the report: USD per source minute of both jobs, and new / old. */
export interface CostRow {
  readonly label: string;
  readonly planPerMinute: number;
  readonly oldPerMinute: number;
  readonly ratio: number;
}

/**
 * The old fixed job's cost: every rung and the MP4 at their full size (DEFAULT scaling upscaled),
 * at the source's frame rate, billed at Professional rates because PREFERRED acceleration was on.
 */
function oldFixedJobUsd(source: SourceProfile, ladder: EncodingLadder, prices: PriceTable): number {
  // The fallback plan bills every rung at its full size: exactly the old ladder's outputs.
  const fixed = planEncoding(undefined, ladder, { ...BASIC_TIER_PLAN_SETTINGS, acceleration: { mode: 'PREFERRED', minSourceMinutes: 0 } });
  return estimateCost(fixed, source.durationSeconds, prices, source.frameRate.numerator / source.frameRate.denominator).usd;
}

/** The report rows for a corpus, with the default ladder and the Basic-tier default plan settings. */
export function costRows(
  corpus: readonly CorpusSource[] = COST_CORPUS,
  ladder: EncodingLadder = EncodingLadderSchema.parse({ rungs: [...DEFAULT_RUNGS] }),
  prices: PriceTable = MEDIACONVERT_PRICES,
): CostRow[] {
  return corpus.map(({ label, profile: source }) => {
    const minutes = source.durationSeconds / 60;
    const planPerMinute =
      estimateCost(planEncoding(source, ladder, BASIC_TIER_PLAN_SETTINGS), source.durationSeconds, prices).usd / minutes;
    const oldPerMinute = oldFixedJobUsd(source, ladder, prices) / minutes;
    return { label, planPerMinute, oldPerMinute, ratio: planPerMinute / oldPerMinute };
  });
}

/** The rows as a Markdown table, as the README shows it. */
export function formatCostTable(rows: readonly CostRow[], prices: PriceTable = MEDIACONVERT_PRICES): string {
  const usd = (n: number) => `$${n.toFixed(4)}`;
  return [
    `| source | our plan, USD per source minute | old fixed job with PREFERRED acceleration | ratio |`,
    `|---|---|---|---|`,
    ...rows.map((r) => `| ${r.label} | ${usd(r.planPerMinute)} | ${usd(r.oldPerMinute)} | ${r.ratio.toFixed(2)} |`),
    ``,
    `Prices: MediaConvert on-demand, ${prices.region}, first volume tier, as of ${prices.asOf} (contracts/pricing.ts).`,
  ].join('\n');
}
