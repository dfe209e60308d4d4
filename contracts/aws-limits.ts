/**
 * Service limits that the config schema and the constructs both check: one owner, so the
 * schema and a construct used directly can never disagree.
 */

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Lambda function limits (and the bounds of asynchronous invocation). */
export const LAMBDA_LIMITS = {
  memorySize: { min: 128, max: 10_240 },
  /** Under 10 s leaves no room for the SDK's retries of one throttled call. */
  timeoutSeconds: { min: 10, max: 900 },
  reservedConcurrency: { min: 1, max: 1000 },
  retryAttempts: { min: 0, max: 2 },
  maximumEventAgeSeconds: { min: 60, max: 21_600 },
} as const;

/** EventBridge's retry policy of a target. */
export const EVENTBRIDGE_TARGET_LIMITS = {
  /** EventBridge keeps an undelivered event from 1 minute to 24 hours. */
  maximumEventAgeSeconds: { min: 60, max: 86_400 },
  /** EventBridge retries a target at most 185 times. */
  maximumRetryAttempts: { min: 0, max: 185 },
} as const;

/** CloudFront price classes. */
export const PRICE_CLASSES = ['PriceClass_100', 'PriceClass_200', 'PriceClass_All'] as const;
export type PriceClass = (typeof PRICE_CLASSES)[number];

/** S3 storage classes a lifecycle rule can move source originals to. */
export const COLD_STORAGE_CLASSES = ['STANDARD_IA', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'] as const;
export type ColdStorageClass = (typeof COLD_STORAGE_CLASSES)[number];

/** S3 needs objects to stay 30 days in STANDARD before a transition to STANDARD_IA. */
export const MIN_TRANSITION_DAYS = 30;

/** SQS keeps a message at most 14 days: every dead-letter queue keeps its messages that long, to give a redrive time. */
export const SQS_MAX_RETENTION_SECONDS = 1_209_600;
