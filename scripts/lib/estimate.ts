/**
 * `npm run estimate`: the plan the pipeline would submit for a described source, and its cost,
 * from the same plan and cost model as the submit function (lambda-src/encoding/encoding-plan, cost).
 */
import { parseArgs } from 'node:util';
import { CostEstimate, estimateCost } from '../../lambda-src/cost/cost';
import { EncodingPlan, planEncoding } from '../../lambda-src/encoding/encoding-plan';
import { PlanSettings } from '../../contracts/functions/submit-job';
import type { EncodingLadder } from '../../contracts/ladder';
import type { PriceTable } from '../../contracts/pricing';
import { SourceProfile, describeSource } from '../../lambda-src/encoding/source-profile';
import type { PipelineConfig } from '../../stacks/config';

export const ESTIMATE_USAGE = `Usage: npm run estimate -- --minutes <n> --height <lines> --fps <n> [--portrait] [--hdr] [--env <name>]

  --minutes   length of the source in minutes, e.g. 10 or 2.5
  --height    lines of the source (480, 720, 1080, 2160…): a 16:9 frame, the short side when --portrait
  --fps       frames per second, e.g. 25, 29.97 or 60
  --portrait  an upright phone video (720 → 720x1280)
  --hdr       an HDR source (HLG, 10-bit): tone-mapped to SDR, priced the same; also prints what the HDR ladder would add
  --env       an environment of stacks/environments.ts: its ladder, acceleration rule and price table
              (default: the config defaults)`;

/** The source to estimate, as given on the command line. */
export interface EstimateOptions {
  readonly minutes: number;
  readonly height: number;
  readonly fps: number;
  readonly portrait: boolean;
  readonly hdr: boolean;
  readonly env?: string;
}

/** A command line that does not describe a source: what is wrong, for the usage message. */
export class EstimateUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EstimateUsageError';
  }
}

function numberOption(value: string | undefined, name: string, check: (n: number) => boolean, expected: string): number {
  if (value === undefined) throw new EstimateUsageError(`--${name} is required`);
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || !check(parsed))
    throw new EstimateUsageError(`--${name} ${value}: expected ${expected}`);
  return parsed;
}

/**
 * The options of `npm run estimate`.
 * @throws EstimateUsageError naming the option that is missing, unknown or out of range.
 */
export function parseEstimateArgs(argv: readonly string[]): EstimateOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        minutes: { type: 'string' },
        height: { type: 'string' },
        fps: { type: 'string' },
        portrait: { type: 'boolean' },
        hdr: { type: 'boolean' },
        env: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new EstimateUsageError((error as Error).message);
  }
  const str = (name: string) => values[name] as string | undefined;
  return {
    minutes: numberOption(str('minutes'), 'minutes', (n) => n > 0 && n <= 1440, 'a length in minutes above 0 and at most 1440'),
    height: numberOption(str('height'), 'height', (n) => Number.isInteger(n) && n >= 32 && n <= 4320, 'whole lines from 32 to 4320'),
    fps: numberOption(str('fps'), 'fps', (n) => n > 0 && n <= 240, 'frames per second above 0 and at most 240'),
    portrait: values.portrait === true,
    hdr: values.hdr === true,
    ...(str('env') !== undefined ? { env: str('env') } : {}),
  };
}

/** What the plan and its price depend on besides the source: one environment's settings. */
export interface EstimateBasis {
  /** The environment's name, or undefined for the config defaults. */
  readonly environment: string | undefined;
  readonly ladder: EncodingLadder;
  readonly planSettings: PlanSettings;
  readonly prices: PriceTable;
}

/** The basis of an environment's validated config. */
export function basisOf(config: PipelineConfig, environment: string | undefined): EstimateBasis {
  return {
    environment,
    ladder: config.transcoding.ladder,
    planSettings: {
      acceleration: { mode: config.transcoding.accelerationMode, minSourceMinutes: config.transcoding.accelerationMinSourceMinutes },
      hdr: config.transcoding.hdr,
    },
    prices: config.pricing,
  };
}

const even = (n: number) => Math.round(n / 2) * 2;

/** The described source as a profile: a 16:9 frame of `height` lines, turned upright when portrait. */
export function profileOf(options: EstimateOptions): SourceProfile {
  const long = even((options.height * 16) / 9);
  const [width, height] = options.portrait ? [options.height, long] : [long, options.height];
  const fps = Number.isInteger(options.fps)
    ? { numerator: options.fps, denominator: 1 }
    : { numerator: Math.round(options.fps * 1000), denominator: 1000 };
  return describeSource({
    durationSeconds: options.minutes * 60,
    displayWidth: width,
    displayHeight: height,
    frameRate: fps,
    ...(options.hdr ? { hdr: 'HLG' as const, bitDepth: 10 } : {}),
  });
}

