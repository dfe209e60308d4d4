/**
 * The cost section of `npm run bench`: for a fixed corpus of sources, the estimated cost per
 * source minute of the per-source plan beside the old fixed job (every rung at its full size
 * whatever the source, frame rate following the source, PREFERRED acceleration so Professional
 * rates), and their ratio.
 */
import { billedMinutes, estimateCost, resolutionClass } from '../../lambda-src/cost/cost';
import BASELINE from './cost-baseline-31d5fa9.json';
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

/** One row of the report: USD per source minute of this plan, the 31d5fa9 plan and the old fixed job. */
export interface CostRow {
  readonly label: string;
  readonly planPerMinute: number;
  /** The per-source plan at 31d5fa9 (this starting point), from the frozen table. */
  readonly startPerMinute: number | undefined;
  readonly oldPerMinute: number;
  readonly ratio: number;
}

/** The old fixed job's outputs: four rungs at full size, a 1080p MP4 and two frame captures (its poster was a second one). */
const OLD_FIXED_JOB: readonly { readonly width: number; readonly height: number; readonly capture?: true }[] = [
  { width: 1920, height: 1080 },
  { width: 1280, height: 720 },
  { width: 854, height: 480 },
  { width: 640, height: 360 },
  { width: 1920, height: 1080 },
  { width: 640, height: 360, capture: true },
  { width: 640, height: 360, capture: true },
];

/**
 * The old fixed job's cost: every rung and the MP4 at their full size (DEFAULT scaling upscaled),
 * at the source's frame rate, billed at Professional rates because PREFERRED acceleration was on.
 * Spelled out here (not taken from the fallback plan) so later ladder changes do not move it.
 */
function oldFixedJobUsd(source: SourceProfile, prices: PriceTable): number {
  const fps = source.frameRate.numerator / source.frameRate.denominator;
  const minutes = billedMinutes(source.durationSeconds);
  const normalized = OLD_FIXED_JOB.reduce((sum, output) => {
    const cls = resolutionClass(output.width, output.height, prices).toLowerCase() as 'sd';
    const fpsMultiplier = !output.capture && fps > prices.highFrameRateAboveFps ? prices.highFrameRateMultiplier : 1;
    return sum + prices.resolutionMultiplier[cls] * fpsMultiplier * minutes;
  }, 0);
  return normalized * prices.professionalPerNormalizedMinute;
}

/**
 * The per-source plan at 31d5fa9, per source minute: a frozen table (cost-baseline-31d5fa9.json),
 * computed once at that commit with its planner and the 2024-09 prices, because that planner is
 * no longer in the tree. Undefined for a corpus source the table does not have.
 */
export function startingPointPerMinute(label: string): number | undefined {
  return (BASELINE as { sources: { label: string; usdPerSourceMinute: number }[] }).sources.find((s) => s.label === label)
    ?.usdPerSourceMinute;
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
    const oldPerMinute = oldFixedJobUsd(source, prices) / minutes;
    return { label, planPerMinute, startPerMinute: startingPointPerMinute(label), oldPerMinute, ratio: planPerMinute / oldPerMinute };
  });
}

/** The rows as a Markdown table, as docs/how-it-works.md shows it. */
export function formatCostTable(rows: readonly CostRow[], prices: PriceTable = MEDIACONVERT_PRICES): string {
  const usd = (n: number | undefined) => (n === undefined ? 'n/a' : `$${n.toFixed(4)}`);
  return [
    `| source | this plan, USD per source minute | per-source plan at 31d5fa9 (frozen) | old fixed job, PREFERRED acceleration | this / 31d5fa9 | this / old |`,
    `|---|---|---|---|---|---|`,
    ...rows.map(
      (r) =>
        `| ${r.label} | ${usd(r.planPerMinute)} | ${usd(r.startPerMinute)} | ${usd(r.oldPerMinute)} | ${r.startPerMinute ? (r.planPerMinute / r.startPerMinute).toFixed(2) : 'n/a'} | ${r.ratio.toFixed(2)} |`,
    ),
    ``,
    `Prices: MediaConvert on-demand, ${prices.region}, first volume tier, as of ${prices.asOf} (contracts/pricing.ts: source and tier of each figure).`,
    `The 31d5fa9 column is a frozen table (scripts/lib/cost-baseline-31d5fa9.json) computed at that commit; the old fixed job is spelled out in cost-report.ts.`,
  ].join('\n');
}

/** The HDR sources the HDR ladder is priced for: the committed HDR10 fixture's size, 1080p HDR, 4K HLG. */
export const HDR_LADDER_CORPUS: readonly CorpusSource[] = [
  { label: 'HDR10 768x432 (the hdr10-pq fixture), 1 min', profile: profile(768, 432, 30, 1, { hdr: 'PQ', bitDepth: 10 }) },
  { label: '1080p HDR10, 1 min', profile: profile(1920, 1080, 30, 1, { hdr: 'PQ', bitDepth: 10 }) },
  { label: '4K HDR (HLG, 10-bit), 1 min', profile: profile(3840, 2160, 30, 1, { hdr: 'HLG', bitDepth: 10 }) },
];

/** What `transcoding.hdr: 'hevc-ladder'` adds, per source minute, with the default ladder: a Markdown table. */
export function formatHdrLadderTable(
  corpus: readonly CorpusSource[] = HDR_LADDER_CORPUS,
  ladder: EncodingLadder = EncodingLadderSchema.parse({ rungs: [...DEFAULT_RUNGS] }),
  prices: PriceTable = MEDIACONVERT_PRICES,
): string {
  const usd = (n: number) => `$${n.toFixed(4)}`;
  const rows = corpus.map(({ label, profile: source }) => {
    const minutes = source.durationSeconds / 60;
    const toneMap = estimateCost(planEncoding(source, ladder, BASIC_TIER_PLAN_SETTINGS), source.durationSeconds, prices);
    const plan = planEncoding(source, ladder, { ...BASIC_TIER_PLAN_SETTINGS, hdr: 'hevc-ladder' });
    const ladderCost = estimateCost(plan, source.durationSeconds, prices);
    return `| ${label} | ${usd(toneMap.usd / minutes)} | ${usd(ladderCost.usd / minutes)} (${plan.hdrRenditions.length} HEVC rungs, ${ladderCost.tier}) | ${(ladderCost.usd / toneMap.usd).toFixed(2)} |`;
  });
  return [
    '| HDR source | tone-map (default) | hevc-ladder | ratio |',
    '|---|---|---|---|',
    ...rows,
    '',
    'HEVC bills the whole job at the Professional rate (FEATURE_TIERS.hevc in contracts/pricing.ts: an assumption, no codec multiplier applied).',
  ].join('\n');
}
