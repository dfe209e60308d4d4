/**
 * The jobs-table record of one upload (key `assetId`) and every way it may change. Each
 * transition is a conditional UpdateItem that returns the blocking item when refused
 * (`ReturnValuesOnConditionCheckFailure: ALL_OLD`), and each refusal has a pure decision
 * that reads that item. Both handlers change records only through these transitions; the
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
import type { UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { FORWARDED_JOB_STATUSES, JobState, TERMINAL_JOB_STATUSES } from '../../contracts/functions/job-events';
import type { JobStateChange, JobWarning } from './job-event';
import type { AnalysisRecord } from '../analysis/analysis-record';
import type { OutputUrls } from '../delivery/outputs';
import { OPEN_RECORDS_INDEX } from '../../contracts/jobs-table';

/** The submit side's statuses: held while there is no job yet (FAILED: there will be none). */
export const SUBMIT_STATUSES = ['SUBMITTING', 'RETRYABLE', 'SUBMITTED', 'FAILED'] as const;

/** Every status a record can hold: the submit side's, then the job states the rule forwards. */
export const JOB_RECORD_STATUSES = [...SUBMIT_STATUSES, ...FORWARDED_JOB_STATUSES] as const;
export type JobRecordStatus = (typeof JOB_RECORD_STATUSES)[number];

/**
 * How far a record has got. Job events arrive at least once and in any order, so a job state
 * only replaces a lower rank: a late PROGRESSING never undoes COMPLETE. The submit side's
 * statuses are rank 0; FAILED too, so a job that exists after all is still recorded.
 */
export const STATUS_RANK: Readonly<Record<JobRecordStatus, number>> = {
  SUBMITTING: 0,
  RETRYABLE: 0,
  SUBMITTED: 0,
  FAILED: 0,
  PROGRESSING: 1,
  COMPLETE: 2,
  ERROR: 2,
  CANCELED: 2,
};

/** True for COMPLETE, ERROR and CANCELED: nothing changes after them, and each is notified once. */
export function isTerminal(status: JobRecordStatus): boolean {
  return (TERMINAL_JOB_STATUSES as readonly string[]).includes(status);
}

export { OPEN_RECORDS_INDEX } from '../../contracts/jobs-table';

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

