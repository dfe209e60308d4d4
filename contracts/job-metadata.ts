/**
 * Every UserMetadata key a job carries from the submit function to its state-change events: the
 * event rule matches on the pipeline, job events find the record by assetId, and measure processing
 * time and cost from the rest without reading the jobs table. Written once here, read everywhere.
 */

/** MediaConvert's UserMetadata limits: at most 10 entries, keys up to 128 characters, values up to 256. */
export const USER_METADATA_LIMITS = { maxEntries: 10, maxKeyLength: 128, maxValueLength: 256 } as const;

/** `vod-<env>`: whose job it is; the EventBridge rule matches only its own pipeline's jobs. */
export const PIPELINE_METADATA_KEY = 'pipeline';
/** The jobs-table key of the upload (see deriveAssetId). */
export const ASSET_ID_METADATA_KEY = 'assetId';
/** The `s3://` URI of the upload. */
export const SOURCE_METADATA_KEY = 'source';
/** What Probe said of the source, compact JSON (serializeSourceSummary). */
export const SOURCE_PROFILE_METADATA_KEY = 'sourceProfile';

/** The MediaConvert pricing tier a job is billed at: every output of it alike. */
export type BillingTier = 'BASIC' | 'PROFESSIONAL';
/** The tiers, for parsers of the tier a job carries. */
export const BILLING_TIERS: readonly BillingTier[] = ['BASIC', 'PROFESSIONAL'];

/** Epoch milliseconds of the CreateJob call, as decimal text. */
export const SUBMITTED_AT_METADATA_KEY = 'submittedAt';
/** `BASIC` or `PROFESSIONAL`: the plan's tier (see cost.ts billingTierOf). */
export const BILLING_TIER_METADATA_KEY = 'billingTier';
/** The trick-play grid the job asked for (contracts/trick-play.ts serializeTrickPlayGrid): job events build the storyboard from it. */
export const TRICK_PLAY_METADATA_KEY = 'trickPlay';

/** The submission time read back; undefined when absent or not a positive integer. */
export function parseSubmittedAt(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) return undefined;
  const time = Number(value);
  return time > 0 ? time : undefined;
}

/** The tier read back; undefined when absent or unknown (a job submitted before the key existed). */
export function parseBillingTier(value: unknown): BillingTier | undefined {
  return (BILLING_TIERS as readonly unknown[]).includes(value) ? (value as BillingTier) : undefined;
}
