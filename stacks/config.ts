import { z } from 'zod';
import { DEFAULT_RUNGS, EncodingLadderSchema } from '../lambda-src/lib/ladder';
import { formatZodIssues } from '../lambda-src/lib/errors';
import { PriceTableSchema } from '../lambda-src/lib/pricing';
import { ACCELERATION_MODES, MAX_ACCELERATION_MIN_SOURCE_MINUTES, STATUS_UPDATE_INTERVALS } from '../lambda-src/submit-job/contract';
import { COLD_STORAGE_CLASSES, LAMBDA_LIMITS, LOG_RETENTION_DAYS, MIN_TRANSITION_DAYS, PRICE_CLASSES } from './lib/aws-limits';
import { CONTENT_ANALYSIS_DEFAULTS } from './constructs/content-analysis';
import { CORS_ORIGIN_PATTERN } from './constructs/delivery';
import { INGEST_DEFAULTS } from './constructs/ingest';
import { JOB_SWEEP_DEFAULTS } from './constructs/job-sweep';
import { MONITORING_DEFAULTS } from './constructs/monitoring';
import { FUNCTION_DEFAULTS } from './constructs/node-function';

export { LOG_RETENTION_DAYS } from './lib/aws-limits';

/** An AWS region name, e.g. `eu-west-1`. */
const regionSchema = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region such as "eu-west-1"');

/** An integer setting checked against a service limit. */
const limited = (limit: { readonly min: number; readonly max: number }, why = '') =>
  z.number().int().min(limit.min, `must be at least ${limit.min}${why}`).max(limit.max, `must be at most ${limit.max}${why}`);

/** Services the stack talks to; the `local` environment points each at the emulator. */
export const EMULATED_SERVICES = [
  's3',
  'iam',
  'sts',
  'lambda',
  'cloudfront',
  'events',
  'sns',
  'sqs',
  'dynamodb',
  'cloudwatch',
  'logs',
  'kms',
  'mediaconvert',
] as const;
export type EmulatedService = (typeof EMULATED_SERVICES)[number];

