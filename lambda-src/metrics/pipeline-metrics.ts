/**
 * The pipeline's CloudWatch metrics, one owner for both sides: the handlers emit them (embedded
 * metric format through Powertools, lambda-src/io/metrics.ts), the dashboard and the alarms in
 * stacks/ read them. Every metric is in one namespace, with the pipeline id as `Pipeline` and the
 * emitting function as Powertools' `service` dimension; some also under extra dimensions.
 *
 * The computations below are pure: a handler's outcome in, the data points out.
 */
import { BillingTier, billedOutputsOf, estimateCompletedJobCost, resolutionClass } from '../cost/cost';
import type { JobStateChange } from '../jobs/job-event';
import type { PriceTable } from '../../contracts/pricing';
import { SKIP_REASONS, SkipReason } from '../jobs/s3-event';
import type { SourceSummary } from '../encoding/source-profile';
import { PIPELINE_DIMENSION } from '../../contracts/metric-namespace';

export { METRIC_NAMESPACE, PIPELINE_DIMENSION } from '../../contracts/metric-namespace';

/** Powertools adds it to every metric it emits: the emitting function's service name. */
export const SERVICE_DIMENSION = 'service';

/** The functions that emit pipeline metrics; each is the `service` dimension of its metrics. */
export const METRIC_EMITTERS = ['submit-job', 'job-events', 'content-analysis'] as const;
export type MetricEmitter = (typeof METRIC_EMITTERS)[number];

/** Extra dimensions, and every value each can take (the dashboard draws one line per value). */
export const EXTRA_DIMENSIONS = {
  Reason: SKIP_REASONS,
  ResolutionClass: ['SD', 'HD', 'UHD'],
} as const;
export type ExtraDimension = keyof typeof EXTRA_DIMENSIONS;

/** How one metric is emitted. */
export interface MetricDefinition {
  /** A CloudWatch unit; minutes and dollars have none, so `None`. */
  readonly unit: 'Count' | 'Seconds' | 'None';
  readonly emitter: MetricEmitter;
  /**
   * The dimension sets it is emitted under, beyond `Pipeline` and `service`: `[]` is those two
   * alone. A metric emitted under two sets is two CloudWatch metrics (a total and a breakdown).
   */
  readonly dimensionSets: readonly (readonly ExtraDimension[])[];
  /** What one data point is: for the README and the dashboard. */
  readonly description: string;
}

const count = (emitter: MetricEmitter, description: string): MetricDefinition => ({
  unit: 'Count',
  emitter,
  dimensionSets: [[]],
  description,
});

/** Every metric the functions emit. */
export const PIPELINE_METRICS = {
  JobsSubmitted: count('submit-job', 'An upload became a MediaConvert job.'),
  JobsSkipped: {
    unit: 'Count',
    emitter: 'submit-job',
    dimensionSets: [['Reason']],
    description: 'An S3 record that is no upload to transcode (not a video, empty, a folder…), by Reason.',
  },
  JobsFailed: count('submit-job', 'An upload recorded FAILED without a job: not a video, or CreateJob rejected it.'),
  SourceMinutes: {
    unit: 'None',
    emitter: 'submit-job',
    dimensionSets: [[], ['ResolutionClass']],
    description: 'Minutes of source video submitted (from the probe summary), in total and by SD/HD/UHD.',
  },
  JobsCompleted: count('job-events', 'A job ended COMPLETE (counted once, when notified).'),
  JobsErrored: count('job-events', 'A job ended in ERROR (counted once, when notified).'),
  JobsCanceled: count('job-events', 'A job was CANCELED (counted once, when notified).'),
  ProcessingSeconds: {
    unit: 'Seconds',
    emitter: 'job-events',
    dimensionSets: [[]],
    description: 'Seconds from CreateJob to the terminal state.',
  },
  QueueWaitSeconds: {
    unit: 'Seconds',
    emitter: 'job-events',
    dimensionSets: [[]],
    description: 'Seconds from CreateJob to PROGRESSING: the wait in the queue.',
  },
  OutputMinutes: {
    unit: 'None',
    emitter: 'job-events',
    dimensionSets: [[]],
    description: 'Billed output minutes of a completed job (every output, at least 10 s each).',
  },
  EstimatedCostUSD: {
    unit: 'None',
    emitter: 'job-events',
    dimensionSets: [[]],
    description: 'Estimated MediaConvert cost of a completed job in USD (cost model and price table).',
  },
  AnalysesStarted: count('content-analysis', 'Rekognition label detection started on a completed job.'),
  AnalysesCompleted: count('content-analysis', 'Labels of a job stored and announced.'),
  AnalysesFailed: count('content-analysis', 'Label detection could not start, or Rekognition reported it failed.'),
} as const satisfies Record<string, MetricDefinition>;
export type PipelineMetricName = keyof typeof PIPELINE_METRICS;

