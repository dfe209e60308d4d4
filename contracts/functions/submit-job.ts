/**
 * The submit function's contract: what the Ingest construct writes into its environment and
 * what the handler reads at cold start, plus the MediaConvert enums both sides share. One
 * owner: a new setting is one entry here, and the round-trip test covers it.
 */
import { EncodingLadder, parseLadder, serializeLadder } from '../ladder';
import { defineEnvContract, enumCodec, integerCodec, stringCodec } from '../env-contract';
import { PriceTable, priceTableCodec } from '../pricing';
import { CLAIM_TTL_SECONDS_RANGE, REQUEST_TIMEOUT_MS_RANGE } from '../time-budget';
import { UploadLimits, uploadLimitsCodec } from '../upload-limits';

/** `AccelerationSettings.Mode` of CreateJob. Anything but DISABLED may bill the job at Professional-tier rates. */
export const ACCELERATION_MODES = ['DISABLED', 'ENABLED', 'PREFERRED'] as const;
export type AccelerationMode = (typeof ACCELERATION_MODES)[number];

/** `StatusUpdateInterval` of CreateJob: how often MediaConvert emits STATUS_UPDATE events (API model enum). */
export const STATUS_UPDATE_INTERVALS = [
  'SECONDS_10',
  'SECONDS_12',
  'SECONDS_15',
  'SECONDS_20',
  'SECONDS_30',
  'SECONDS_60',
  'SECONDS_120',
  'SECONDS_180',
  'SECONDS_240',
  'SECONDS_300',
  'SECONDS_360',
  'SECONDS_420',
  'SECONDS_480',
  'SECONDS_540',
  'SECONDS_600',
] as const;
export type StatusUpdateInterval = (typeof STATUS_UPDATE_INTERVALS)[number];

/** Longest source MediaConvert accepts is far below a day; a larger minimum is a typo. */
export const MAX_ACCELERATION_MIN_SOURCE_MINUTES = 1440;

/** When to pay for accelerated transcoding. */
export interface AccelerationPolicy {
  /** The mode for sources the rule lets through. */
  readonly mode: AccelerationMode;
  /**
   * Accelerate only sources at least this long (a long source is where the speed-up matters and
   * a short one is cheap to wait for); 0 accelerates every source. With a minimum, sources of
   * unknown length are not accelerated.
   */
  readonly minSourceMinutes: number;
}

/**
 * What an HDR (HDR10 or HLG) source becomes: `tone-map` gives SDR H.264 only; `hevc-ladder` adds an
 * HEVC Main10 (hvc1) ladder that keeps the HDR, beside the SDR H.264 ladder, in one CMAF/HLS master.
 * HEVC bills the whole job at the Professional tier (FEATURE_TIERS.hevc).
 */
export const HDR_MODES = ['tone-map', 'hevc-ladder'] as const;
export type HdrMode = (typeof HDR_MODES)[number];

/** Inputs of the plan that are configuration, not facts of the source (the ladder is the other). */
export interface PlanSettings {
  readonly acceleration: AccelerationPolicy;
  /** What an HDR source becomes; absent = `tone-map`. */
  readonly hdr?: HdrMode;
}