const S3BackendSchema = z.strictObject({
  type: z.literal('s3'),
  /** State bucket, created by the bootstrap stack. Override with TF_STATE_BUCKET. */
  bucket: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)'),
  /** Region of the state bucket. Override with TF_STATE_REGION. */
  region: regionSchema,
  /** Key prefix; each stack writes `<keyPrefix>/<stack>.tfstate`. Override with TF_STATE_KEY_PREFIX. */
  keyPrefix: z
    .string()
    .regex(/^[A-Za-z0-9!_.*'()\/-]+$/, 'must be a plain S3 key prefix without leading or trailing slash')
    .refine((p) => !p.startsWith('/') && !p.endsWith('/'), 'must not start or end with "/"'),
});

const LocalBackendSchema = z.strictObject({
  type: z.literal('local'),
  /** Relative path of the state file, relative to the stack's synth directory. */
  path: z.string().default('terraform.tfstate'),
});

/** Everything one environment of the pipeline can decide. Defaults are the secure choice. */
export const PipelineConfigSchema = z.strictObject({
  /** Environment name: part of every resource name and of the pipeline id. */
  environment: z.string().regex(/^[a-z][a-z0-9]{1,9}$/, 'use 2-10 lowercase letters or digits, starting with a letter'),
  /** Prefix of every resource name. Keep it short: bucket names are limited to 63 characters. */
  namePrefix: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,11}[a-z0-9]$/, 'use 2-13 lowercase letters, digits or hyphens, e.g. "vod"')
    .default('vod'),
  region: regionSchema.default('us-east-1'),
  /** Tags on every resource, through the provider's default_tags. */
  tags: z.record(z.string(), z.string().max(256)).default({}),
  backend: z.discriminatedUnion('type', [S3BackendSchema, LocalBackendSchema]),
  /** Let `terraform destroy` delete non-empty buckets. Only for throwaway environments. */
  forceDestroy: z.boolean().default(false),
  /** Retention of every CloudWatch log group. */
  logRetentionDays: z
    .number()
    .refine(
      (n) => (LOG_RETENTION_DAYS as readonly number[]).includes(n),
      `must be one of the CloudWatch Logs values: ${LOG_RETENTION_DAYS.join(', ')}`,
    )
    .default(FUNCTION_DEFAULTS.logRetentionDays),
  storage: z
    .strictObject({
      /** Days after upload before source originals move to `sourceColdStorageClass`. */
      sourceTransitionDays: z
        .number()
        .int()
        .min(MIN_TRANSITION_DAYS, `must be at least ${MIN_TRANSITION_DAYS} (S3 minimum before STANDARD_IA)`)
        .default(30),
      /** Storage class source originals move to. */
      sourceColdStorageClass: z.enum(COLD_STORAGE_CLASSES).default('GLACIER_IR'),
      /** Days before replaced (noncurrent) source versions are deleted. */
      noncurrentVersionExpirationDays: z.number().int().min(1).default(30),
      /** Days before access logs are deleted. */
      accessLogExpirationDays: z.number().int().min(1).default(365),
    })
    .prefault({}),
  delivery: z
    .strictObject({
      /** CloudFront price class: which edge locations serve viewers. */
      priceClass: z.enum(PRICE_CLASSES).default('PriceClass_100'),
      /** Origins allowed by CORS, for players (hls.js) on another site. */
      corsAllowedOrigins: z
        .array(z.string().regex(CORS_ORIGIN_PATTERN, 'use "*" or an origin such as "https://player.example.com"'))
        .min(1)
        .default(['*']),
      /** Wait for the distribution to deploy (turn off against emulators). */
      waitForDeployment: z.boolean().default(true),
      /** Own response-headers policy (CORS + security headers). The emulator does not implement it. */
      responseHeadersPolicy: z.boolean().default(true),
    })
    .prefault({}),
  player: z
    .strictObject({
      /** Publish the player page (`/player/index.html?asset=<assetId>`) under the distribution; off for teams with their own player. */
      enabled: z.boolean().default(true),
    })
    .prefault({}),
  lambda: z
    .strictObject({
      /** `archive`: provider-archive zips at plan time. `zip`: zipped at synth time, for mirrors with only the AWS provider. */
      packaging: z.enum(['archive', 'zip']).default(FUNCTION_DEFAULTS.packaging),
      memorySize: limited(LAMBDA_LIMITS.memorySize).default(FUNCTION_DEFAULTS.memorySize),
      /** At least 10 s: Lambda's default 3 s is too short for SDK retries. */
      timeoutSeconds: limited(LAMBDA_LIMITS.timeoutSeconds, '; 3 s is too short for SDK retries, and Lambda stops at 900 s').default(
        FUNCTION_DEFAULTS.timeoutSeconds,
      ),
      /** Caps concurrent CreateJob calls (CKV_AWS_115). */
      reservedConcurrency: limited(LAMBDA_LIMITS.reservedConcurrency).default(FUNCTION_DEFAULTS.reservedConcurrency),
      retryAttempts: limited(LAMBDA_LIMITS.retryAttempts).default(FUNCTION_DEFAULTS.retryAttempts),
      maximumEventAgeSeconds: limited(LAMBDA_LIMITS.maximumEventAgeSeconds).default(FUNCTION_DEFAULTS.maximumEventAgeSeconds),
    })
    .prefault({}),
  transcoding: z
    .strictObject({
      ladder: z.prefault(EncodingLadderSchema, { rungs: [...DEFAULT_RUNGS] }),
      /** How often MediaConvert emits STATUS_UPDATE events. */
      statusUpdateInterval: z.enum(STATUS_UPDATE_INTERVALS).default(INGEST_DEFAULTS.statusUpdateInterval),
      /** Job acceleration: anything but DISABLED may bill a job at Professional-tier rates. */
      accelerationMode: z.enum(ACCELERATION_MODES).default(INGEST_DEFAULTS.accelerationMode),
      /** With acceleration on, accelerate only sources at least this long (0: all); see README, "What it costs". */
      accelerationMinSourceMinutes: z
        .number()
        .int()
        .min(0)
        .max(MAX_ACCELERATION_MIN_SOURCE_MINUTES)
        .default(INGEST_DEFAULTS.accelerationMinSourceMinutes),
    })
    .prefault({}),
  monitoring: z
    .strictObject({
      /** A job without a terminal state this many minutes after submission counts as overdue (the sweep's OverdueJobs). */
      overdueJobMinutes: z.number().int().min(1).max(10_080).default(JOB_SWEEP_DEFAULTS.overdueJobMinutes),
      /** Minutes between sweeps of the jobs table's open records. */
      sweepIntervalMinutes: z.number().int().min(1).max(60).default(JOB_SWEEP_DEFAULTS.intervalMinutes),
      /** Optional e-mail subscription to the alarm topic (needs confirming by mail). */
      alarmEmail: z.email('must be an e-mail address').optional(),
      /** Alarm when more than this percent of the jobs finished in `errorRatePeriodMinutes` ended in ERROR. */
      errorRateThresholdPercent: z.number().min(0).max(100).default(MONITORING_DEFAULTS.errorRateThresholdPercent),
      /** The window of the job error rate, in minutes. */
      errorRatePeriodMinutes: z.number().int().min(1).max(1440).default(MONITORING_DEFAULTS.errorRatePeriodMinutes),
      /** Alarm when the estimated MediaConvert cost of one UTC day's completed jobs exceeds this (USD). */
      dailyCostBudgetUsd: z.number().min(0.01).max(1_000_000).default(MONITORING_DEFAULTS.dailyCostBudgetUsd),
    })
    .prefault({}),
  notifications: z
    .strictObject({
      /** Optional e-mail subscription to job notifications (needs confirming by mail). */
      email: z.email('must be an e-mail address').optional(),
    })
    .prefault({}),
  /**
   * The MediaConvert price table the cost estimates use (lambda-src/lib/pricing.ts documents the
   * figures, their source and date). Override a figure when your prices differ (region, volume tier).
   */
  pricing: z.prefault(PriceTableSchema, {}),
  /**
   * Content analysis with Amazon Rekognition Video: label detection on each completed job's MP4,
   * stored next to the outputs and summarized on the record. Off by default: it is billed per
   * minute of video analysed, on top of transcoding.
   */
  contentAnalysis: z
    .strictObject({
      enabled: z.boolean().default(false),
      /** Labels below this confidence (whole percent) are not returned by Rekognition. */
      minConfidence: z.number().int().min(0).max(100).default(CONTENT_ANALYSIS_DEFAULTS.minConfidence),
      /** How many labels the job record and the notification summarize (labels.json has them all). */
      topLabels: z.number().int().min(1).max(50).default(CONTENT_ANALYSIS_DEFAULTS.topLabels),
    })
    .prefault({}),
  /**
   * Endpoint of a local AWS emulator. Set only for the `local` environment:
   * every service in EMULATED_SERVICES is pointed at it, with fake credentials.
   */
  emulator: z
    .strictObject({
      endpoint: z.url('must be a URL such as "http://127.0.0.1:5000"'),
      /** MediaConvert has no emulator; a test server stands in. @default endpoint */
      mediaconvertEndpoint: z.url().optional(),
    })
    .optional(),
});

export type PipelineConfigInput = z.input<typeof PipelineConfigSchema>;
export type PipelineConfig = z.output<typeof PipelineConfigSchema>;

/** The config of one environment is invalid; the message lists every field. */
export class ConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/**
 * Validates one environment's config and fills in defaults.
 * @throws ConfigError naming every invalid field and where to fix it.
 */
export function parsePipelineConfig(input: unknown, source: string): PipelineConfig {
  const result = PipelineConfigSchema.safeParse(input);
  if (!result.success) {
    throw new ConfigError(
      `Invalid pipeline config (${source}):\n${formatZodIssues(result.error)}\nFix these fields where the environment is declared, or the environment variables that override them (README, "Configuration reference").`,
      { cause: result.error },
    );
  }
  return result.data;
}

/** The pipeline id: carried by every job's UserMetadata and matched by the event rule. */
export function pipelineId(config: Pick<PipelineConfig, 'namePrefix' | 'environment'>): string {
  return `${config.namePrefix}-${config.environment}`;
}