/** The plan and its estimate for the described source. */
export function estimateSource(
  options: EstimateOptions,
  basis: EstimateBasis,
): { profile: SourceProfile; plan: EncodingPlan; cost: CostEstimate } {
  const profile = profileOf(options);
  const plan = planEncoding(profile, basis.ladder, basis.planSettings);
  return { profile, plan, cost: estimateCost(plan, profile.durationSeconds, basis.prices) };
}

const usd = (n: number) => `$${n.toFixed(4)}`;

/** The report: the source, every output with its size, class and price per source minute, the tier and the totals. */
export function formatEstimate(options: EstimateOptions, basis: EstimateBasis): string {
  const { profile, plan, cost } = estimateSource(options, basis);
  const minutes = profile.durationSeconds / 60;
  const sizes = new Map<string, string>([
    ...plan.renditions.map((r) => [r.name, `${r.width}x${r.height}`] as const),
    ...plan.hdrRenditions.map((r) => [r.name, `${r.width}x${r.height}`] as const),
    ['thumbnails', `${plan.thumbnails.width}x${plan.thumbnails.height}`],
  ]);
  const rates = new Map(
    [...plan.renditions, plan.mp4].map((r) => [
      r.name,
      `QVBR ${r.qvbrQualityLevel}, max ${r.maxBitrate / 1e6} Mb/s, ${r.fps === undefined ? 'source rate' : `${Number(r.fps.toFixed(3))} fps`}, ${r.codecLevel.replace('LEVEL_', 'level ').replace('_', '.')}, ${r.audio.codecProfile === 'HEV1' ? 'HE-AAC' : 'AAC-LC'} ${r.audio.bitrate / 1000} kb/s`,
    ]),
  );
  for (const r of plan.hdrRenditions)
    rates.set(
      r.name,
      `HEVC Main10 hvc1 QVBR ${r.qvbrQualityLevel}, max ${r.maxBitrate / 1e6} Mb/s, ${Number(r.fps.toFixed(3))} fps, VIDEO-RANGE ${plan.keepHdr}`,
    );
  const rows = cost.outputs.map((output, index) => {
    const name = index === plan.renditions.length ? `mp4 ${output.name}` : output.name;
    const size = index === plan.renditions.length ? `${plan.mp4.width}x${plan.mp4.height}` : (sizes.get(output.name) ?? '');
    const rate = output.name === 'thumbnails' ? 'JPEG frame captures (the poster is one of them)' : (rates.get(output.name) ?? '');
    return `  ${name.padEnd(14)} ${size.padEnd(10)} ${output.resolutionClass.padEnd(5)} ${usd(output.usd / minutes).padStart(8)}  ${rate}`;
  });
  const fps = profile.frameRate.numerator / profile.frameRate.denominator;
  return [
    `Source: ${minutes} min, ${profile.displayWidth}x${profile.displayHeight}, ${Number(fps.toFixed(3))} fps${options.hdr ? ', HDR (HLG, 10-bit)' : ''}`,
    `Config: ${basis.environment === undefined ? 'the config defaults' : `environment ${basis.environment}`}; prices of ${basis.prices.asOf}, ${basis.prices.region} (contracts/pricing.ts)`,
    `Plan: ${plan.renditions.length} HLS renditions${plan.hdrRenditions.length > 0 ? ` and ${plan.hdrRenditions.length} HEVC HDR renditions in one CMAF group` : ''}, an MP4, thumbnails every ${plan.thumbnails.intervalSeconds} s (the poster is one); ${cost.tier} tier (acceleration ${plan.accelerationMode}${plan.hdrRenditions.length > 0 ? ', HEVC' : ''})`,
    `  ${'output'.padEnd(14)} ${'size'.padEnd(10)} ${'class'.padEnd(5)} ${'USD/min'.padStart(8)}`,
    ...rows,
    `Estimated cost: ${usd(cost.usd / minutes)} per source minute, ${usd(cost.usd)} for ${minutes} min (${(cost.normalizedMinutes / minutes).toFixed(1)} normalized minutes per source minute)`,
    ...(cost.assumptions ?? []).map((a) => `Assumed (no page read confirms the tier; see FEATURE_TIERS in contracts/pricing.ts): ${a}`),
    ...hdrLadderLine(options, basis, cost.usd / minutes),
  ].join('\n');
}

/** For an HDR source planned with tone mapping only: what `transcoding.hdr: 'hevc-ladder'` would cost instead. */
function hdrLadderLine(options: EstimateOptions, basis: EstimateBasis, perMinute: number): string[] {
  if (!options.hdr || basis.planSettings.hdr === 'hevc-ladder') return [];
  const ladder = estimateSource(options, { ...basis, planSettings: { ...basis.planSettings, hdr: 'hevc-ladder' } });
  const withLadder = ladder.cost.usd / (ladder.profile.durationSeconds / 60);
  return [
    `With transcoding.hdr 'hevc-ladder' (${ladder.plan.hdrRenditions.map((r) => r.name).join(', ')} added, ${ladder.cost.tier} tier): ${usd(withLadder)} per source minute (+${usd(withLadder - perMinute)})`,
  ];
}
