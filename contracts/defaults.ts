/**
 * The defaults and ranges of every setting that both the config schema (stacks/config.ts) and a
 * construct used directly resolve: one owner, so `npm run estimate` reads them without loading a
 * construct (or a provider class), and the schema and the constructs can never disagree.
 */
import { LAMBDA_LIMITS } from './aws-limits';

/** How a function's bundle becomes the zip that Lambda receives. */
export const LAMBDA_PACKAGINGS = ['archive', 'zip'] as const;
export type LambdaPackaging = (typeof LAMBDA_PACKAGINGS)[number];

/** The defaults of the settings environments decide for every function alike (NodeFunction's FunctionSettings). */
export const FUNCTION_DEFAULTS = {
  packaging: 'archive',
  logRetentionDays: 90,
  memorySize: 256,
  timeoutSeconds: 60,
  reservedConcurrency: 10,
  retryAttempts: 2,
  /** Lambda's longest: an event waiting out a throttle is not dropped early. */
  maximumEventAgeSeconds: LAMBDA_LIMITS.maximumEventAgeSeconds.max,
} as const;

/** How long and how often EventBridge retries delivery to a function before its DLQ (JobEvents, ContentAnalysis). */
export const EVENT_TARGET_RETRY_DEFAULTS = {
  maximumEventAgeSeconds: 3600,
  maximumRetryAttempts: 10,
} as const;

/** The Lambda timeout bound, stated once for every message that explains it. */
export const LAMBDA_TIMEOUT_REASON = `3 s is too short for SDK retries, and Lambda stops at ${LAMBDA_LIMITS.timeoutSeconds.max} s`;

/** Defaults of the source, output and log buckets' lifecycle (Storage). */
export const STORAGE_DEFAULTS = {
  forceDestroy: false,
  sourceTransitionDays: 30,
  sourceColdStorageClass: 'GLACIER_IR',
  noncurrentVersionExpirationDays: 30,
  accessLogExpirationDays: 365,
} as const;

/** What a CORS allowed origin looks like: `*` or `scheme://host[:port]`, no path. */
export const CORS_ORIGIN_PATTERN = /^(\*|https?:\/\/[^\s/]+)$/;

/** Defaults of the CloudFront distribution (Delivery). */
export const DELIVERY_DEFAULTS = {
  priceClass: 'PriceClass_100',
  corsAllowedOrigins: ['*'],
  waitForDeployment: true,
  responseHeadersPolicy: true,
} as const;

/** Defaults of the job-level props (Ingest). */
export const INGEST_DEFAULTS = {
  statusUpdateInterval: 'SECONDS_60',
  accelerationMode: 'DISABLED',
  accelerationMinSourceMinutes: 0,
  hdr: 'tone-map',
} as const;

/** Defaults of the sweep's props (JobSweep). */
export const JOB_SWEEP_DEFAULTS = {
  intervalMinutes: 5,
  overdueJobMinutes: 240,
} as const;

/** Ranges of the sweep's props; the function's environment contract decodes `OVERDUE_JOB_MINUTES` with the same range. */
export const JOB_SWEEP_RANGES = {
  /** A sweep runs every 1 to 60 minutes. */
  intervalMinutes: { min: 1, max: 60 },
  /** A job may run for up to a week. */
  overdueJobMinutes: { min: 1, max: 10_080 },
} as const;

/** Defaults of the pipeline-level alarms (Monitoring). */
export const MONITORING_DEFAULTS = {
  errorRateThresholdPercent: 10,
  errorRatePeriodMinutes: 60,
  dailyCostBudgetUsd: 50,
} as const;

/** Ranges of the pipeline-level alarms. */
export const MONITORING_RANGES = {
  /** A percentage of finished jobs. */
  errorRateThresholdPercent: { min: 0, max: 100 },
  /** The error rate's window: an alarm looks back at most one day. */
  errorRatePeriodMinutes: { min: 1, max: 1440 },
  /** A budget in USD per day. */
  dailyCostBudgetUsd: { min: 0.01, max: 1_000_000 },
} as const;

/** Defaults of the analysis props (ContentAnalysis); their ranges are in contracts/functions/content-analysis. */
export const CONTENT_ANALYSIS_DEFAULTS = {
  minConfidence: 70,
  topLabels: 10,
} as const;

/** Who owns the keys of an environment's data: AWS (SSE-S3, AWS managed keys) or the customer (one KMS key per environment). */
export const KMS_KEY_MODES = ['aws-managed', 'customer'] as const;
export type KmsKeyMode = (typeof KMS_KEY_MODES)[number];