/** One upload's record, as stored. */
export interface JobRecord {
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
  /** What the submit function planned (probe-source recordFieldsOf), when it planned the job. */
  readonly plan?: string;
  readonly sourceProfile?: unknown;
  readonly fallbackReason?: string;
  readonly estimatedCost?: { readonly usd: number; readonly tier: string; readonly pricesAsOf: string };
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

function requestIdOf(claimId: string): string {
  return claimId.slice(0, claimId.lastIndexOf('/'));
}

/** The record in a refused write's `Item` (ALL_OLD), or undefined when there was none. */
export function refusedRecord(item: Record<string, unknown> | undefined): JobRecord | undefined {
  return item === undefined ? undefined : (unmarshall(item as Parameters<typeof unmarshall>[0]) as JobRecord);
}

/** A value computed by DynamoDB (`if_not_exists(...)`, `x + :one`) instead of a literal. */
class Computed {
  constructor(readonly expression: string) {}
}

/** Builds one conditional UpdateItem: `#name` for every attribute, `:name` for every value. */
function update(args: {
  table: string;
  assetId: string;
  set: Record<string, unknown>;
  remove?: readonly string[];
  condition: string;
  values?: Record<string, unknown>;
}): UpdateItemCommandInput {
  const names = new Set<string>();
  const values: Record<string, unknown> = { ...args.values };
  const assignments = Object.entries(args.set)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => {
      names.add(name);
      if (value instanceof Computed) return `#${name} = ${value.expression}`;
      values[`:${name}`] = value;
      return `#${name} = :${name}`;
    });
  for (const name of args.remove ?? []) names.add(name);
  for (const name of args.condition.match(/#[A-Za-z]+/g) ?? []) names.add(name.slice(1));
  for (const assignment of assignments) for (const name of assignment.match(/#[A-Za-z]+/g) ?? []) names.add(name.slice(1));
  const removal = args.remove && args.remove.length > 0 ? ` REMOVE ${args.remove.map((name) => `#${name}`).join(', ')}` : '';
  return {
    TableName: args.table,
    Key: marshall({ assetId: args.assetId }),
    UpdateExpression: `SET ${assignments.join(', ')}${removal}`,
    ConditionExpression: args.condition,
    ExpressionAttributeNames: Object.fromEntries([...names].map((name) => [`#${name}`, name])),
    ExpressionAttributeValues: marshall(values, { removeUndefinedValues: true }),
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
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

/**
 * Claims a new upload: only when no record exists. The record starts SUBMITTING and open.
 * The value `:status` is always the status a transition writes.
 */
export function claimUpload(
  args: ClaimHolder & { readonly source: string; readonly pipeline: string; readonly clientRequestToken: string },
): UpdateItemCommandInput {
  const now = args.now.getTime();
  return update({
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
  return update({
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
export function recordSubmitted(
  args: ClaimHolder & { readonly jobId: string; readonly plan?: Readonly<Record<string, unknown>> },
): UpdateItemCommandInput {
  return update({
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
  return update({
    ...args,
    set: { status: 'RETRYABLE' satisfies JobRecordStatus, error: args.error, jobId: args.jobId, updatedAt: args.now.toISOString() },
    condition: HELD_CLAIM,
    values: { ':claimId': args.claimId, ':submitting': 'SUBMITTING' },
  });
}

/** SUBMITTING → FAILED when MediaConvert rejected the job: final, with the reason, and closed. */
export function recordFailed(args: ClaimHolder & { readonly error: SubmitFailure }): UpdateItemCommandInput {
  return update({
    ...args,
    set: { status: 'FAILED' satisfies JobRecordStatus, error: args.error, updatedAt: args.now.toISOString() },
    remove: [OPEN_RECORDS_INDEX.partitionKey, OPEN_RECORDS_INDEX.sortKey],
    condition: HELD_CLAIM,
    values: { ':claimId': args.claimId, ':submitting': 'SUBMITTING' },
  });
}

/** The statuses a job state may replace: every lower rank. */
export function statusesBefore(status: JobState): JobRecordStatus[] {
  return JOB_RECORD_STATUSES.filter((candidate) => STATUS_RANK[candidate] < STATUS_RANK[status]);
}

/**
 * Records a job state change. It moves any lower-ranked record on, including a claim whose
 * holder never learnt the job id (a lost CreateJob answer), so the first event records the
 * job. It refuses a record of another job (a second job of one upload) and a state at or
 * past this one. A terminal state stores its time, outputs (with their real rendition sizes),
 * error and warnings; the record stays open until notified.
 */
export function recordJobState(
  args: Omit<RecordTarget, 'assetId'> & {
    readonly change: JobStateChange;
    readonly outputs?: OutputUrls;
    readonly durationMs?: number;
  },
): UpdateItemCommandInput {
  const { change } = args;
  const before = statusesBefore(change.status);
  const terminal = isTerminal(change.status);
  return update({
    table: args.table,
    assetId: change.assetId,
    set: {
      status: change.status,
      jobId: change.jobId,
      pipeline: change.pipeline,
      source: change.source,
      openShard: OPEN_RECORDS_INDEX.partition,
      openSince: new Computed('if_not_exists(#openSince, :eventTime)'),
      updatedAt: args.now.toISOString(),
      ...(terminal ? { completedAt: new Date(change.timestamp).toISOString() } : {}),
      ...(change.status === 'COMPLETE' ? { outputs: args.outputs ?? { mp4: [] }, durationMs: args.durationMs } : {}),
      ...(change.status === 'ERROR'
        ? { error: { code: change.errorCode ?? null, message: change.errorMessage ?? null } satisfies JobError }
        : {}),
      ...(terminal && change.warnings.length > 0 ? { warnings: change.warnings } : {}),
    },
    condition: `(attribute_not_exists(#jobId) OR #jobId = :jobId) AND (attribute_not_exists(#status) OR #status IN (${before
      .map((_, i) => `:before${i}`)
      .join(', ')}))`,
    values: { ':eventTime': change.timestamp, ...Object.fromEntries(before.map((status, i) => [`:before${i}`, status])) },
  });
}

/** Which terminal state of which job a publish is about. */
export interface PublishTarget extends RecordTarget {
  readonly jobId: string;
  readonly status: JobState;
  readonly publishClaimId: string;
}

const PUBLISHABLE = '#status = :terminal AND #jobId = :jobId AND attribute_not_exists(#notifiedAt)';

/** Claims the one publish of a terminal state: only while unclaimed and not yet notified. */
export function claimPublish(args: PublishTarget): UpdateItemCommandInput {
  return update({
    ...args,
    set: { publishClaimId: args.publishClaimId, publishClaimedAt: args.now.getTime() },
    condition: `${PUBLISHABLE} AND attribute_not_exists(#publishClaimId)`,
    values: { ':terminal': args.status, ':jobId': args.jobId },
  });
}

/** Takes over a publish claim {@link decideRefusedPublishClaim} found stale or left by the same event. */
export function retakePublish(args: PublishTarget & { readonly observedPublishClaimId: string }): UpdateItemCommandInput {
  return update({
    ...args,
    set: { publishClaimId: args.publishClaimId, publishClaimedAt: args.now.getTime() },
    condition: `${PUBLISHABLE} AND #publishClaimId = :observedPublishClaimId`,
    values: { ':terminal': args.status, ':jobId': args.jobId, ':observedPublishClaimId': args.observedPublishClaimId },
  });
}

/** After the publish: marks the state notified and closes the record, by the publish claim's holder. */
export function markNotified(args: RecordTarget & { readonly publishClaimId: string }): UpdateItemCommandInput {
  return update({
    ...args,
    set: { notifiedAt: args.now.toISOString(), updatedAt: args.now.toISOString() },
    remove: [OPEN_RECORDS_INDEX.partitionKey, OPEN_RECORDS_INDEX.sortKey],
    condition: '#publishClaimId = :publishClaimId',
    values: { ':publishClaimId': args.publishClaimId },
  });
}

/** After a failed publish: gives the claim up so the retry (or a duplicate event) publishes. */
export function releasePublish(args: RecordTarget & { readonly publishClaimId: string }): UpdateItemCommandInput {
  return update({
    ...args,
    set: { updatedAt: args.now.toISOString() },
    remove: ['publishClaimId', 'publishClaimedAt'],
    condition: '#publishClaimId = :publishClaimId AND attribute_not_exists(#notifiedAt)',
    values: { ':publishClaimId': args.publishClaimId },
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

/** What a refused job state change means. */
export type JobStateDecision =
  /** The terminal state is recorded but not yet notified: go on to the publish claim. */
  | { readonly action: 'publish' }
  /** The record is at this state or past it. */
  | { readonly action: 'stale' }
  /** The record belongs to another job of the same upload: a duplicate job exists. */
  | { readonly action: 'foreign-job'; readonly recordedJobId: string };

/** Decides what a refused {@link recordJobState} means, from the record that refused it. */
export function decideRefusedJobState(record: JobRecord | undefined, change: Pick<JobStateChange, 'jobId' | 'status'>): JobStateDecision {
  if (record?.jobId !== undefined && record.jobId !== change.jobId) return { action: 'foreign-job', recordedJobId: record.jobId };
  if (record !== undefined && isTerminal(change.status) && record.status === change.status && record.notifiedAt === undefined) {
    return { action: 'publish' };
  }
  return { action: 'stale' };
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
