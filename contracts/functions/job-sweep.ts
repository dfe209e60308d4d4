/**
 * The job-sweep function's contract: the environment the JobSweep construct writes and the
 * handler reads, and the metrics the handler emits and the construct's alarms watch.
 */
import { defineEnvContract, integerCodec, stringCodec } from '../env-contract';
import { METRIC_NAMESPACE, PIPELINE_DIMENSION } from '../metric-namespace';
import { JOB_SWEEP_RANGES } from '../defaults';

/** CloudWatch namespace of the sweep's metrics (embedded metric format, no PutMetricData call): the pipeline's one namespace. */
export const SWEEP_METRIC_NAMESPACE = METRIC_NAMESPACE;
/** The one dimension of every sweep metric: the pipeline id. */
export const SWEEP_METRIC_DIMENSION = PIPELINE_DIMENSION;

/** The metrics each sweep emits: counts of open records past their threshold. */
export const SWEEP_METRICS = {
  /** SUBMITTING or RETRYABLE past the submit function's retry window: no attempt is left to finish it. */
  stuckSubmissions: 'StuckSubmissions',
  /** A job with no terminal state N minutes after submission. */
  overdueJobs: 'OverdueJobs',
  /** A terminal state not notified past the job-events function's retry window. */
  unnotifiedOutcomes: 'UnnotifiedOutcomes',
} as const;
export type SweepMetric = keyof typeof SWEEP_METRICS;

/** What the JobSweep construct tells the function. */
export interface JobSweepSettings {
  /** Pipeline id: the metrics' dimension. */
  readonly pipeline: string;
  /** The jobs table; the sweep queries its open-records index. */
  readonly jobsTable: string;
  /** A claim older than this is stuck: the submit function's async retry window plus a margin. */
  readonly stuckSubmissionSeconds: number;
  /** A job without a terminal state this long after submission is overdue. */
  readonly overdueJobMinutes: number;
  /** A terminal state not notified this long after it is stuck: the job-events retry window plus a margin. */
  readonly unnotifiedOutcomeSeconds: number;
}

const contract = defineEnvContract<JobSweepSettings>({
  pipeline: { name: 'PIPELINE_ID', codec: stringCodec },
  jobsTable: { name: 'JOBS_TABLE', codec: stringCodec },
  stuckSubmissionSeconds: { name: 'STUCK_SUBMISSION_SECONDS', codec: integerCodec(60, 86_400) },
  overdueJobMinutes: {
    name: 'OVERDUE_JOB_MINUTES',
    codec: integerCodec(JOB_SWEEP_RANGES.overdueJobMinutes.min, JOB_SWEEP_RANGES.overdueJobMinutes.max),
  },
  unnotifiedOutcomeSeconds: { name: 'UNNOTIFIED_OUTCOME_SECONDS', codec: integerCodec(60, 86_400) },
});

/** The environment variables and their codecs. */
export const JOB_SWEEP_VARIABLES = contract.variables;

/** Called by the JobSweep construct: the function's environment variables. */
export function toEnvironment(settings: JobSweepSettings): Record<string, string> {
  return contract.toEnvironment(settings);
}

/**
 * Called by the handler at cold start; no fallbacks.
 * @throws MissingEnvironmentError or InvalidEnvironmentError naming the variable.
 */
export function fromEnvironment(env: Readonly<Record<string, string | undefined>>): JobSweepSettings {
  return contract.fromEnvironment(env);
}