/** One data point, with the extra dimensions of one of the metric's dimension sets. */
export interface MetricDatum {
  readonly name: PipelineMetricName;
  readonly value: number;
  readonly dimensions?: Readonly<Partial<Record<ExtraDimension, string>>>;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** What the submit function did with one S3 record. */
export type SubmissionOutcome =
  | { readonly outcome: 'submitted'; readonly source?: SourceSummary }
  | { readonly outcome: 'duplicate' | 'failed' }
  | { readonly outcome: 'skipped'; readonly reason: SkipReason };

/**
 * The data points of one S3 record: JobsSubmitted with the source's minutes (total and by
 * resolution class, when the probe gave a summary), JobsFailed, or JobsSkipped by reason.
 * A duplicate delivery counts nothing: its upload was counted once already.
 */
export function submissionMetrics(record: SubmissionOutcome, prices: PriceTable): MetricDatum[] {
  switch (record.outcome) {
    case 'submitted': {
      if (record.source === undefined) return [{ name: 'JobsSubmitted', value: 1 }];
      const minutes = round(record.source.durationMs / 60_000, 4);
      const cls = resolutionClass(record.source.width, record.source.height, prices);
      return [
        { name: 'JobsSubmitted', value: 1 },
        { name: 'SourceMinutes', value: minutes },
        { name: 'SourceMinutes', value: minutes, dimensions: { ResolutionClass: cls } },
      ];
    }
    case 'failed':
      return [{ name: 'JobsFailed', value: 1 }];
    case 'skipped':
      return [{ name: 'JobsSkipped', value: 1, dimensions: { Reason: record.reason } }];
    default:
      return [];
  }
}

/** The job-events function's outcomes that count: a recorded progress state, a notified terminal state. */
export type JobEventOutcome = 'recorded' | 'notified' | 'stale' | 'duplicate' | 'foreign-job' | 'skipped';

const TERMINAL_COUNTS = { COMPLETE: 'JobsCompleted', ERROR: 'JobsErrored', CANCELED: 'JobsCanceled' } as const;

/** Seconds from submission to `timestamp`; undefined without a submission time or when the clocks disagree. */
function secondsSince(submittedAt: number | undefined, timestamp: number): number | undefined {
  if (submittedAt === undefined || timestamp < submittedAt) return undefined;
  return round((timestamp - submittedAt) / 1000, 3);
}

/**
 * The data points of one job state change, counted only where it took effect, so a duplicate
 * or stale delivery counts nothing:
 *
 * | outcome               | data points                                                              |
 * |-----------------------|--------------------------------------------------------------------------|
 * | PROGRESSING recorded  | QueueWaitSeconds (with a submission time)                                |
 * | terminal, notified    | JobsCompleted/JobsErrored/JobsCanceled, ProcessingSeconds (with a submission time) |
 * | COMPLETE, notified    | also OutputMinutes and EstimatedCostUSD from the reported outputs        |
 * | anything else         | none                                                                     |
 *
 * A job without a `billingTier` (submitted before it was carried) is priced at the Basic rate.
 */
export function jobStateMetrics(change: JobStateChange, outcome: JobEventOutcome, prices: PriceTable): MetricDatum[] {
  if (change.status === 'PROGRESSING') {
    const wait = outcome === 'recorded' ? secondsSince(change.submittedAt, change.timestamp) : undefined;
    return wait === undefined ? [] : [{ name: 'QueueWaitSeconds', value: wait }];
  }
  if (outcome !== 'notified') return [];
  const data: MetricDatum[] = [{ name: TERMINAL_COUNTS[change.status], value: 1 }];
  const processing = secondsSince(change.submittedAt, change.timestamp);
  if (processing !== undefined) data.push({ name: 'ProcessingSeconds', value: processing });
  if (change.status === 'COMPLETE') {
    const tier: BillingTier = change.billingTier ?? 'BASIC';
    const cost = estimateCompletedJobCost(billedOutputsOf(change.outputGroupDetails), { tier, fps: change.sourceProfile?.fps }, prices);
    data.push({ name: 'OutputMinutes', value: round(cost.outputMinutes, 4) }, { name: 'EstimatedCostUSD', value: round(cost.usd, 6) });
  }
  return data;
}

/** What the content-analysis function did. */
export type AnalysisOutcome = 'started' | 'completed' | 'failed' | 'skipped' | 'duplicate';

/** One count per analysis that started, completed or failed; skips and duplicates count nothing. */
export function analysisMetrics(outcome: AnalysisOutcome): MetricDatum[] {
  const names = { started: 'AnalysesStarted', completed: 'AnalysesCompleted', failed: 'AnalysesFailed' } as const;
  return outcome in names ? [{ name: names[outcome as keyof typeof names], value: 1 }] : [];
}

/** The full dimension map of a metric as CloudWatch stores it, for alarms and dashboards. */
export function metricDimensions(
  name: PipelineMetricName,
  pipeline: string,
  extra: Readonly<Partial<Record<ExtraDimension, string>>> = {},
): Record<string, string> {
  return { [PIPELINE_DIMENSION]: pipeline, [SERVICE_DIMENSION]: PIPELINE_METRICS[name].emitter, ...extra };
}
