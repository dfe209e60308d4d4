/**
 * The jobs table's shape that both sides must agree on: the handlers' transitions write it,
 * the JobsTable construct declares it. No SDK imports here: the published package's stacks load it.
 */

/**
 * The sparse index of records that still need something (a job, an outcome, a notification):
 * `openShard` and `openSince` are set by the first claim and removed when the record is
 * FAILED or notified. The stuck-record sweep queries it; the JobsTable construct declares it.
 */
export const OPEN_RECORDS_INDEX = {
  name: 'open-records',
  partitionKey: 'openShard',
  sortKey: 'openSince',
  /** The one partition value: a record is open or absent from the index. */
  partition: 'open',
  /** What the sweep reads of each record besides the keys (jobs/open-records). */
  projectedAttributes: ['status', 'jobId', 'submittedAt', 'completedAt', 'updatedAt', 'notifiedAt'],
} as const;
