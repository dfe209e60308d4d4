/**
 * The stuck-record sweep's decisions: which open records (see OPEN_RECORDS_INDEX) are past
 * their threshold, and the embedded-metric-format line that counts them.
 */
import { SWEEP_METRICS, SWEEP_METRIC_DIMENSION, SWEEP_METRIC_NAMESPACE, SweepMetric } from '../../contracts/functions/job-sweep';
import type { JobRecord } from './job-record';
import { isTerminal } from './record-status';

/** How long a record may stay in each phase, in milliseconds. */
export interface SweepThresholds {
  /** SUBMITTING or RETRYABLE, counted from the first claim. */
  readonly stuckSubmissionMs: number;
  /** SUBMITTED or PROGRESSING, counted from the submission. */
  readonly overdueJobMs: number;
  /** A terminal state without notifiedAt, counted from the state's time. */
  readonly unnotifiedOutcomeMs: number;
}

/** A record past its threshold: which metric it counts in, and since when (ISO 8601). */
export interface OpenRecordFinding {
  readonly assetId: string;
  readonly metric: SweepMetric;
  readonly status: string;
  readonly since: string;
  readonly jobId?: string;
}

function timeOf(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const time = typeof value === 'number' ? value : Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

/**
 * Whether an open record is past its threshold, and which one.
 *
 * | status                         | since                         | threshold           | metric             |
 * |--------------------------------|-------------------------------|---------------------|--------------------|
 * | SUBMITTING, RETRYABLE          | openSince (first claim)       | stuckSubmissionMs   | stuckSubmissions   |
 * | SUBMITTED, PROGRESSING         | submittedAt, else openSince   | overdueJobMs        | overdueJobs        |
 * | COMPLETE, ERROR, CANCELED      | completedAt (not notified)    | unnotifiedOutcomeMs | unnotifiedOutcomes |
 * | FAILED, notified, or in time   | -                             | -                   | none               |
 */
export function classifyOpenRecord(record: JobRecord, now: Date, thresholds: SweepThresholds): OpenRecordFinding | undefined {
  const check = (metric: SweepMetric, since: number | undefined, limitMs: number): OpenRecordFinding | undefined =>
    since !== undefined && now.getTime() - since > limitMs
      ? {
          assetId: record.assetId,
          metric,
          status: record.status,
          since: new Date(since).toISOString(),
          ...(record.jobId !== undefined ? { jobId: record.jobId } : {}),
        }
      : undefined;
  switch (record.status) {
    case 'SUBMITTING':
    case 'RETRYABLE':
      return check('stuckSubmissions', record.openSince, thresholds.stuckSubmissionMs);
    case 'SUBMITTED':
    case 'PROGRESSING':
      return check('overdueJobs', timeOf(record.submittedAt) ?? record.openSince, thresholds.overdueJobMs);
    default:
      return isTerminal(record.status) && record.notifiedAt === undefined
        ? check('unnotifiedOutcomes', timeOf(record.completedAt) ?? timeOf(record.updatedAt), thresholds.unnotifiedOutcomeMs)
        : undefined;
  }
}

/**
 * The newest `openSince` that can be past any threshold: the sweep reads only older records.
 * (A job submitted on a retake is open since its first claim, so it is never missed.)
 */
export function sweepCutoff(now: Date, thresholds: SweepThresholds): number {
  return now.getTime() - Math.min(thresholds.stuckSubmissionMs, thresholds.overdueJobMs, thresholds.unnotifiedOutcomeMs);
}

/** What one sweep found: a count per metric and the findings themselves. */
export interface SweepSummary {
  readonly examined: number;
  readonly counts: Readonly<Record<SweepMetric, number>>;
  readonly findings: readonly OpenRecordFinding[];
}

/** Classifies every open record read by a sweep. */
export function summarizeOpenRecords(records: readonly JobRecord[], now: Date, thresholds: SweepThresholds): SweepSummary {
  const findings = records.flatMap((record) => classifyOpenRecord(record, now, thresholds) ?? []);
  const counts = { stuckSubmissions: 0, overdueJobs: 0, unnotifiedOutcomes: 0 };
  for (const finding of findings) counts[finding.metric] += 1;
  return { examined: records.length, counts, findings };
}

/**
 * The CloudWatch embedded-metric-format object for one sweep: every metric, zero included, so
 * the alarms see a data point on every run (and missing data means the sweep did not run).
 */
export function buildSweepMetrics(summary: SweepSummary, pipeline: string, now: Date): Record<string, unknown> {
  const names = Object.keys(SWEEP_METRICS) as SweepMetric[];
  return {
    _aws: {
      Timestamp: now.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: SWEEP_METRIC_NAMESPACE,
          Dimensions: [[SWEEP_METRIC_DIMENSION]],
          Metrics: names.map((name) => ({ Name: SWEEP_METRICS[name], Unit: 'Count' })),
        },
      ],
    },
    [SWEEP_METRIC_DIMENSION]: pipeline,
    ...Object.fromEntries(names.map((name) => [SWEEP_METRICS[name], summary.counts[name]])),
  };
}
