/**
 * UserMetadata a job carries from the submit function to its state-change events, beside the
 * pipeline, assetId, source and source profile: when it was submitted and the tier it is billed
 * at. Job events then measure processing time and estimate cost without reading the jobs table.
 */
import { BILLING_TIERS, BillingTier } from '../lambda-src/cost/cost';

/** Epoch milliseconds of the CreateJob call, as decimal text. */
export const SUBMITTED_AT_METADATA_KEY = 'submittedAt';
/** `BASIC` or `PROFESSIONAL`: the plan's tier (see cost.ts billingTierOf). */
export const BILLING_TIER_METADATA_KEY = 'billingTier';

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
