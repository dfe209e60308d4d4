/** A MediaConvert job state change written to the upload's record, and what a refusal of it means. */
import type { UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { OPEN_RECORDS_INDEX } from '../../contracts/jobs-table';
import type { JobStateChange } from './job-event';
import type { OutputUrls } from '../delivery/outputs';
import { JobError, JobRecord, RecordTarget } from './job-record';
import { isTerminal, statusesBefore } from './record-status';
import { Computed, conditionalUpdate } from './update-expression';

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
  return conditionalUpdate({
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