/** Everything the submit function knows besides the upload itself. */
export interface SubmitSettings {
  /** Pipeline id (`vod-dev`): every job's `UserMetadata.pipeline`, matched by the event rule. */
  readonly pipeline: string;
  /** ARN of the pipeline's MediaConvert queue. */
  readonly queueArn: string;
  /** ARN of the role MediaConvert jobs run as. */
  readonly roleArn: string;
  /** Bucket the renditions are written to. */
  readonly outputBucket: string;
  /** The jobs table, keyed by assetId. */
  readonly jobsTable: string;
  /** The encoding ladder (validated again at cold start). */
  readonly ladder: EncodingLadder;
  readonly statusUpdateInterval: StatusUpdateInterval;
  readonly accelerationMode: AccelerationMode;
  /** Accelerate only sources at least this many minutes long; 0 accelerates every source (when the mode allows). */
  readonly accelerationMinSourceMinutes: number;
  /** What an HDR source becomes (`tone-map` or `hevc-ladder`). */
  readonly hdr: HdrMode;
  /** A claim older than this belongs to an invocation that timed out: the function's timeout. */
  readonly claimTtlSeconds: number;
  /** The SDK clients' per-attempt HTTP timeout, well inside the function timeout (requestTimeoutMsFor). */
  readonly requestTimeoutMs: number;
  /** The price table of the cost estimate on the record and of the source-resolution metric. */
  readonly prices: PriceTable;
  /** What one upload may be and cost; above a limit it is recorded FAILED and no job is created. */
  readonly limits: UploadLimits;
  /** The job notifications topic: an upload refused before any job is announced there, like any failure. */
  readonly topicArn: string;
}

const contract = defineEnvContract<SubmitSettings>({
  pipeline: { name: 'PIPELINE_ID', codec: stringCodec },
  queueArn: { name: 'MEDIACONVERT_QUEUE_ARN', codec: stringCodec },
  roleArn: { name: 'MEDIACONVERT_ROLE_ARN', codec: stringCodec },
  outputBucket: { name: 'OUTPUT_BUCKET', codec: stringCodec },
  jobsTable: { name: 'JOBS_TABLE', codec: stringCodec },
  // Compact JSON, so a ladder change is a readable line in `terraform plan`.
  ladder: { name: 'ENCODING_LADDER', codec: { encode: serializeLadder, decode: parseLadder } },
  statusUpdateInterval: { name: 'STATUS_UPDATE_INTERVAL', codec: enumCodec(STATUS_UPDATE_INTERVALS) },
  accelerationMode: { name: 'ACCELERATION_MODE', codec: enumCodec(ACCELERATION_MODES) },
  accelerationMinSourceMinutes: { name: 'ACCELERATION_MIN_SOURCE_MINUTES', codec: integerCodec(0, MAX_ACCELERATION_MIN_SOURCE_MINUTES) },
  hdr: { name: 'HDR_MODE', codec: enumCodec(HDR_MODES) },
  claimTtlSeconds: { name: 'CLAIM_TTL_SECONDS', codec: integerCodec(CLAIM_TTL_SECONDS_RANGE.min, CLAIM_TTL_SECONDS_RANGE.max) },
  requestTimeoutMs: { name: 'REQUEST_TIMEOUT_MS', codec: integerCodec(REQUEST_TIMEOUT_MS_RANGE.min, REQUEST_TIMEOUT_MS_RANGE.max) },
  // Compact JSON, like the ladder: a price change is one readable line in `terraform plan`.
  prices: { name: 'PRICE_TABLE', codec: priceTableCodec },
  limits: { name: 'UPLOAD_LIMITS', codec: uploadLimitsCodec },
  topicArn: { name: 'TOPIC_ARN', codec: stringCodec },
});

/** The environment variables and their codecs. */
export const SUBMIT_JOB_VARIABLES = contract.variables;

/** Called by the Ingest construct: the function's environment variables. */
export function toEnvironment(settings: SubmitSettings): Record<string, string> {
  return contract.toEnvironment(settings);
}

/** The plan's configuration from the settings (the ladder is passed on its own). */
export function toPlanSettings(settings: SubmitSettings): PlanSettings {
  return {
    acceleration: { mode: settings.accelerationMode, minSourceMinutes: settings.accelerationMinSourceMinutes },
    hdr: settings.hdr,
  };
}

/**
 * Called by the handler at cold start; no fallbacks.
 * @throws MissingEnvironmentError or InvalidEnvironmentError naming the variable.
 */
export function fromEnvironment(env: Readonly<Record<string, string | undefined>>): SubmitSettings {
  return contract.fromEnvironment(env);
}
