/**
 * The statuses a jobs-table record can hold and how far each has got: the order job events
 * (at least once, in any order) may move a record in.
 */
import { FORWARDED_JOB_STATUSES, JobState, TERMINAL_JOB_STATUSES } from '../../contracts/functions/job-events';

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

/** The statuses a job state may replace: every lower rank. */
export function statusesBefore(status: JobState): JobRecordStatus[] {
  return JOB_RECORD_STATUSES.filter((candidate) => STATUS_RANK[candidate] < STATUS_RANK[status]);
}
