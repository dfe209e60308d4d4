import type { UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { JobStateChange } from './job-event';
import type { RecordStatus } from './job-record';
import { MappedOutputs, pickOutputUrls } from './outputs';

/** Every status a jobs-table record can hold: the submit side's, plus the recorded job states. */
export type JobStatus = RecordStatus;

/**
 * How far a job has got. Events arrive at least once and in any order, so a record only
 * moves to a higher rank: a late PROGRESSING never undoes COMPLETE. FAILED (CreateJob
 * rejected, so no job and no events) is final, like the job's own terminal states.
 */
export const STATUS_RANK: Readonly<Record<JobStatus, number>> = {
  SUBMITTING: 0,
  RETRYABLE: 0,
  SUBMITTED: 0,
  PROGRESSING: 1,
  COMPLETE: 2,
  ERROR: 2,
  CANCELED: 2,
  FAILED: 2,
};

const TERMINAL_RANK = 2;

/** True for a status after which the job never changes (and subscribers are notified). */
export function isTerminal(status: JobStatus): boolean {
  return STATUS_RANK[status] === TERMINAL_RANK;
}

/**
 * The conditional update that records a job state change on the asset's record.
 *
 * It SETs status, statusRank, jobId, updatedAt, pipeline and source; a terminal state also
 * sets completedAt (the event's time), and outputs with durationMs (COMPLETE) or error
 * (ERROR). The condition lets it through when:
 *
 * | record                                        | allowed | why                                   |
 * |-----------------------------------------------|---------|---------------------------------------|
 * | absent                                        | yes     | the event beat the submit record      |
 * | no statusRank (written by the submit side)    | yes     | any job state is newer than a submit  |
 * | lower statusRank                              | yes     | the job moved on                      |
 * | same terminal status, no notifiedAt           | yes     | retry after a failed SNS publish      |
 * | same terminal status, notifiedAt set          | no      | already delivered: never notify twice |
 * | same or higher rank otherwise                 | no      | duplicate or out-of-order event       |
 *
 * A refused update fails with ConditionalCheckFailedException: the handler drops the event.
 */
export function buildStatusUpdate(args: {
  table: string;
  change: JobStateChange;
  outputs?: MappedOutputs;
  now: Date;
}): UpdateItemCommandInput {
  const { change } = args;
  const terminal = isTerminal(change.status);
  const complete = change.status === 'COMPLETE';
  const fields: Record<string, unknown> = {
    status: change.status,
    statusRank: STATUS_RANK[change.status],
    jobId: change.jobId,
    updatedAt: args.now.toISOString(),
    pipeline: change.pipeline,
    source: change.source,
    ...(terminal ? { completedAt: new Date(change.timestamp).toISOString() } : {}),
    ...(complete ? { outputs: pickOutputUrls(args.outputs ?? { mp4: [], skipped: [] }), durationMs: args.outputs?.durationMs } : {}),
    ...(change.status === 'ERROR' ? { error: { code: change.errorCode, message: change.errorMessage } } : {}),
  };
  // Undefined fields are left out of the expression: a referenced but absent value is a ValidationException.
  const names = Object.keys(fields).filter((name) => fields[name] !== undefined);
  const conditions = [
    'attribute_not_exists(#assetId)',
    'attribute_not_exists(#statusRank)',
    '#statusRank < :statusRank',
    ...(terminal ? ['(#status = :status AND attribute_not_exists(#notifiedAt))'] : []),
  ];
  return {
    TableName: args.table,
    Key: marshall({ assetId: change.assetId }),
    UpdateExpression: `SET ${names.map((name) => `#${name} = :${name}`).join(', ')}`,
    ConditionExpression: conditions.join(' OR '),
    ExpressionAttributeNames: {
      ...Object.fromEntries(names.map((name) => [`#${name}`, name])),
      '#assetId': 'assetId',
      ...(terminal ? { '#notifiedAt': 'notifiedAt' } : {}),
    },
    ExpressionAttributeValues: marshall(Object.fromEntries(names.map((name) => [`:${name}`, fields[name]])), {
      removeUndefinedValues: true,
    }),
  };
}

/**
 * Marks the terminal state as notified, after the SNS publish. Guarded by status and
 * jobId, so it cannot mark a record another job or state has since taken over.
 */
export function buildNotifiedUpdate(args: {
  table: string;
  assetId: string;
  jobId: string;
  status: JobStatus;
  now: Date;
}): UpdateItemCommandInput {
  return {
    TableName: args.table,
    Key: marshall({ assetId: args.assetId }),
    UpdateExpression: 'SET #notifiedAt = :notifiedAt',
    ConditionExpression: '#status = :status AND #jobId = :jobId',
    ExpressionAttributeNames: { '#notifiedAt': 'notifiedAt', '#status': 'status', '#jobId': 'jobId' },
    ExpressionAttributeValues: marshall({ ':notifiedAt': args.now.toISOString(), ':status': args.status, ':jobId': args.jobId }),
  };
}
