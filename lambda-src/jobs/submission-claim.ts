/**
 * The submit side's claim on an upload (job-record's diagram, left half): claim, retake, and the
 * holder's writes SUBMITTED, RETRYABLE and FAILED, each with the decision that reads a refusal.
 */
import type { UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { OPEN_RECORDS_INDEX } from '../../contracts/jobs-table';
import { ClaimHolder, JobRecord, PlanRecordFields, SubmitFailure, requestIdOf } from './job-record';
import { JobRecordStatus, STATUS_RANK } from './record-status';
import { Computed, conditionalUpdate } from './update-expression';

/**
 * Claims a new upload: only when no record exists. The record starts SUBMITTING and open.
 * The value `:status` is always the status a transition writes.
 */
export function claimUpload(
  args: ClaimHolder & { readonly source: string; readonly pipeline: string; readonly clientRequestToken: string },
): UpdateItemCommandInput {
  const now = args.now.getTime();
  return conditionalUpdate({
    ...args,
    set: {
      status: 'SUBMITTING' satisfies JobRecordStatus,
      source: args.source,
      pipeline: args.pipeline,
      clientRequestToken: args.clientRequestToken,
      claimId: args.claimId,
      claimedAt: now,
      claims: 1,
      openShard: OPEN_RECORDS_INDEX.partition,
      openSince: now,
      updatedAt: args.now.toISOString(),
    },
    condition: 'attribute_not_exists(#assetId)',
  });
}

/**
 * Takes over a claim that {@link decideRefusedClaim} found released, stale or left by an
 * earlier attempt of the same event. Guarded by the exact claim and status seen, so of two
 * invocations retaking the same claim only one succeeds.
 */
export function retakeClaim(args: ClaimHolder & { readonly observed: Pick<JobRecord, 'status' | 'claimId'> }): UpdateItemCommandInput {
  const now = args.now.getTime();
  return conditionalUpdate({
    ...args,
    set: {
      status: 'SUBMITTING' satisfies JobRecordStatus,
      claimId: args.claimId,
      claimedAt: now,
      claims: new Computed('if_not_exists(#claims, :zero) + :one'),
      openShard: OPEN_RECORDS_INDEX.partition,
      openSince: new Computed('if_not_exists(#openSince, :claimedAt)'),
      updatedAt: args.now.toISOString(),
    },
    condition:
      args.observed.claimId === undefined
        ? '#status = :observedStatus AND attribute_not_exists(#claimId)'
        : '#status = :observedStatus AND #claimId = :observedClaimId',
    values: { ':zero': 0, ':one': 1, ':observedStatus': args.observed.status, ':observedClaimId': args.observed.claimId },
  });
}

const HELD_CLAIM = '#claimId = :claimId AND #status = :submitting';

/**
 * SUBMITTING → SUBMITTED with the job id, by the claim's holder only. `plan` is what the record
 * keeps of the job's plan (probe-source recordFieldsOf: basis, source profile, cost), when this
 * attempt planned the job rather than found it.
 */
export function recordSubmitted(args: ClaimHolder & { readonly jobId: string; readonly plan?: PlanRecordFields }): UpdateItemCommandInput {
  return conditionalUpdate({
    ...args,
    set: {
      ...args.plan,
      status: 'SUBMITTED' satisfies JobRecordStatus,
      jobId: args.jobId,
      submittedAt: args.now.toISOString(),
      updatedAt: args.now.toISOString(),
    },
    remove: ['error'],
    condition: HELD_CLAIM,
    values: { ':claimId': args.claimId, ':submitting': 'SUBMITTING' },
  });
}

/**
 * SUBMITTING → RETRYABLE after a transient failure: the next attempt (or delivery) may retake
 * it. `jobId` is the job when it was created but could not be recorded as SUBMITTED, so the
 * next attempt finds it by id.
 */
export function releaseRetryable(args: ClaimHolder & { readonly error: SubmitFailure; readonly jobId?: string }): UpdateItemCommandInput {
  return conditionalUpdate({
    ...args,
    set: { status: 'RETRYABLE' satisfies JobRecordStatus, error: args.error, jobId: args.jobId, updatedAt: args.now.toISOString() },
    condition: HELD_CLAIM,
    values: { ':claimId': args.claimId, ':submitting': 'SUBMITTING' },
  });
}

/** SUBMITTING → FAILED when MediaConvert rejected the job: final, with the reason, and closed. */
export function recordFailed(args: ClaimHolder & { readonly error: SubmitFailure }): UpdateItemCommandInput {
  return conditionalUpdate({
    ...args,
    set: { status: 'FAILED' satisfies JobRecordStatus, error: args.error, updatedAt: args.now.toISOString() },
    remove: [OPEN_RECORDS_INDEX.partitionKey, OPEN_RECORDS_INDEX.sortKey],
    condition: HELD_CLAIM,
    values: { ':claimId': args.claimId, ':submitting': 'SUBMITTING' },
  });
}

/** What a refused claim means, from the record that refused it. */
export type ClaimDecision =
  /** Our own claim, written by an attempt whose answer was lost: carry on. */
  | { readonly action: 'proceed' }
  /** No record after all: claim it as new. */
  | { readonly action: 'claim' }
  /** Take the claim over; a job may exist already (`jobId` when known), so look for it before creating one. */
  | {
      readonly action: 'retake';
      readonly reason: 'released' | 'stale' | 'same-event';
      readonly observed: Pick<JobRecord, 'status' | 'claimId'>;
      readonly jobId?: string;
    }
  /** Nothing to do for this delivery. */
  | { readonly action: 'duplicate'; readonly reason: 'in-flight' | 'has-job' | 'failed' };

/**
 * Decides what to do when a claim (new or retake) was refused.
 *
 * | record holding the upload                                   | decision                          |
 * |-------------------------------------------------------------|-----------------------------------|
 * | none                                                        | claim                             |
 * | SUBMITTING with our claim id                                | proceed (our write was applied)   |
 * | RETRYABLE                                                   | retake (released)                 |
 * | SUBMITTING, claimed longer ago than the claim TTL           | retake (stale: its holder is dead) |
 * | SUBMITTING by an earlier attempt of this event              | retake (same-event)               |
 * | SUBMITTING by another delivery, fresh                       | duplicate (in-flight)             |
 * | FAILED                                                      | duplicate (failed)                |
 * | SUBMITTED or any job state                                  | duplicate (has-job)               |
 */
export function decideRefusedClaim(
  record: JobRecord | undefined,
  me: { readonly claimId: string; readonly now: Date; readonly claimTtlMs: number },
): ClaimDecision {
  if (record === undefined) return { action: 'claim' };
  const observed = { status: record.status, ...(record.claimId !== undefined ? { claimId: record.claimId } : {}) };
  const retake = (reason: 'released' | 'stale' | 'same-event'): ClaimDecision => ({
    action: 'retake',
    reason,
    observed,
    ...(record.jobId !== undefined ? { jobId: record.jobId } : {}),
  });
  if (record.status === 'SUBMITTING') {
    if (record.claimId === me.claimId) return { action: 'proceed' };
    if ((record.claimedAt ?? 0) < me.now.getTime() - me.claimTtlMs) return retake('stale');
    if (record.claimId !== undefined && requestIdOf(record.claimId) === requestIdOf(me.claimId)) return retake('same-event');
    return { action: 'duplicate', reason: 'in-flight' };
  }
  if (record.status === 'RETRYABLE') return retake('released');
  if (record.status === 'FAILED') return { action: 'duplicate', reason: 'failed' };
  return { action: 'duplicate', reason: 'has-job' };
}

/** What a refused write by the claim holder (SUBMITTED, RETRYABLE, FAILED) means. */
export type HolderWriteDecision =
  /** Our own earlier attempt of this write was applied (its answer was lost). */
  | { readonly action: 'applied' }
  /** A job's events recorded its id first; `sameJob` is false when it is another job than ours. */
  | { readonly action: 'job-recorded'; readonly jobId: string; readonly sameJob: boolean }
  /** Another invocation retook the claim; it looks the job up before creating one. */
  | { readonly action: 'superseded' }
  /** The record is not what any transition leaves: investigate. */
  | { readonly action: 'conflict' };

/**
 * Decides what a refused holder write means, from the record that refused it.
 * @param intended the status the write set, and for SUBMITTED the job id.
 */
export function decideRefusedHolderWrite(
  record: JobRecord | undefined,
  me: { readonly claimId: string },
  intended: { readonly status: 'SUBMITTED' | 'RETRYABLE' | 'FAILED'; readonly jobId?: string },
): HolderWriteDecision {
  if (record === undefined) return { action: 'conflict' };
  if (record.claimId === me.claimId && record.status === intended.status && record.jobId === intended.jobId) return { action: 'applied' };
  if (record.jobId !== undefined && (STATUS_RANK[record.status] > 0 || record.status === 'SUBMITTED')) {
    return { action: 'job-recorded', jobId: record.jobId, sameJob: intended.jobId === undefined || intended.jobId === record.jobId };
  }
  if (record.claimId !== me.claimId) return { action: 'superseded' };
  return { action: 'conflict' };
}
