/**
 * The jobs-table record of one upload (key `assetId`) and every way it may change. Each
 * transition is a conditional UpdateItem that returns the blocking item when refused
 * (`ReturnValuesOnConditionCheckFailure: ALL_OLD`), and each refusal has a pure decision
 * that reads that item (submission-claim, job-state-record, publish-claim; update-expression builds
 * the writes). Both handlers change records only through these transitions; the
 * content-analysis function writes only the record's `analysis` attribute (analysis/analysis-record).
 *
 * ```
 *            claimUpload             recordSubmitted            recordJobState         claimPublish → markNotified
 *  (none) ──────────────► SUBMITTING ───────────────► SUBMITTED ──────────────► PROGRESSING ──► COMPLETE|ERROR|CANCELED
 *                          │  ▲   │ recordFailed                     ▲                              (notifiedAt)
 *         releaseRetryable │  │   └────────────► FAILED              │ a job's events also move SUBMITTING/RETRYABLE on
 *                          ▼  │ retakeClaim (released, stale, or the same event's retry)
 *                        RETRYABLE
 * ```
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { JobWarning } from './job-event';
import type { AnalysisRecord } from '../analysis/analysis-record';
import type { OutputUrls } from '../delivery/outputs';
import type { JobRecordStatus } from './record-status';
import type { BillingTier } from '../../contracts/job-metadata';
import type { EncodingPlan } from '../encoding/encoding-plan';
import type { SourceSummary } from '../encoding/source-profile';

/** Why the submit side gave up on an attempt (FAILED or RETRYABLE). */
export interface SubmitFailure {
  readonly name: string;
  readonly message: string;
}

/** MediaConvert's error of an ERROR job. */
export interface JobError {
  readonly code: number | string | null;
  readonly message: string | null;
}

/**
 * What the record keeps of the submit function's plan (probe-source recordFieldsOf), written by
 * recordSubmitted when the attempt planned the job rather than found it.
 */
export interface PlanRecordFields {
  /** Whether the plan was built from Probe's reading of the source or is the fallback ladder. */
  readonly plan: EncodingPlan['basis'];
  /** The probe summary; absent for the fallback plan. */
  readonly sourceProfile?: SourceSummary;
  /** Why the fallback plan was used. */
  readonly fallbackReason?: string;
  /** Absent when the source's length is unknown (fallback). */
  readonly estimatedCost?: { readonly usd: number; readonly tier: BillingTier; readonly pricesAsOf: string };
}

/** One upload's record, as stored. */
export interface JobRecord extends Partial<PlanRecordFields> {
  readonly assetId: string;
  readonly status: JobRecordStatus;
  readonly pipeline?: string;
  /** The upload's `s3://` URI. */
  readonly source?: string;
  readonly clientRequestToken?: string;
  /** The invocation holding the submission: `<requestId>/<nonce>` (see {@link newClaimId}). */
  readonly claimId?: string;
  /** When the claim was taken, epoch ms. */
  readonly claimedAt?: number;
  /** How many times the upload was claimed (1 unless retaken). */
  readonly claims?: number;
  readonly openShard?: string;
  /** The first claim, epoch ms; kept across retakes. */
  readonly openSince?: number;
  readonly jobId?: string;
  readonly submittedAt?: string;
  readonly error?: SubmitFailure | JobError;
  readonly outputs?: OutputUrls;
  readonly durationMs?: number;
  /** When MediaConvert reached the terminal state. */
  readonly completedAt?: string;
  /** The job's warnings, on a terminal state that has any. */
  readonly warnings?: readonly JobWarning[];
  /** The invocation publishing the terminal state, and when it claimed that. */
  readonly publishClaimId?: string;
  readonly publishClaimedAt?: number;
  readonly notifiedAt?: string;
  /** Content analysis of the job's MP4 (analysis/analysis-record), when it is on. */
  readonly analysis?: AnalysisRecord;
  readonly updatedAt?: string;
}

/**
 * A claim id for one invocation: the Lambda request id, which Lambda keeps across the async
 * retries of one event, plus a nonce that is new per invocation. A claim's holder is
 * "this invocation" (same id), "an earlier attempt of this event" (same request id) or
 * "another delivery" (anything else).
 */
export function newClaimId(requestId: string, nonce: string): string {
  return `${requestId}/${nonce}`;
}

/** The Lambda request id of a claim id: the same for every attempt of one event. */
export function requestIdOf(claimId: string): string {
  return claimId.slice(0, claimId.lastIndexOf('/'));
}

/** The record in a refused write's `Item` (ALL_OLD), or undefined when there was none. */
export function refusedRecord(item: Record<string, unknown> | undefined): JobRecord | undefined {
  return item === undefined ? undefined : (unmarshall(item as Parameters<typeof unmarshall>[0]) as JobRecord);
}

/** Which record a transition writes, and when. */
export interface RecordTarget {
  readonly table: string;
  readonly assetId: string;
  readonly now: Date;
}

/** A submit-side transition made by the invocation holding the claim. */
export interface ClaimHolder extends RecordTarget {
  readonly claimId: string;
}
