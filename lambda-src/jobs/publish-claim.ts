/**
 * The job-events side's claim on publishing a terminal state exactly once (job-record's diagram,
 * right end): claim, retake, mark notified or release, and the decisions that read a refusal.
 */
import type { UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import type { JobState } from '../../contracts/functions/job-events';
import { OPEN_RECORDS_INDEX } from '../../contracts/jobs-table';
import { JobRecord, RecordTarget, requestIdOf } from './job-record';
import { conditionalUpdate } from './update-expression';

/** Which terminal state of which job a publish is about. */
export interface PublishTarget extends RecordTarget {
  readonly jobId: string;
  readonly status: JobState;
  readonly publishClaimId: string;
}

const PUBLISHABLE = '#status = :terminal AND #jobId = :jobId AND attribute_not_exists(#notifiedAt)';

/** Claims the one publish of a terminal state: only while unclaimed and not yet notified. */
export function claimPublish(args: PublishTarget): UpdateItemCommandInput {
  return conditionalUpdate({
    ...args,
    set: { publishClaimId: args.publishClaimId, publishClaimedAt: args.now.getTime() },
    condition: `${PUBLISHABLE} AND attribute_not_exists(#publishClaimId)`,
    values: { ':terminal': args.status, ':jobId': args.jobId },
  });
}

/** Takes over a publish claim {@link decideRefusedPublishClaim} found stale or left by the same event. */
export function retakePublish(args: PublishTarget & { readonly observedPublishClaimId: string }): UpdateItemCommandInput {
  return conditionalUpdate({
    ...args,
    set: { publishClaimId: args.publishClaimId, publishClaimedAt: args.now.getTime() },
    condition: `${PUBLISHABLE} AND #publishClaimId = :observedPublishClaimId`,
    values: { ':terminal': args.status, ':jobId': args.jobId, ':observedPublishClaimId': args.observedPublishClaimId },
  });
}

/** After the publish: marks the state notified and closes the record, by the publish claim's holder. */
export function markNotified(args: RecordTarget & { readonly publishClaimId: string }): UpdateItemCommandInput {
  return conditionalUpdate({
    ...args,
    set: { notifiedAt: args.now.toISOString(), updatedAt: args.now.toISOString() },
    remove: [OPEN_RECORDS_INDEX.partitionKey, OPEN_RECORDS_INDEX.sortKey],
    condition: '#publishClaimId = :publishClaimId',
    values: { ':publishClaimId': args.publishClaimId },
  });
}

/** After a failed publish: gives the claim up so the retry (or a duplicate event) publishes. */
export function releasePublish(args: RecordTarget & { readonly publishClaimId: string }): UpdateItemCommandInput {
  return conditionalUpdate({
    ...args,
    set: { updatedAt: args.now.toISOString() },
    remove: ['publishClaimId', 'publishClaimedAt'],
    condition: '#publishClaimId = :publishClaimId AND attribute_not_exists(#notifiedAt)',
    values: { ':publishClaimId': args.publishClaimId },
  });
}

/** What a refused publish claim means. */
export type PublishClaimDecision =
  | { readonly action: 'proceed' }
  /** Unclaimed after all (released meanwhile): claim it again. */
  | { readonly action: 'claim' }
  | { readonly action: 'retake'; readonly reason: 'stale' | 'same-event'; readonly observedPublishClaimId: string }
  /** Someone else is publishing it now: this duplicate publishes nothing. */
  | { readonly action: 'in-flight' }
  | { readonly action: 'notified' }
  /** The record moved to another state or job; this publish is no longer due. */
  | { readonly action: 'moved-on' };

/**
 * Decides what to do when a publish claim was refused, by the same own-claim rule as
 * {@link decideRefusedClaim}: our own claim proceeds, a stale one or an earlier attempt of the
 * same event is retaken, a fresh one of another delivery means this delivery is a duplicate.
 */
export function decideRefusedPublishClaim(
  record: JobRecord | undefined,
  me: {
    readonly publishClaimId: string;
    readonly jobId: string;
    readonly status: JobState;
    readonly now: Date;
    readonly claimTtlMs: number;
  },
): PublishClaimDecision {
  if (record === undefined || record.status !== me.status || record.jobId !== me.jobId) return { action: 'moved-on' };
  if (record.notifiedAt !== undefined) return { action: 'notified' };
  const holder = record.publishClaimId;
  if (holder === undefined) return { action: 'claim' };
  if (holder === me.publishClaimId) return { action: 'proceed' };
  if ((record.publishClaimedAt ?? 0) < me.now.getTime() - me.claimTtlMs) {
    return { action: 'retake', reason: 'stale', observedPublishClaimId: holder };
  }
  if (requestIdOf(holder) === requestIdOf(me.publishClaimId))
    return { action: 'retake', reason: 'same-event', observedPublishClaimId: holder };
  return { action: 'in-flight' };
}

/**
 * What a refused {@link markNotified} means: `applied` when our own earlier attempt marked it
 * (its answer was lost), `taken-over` when another invocation holds the publish now (it will
 * mark it; our message stands, so the state may be notified twice).
 */
export function decideRefusedNotified(record: JobRecord | undefined, publishClaimId: string): 'applied' | 'taken-over' {
  return record?.notifiedAt !== undefined && record.publishClaimId === publishClaimId ? 'applied' : 'taken-over';
}
