/**
 * The pipeline's CloudWatch metrics, one owner for both sides: the handlers emit them (embedded
 * metric format through Powertools, lambda-src/io/metrics.ts), the dashboard and the alarms in
 * stacks/ read them. Every metric is in one namespace, with the pipeline id as `Pipeline` and the
 * emitting function as Powertools' `service` dimension; some also under extra dimensions.
 */
import { PIPELINE_DIMENSION } from './metric-namespace';

export { METRIC_NAMESPACE, PIPELINE_DIMENSION } from './metric-namespace';

/** Why a record does not become a job. Each is logged and counted (JobsSkipped by Reason), none is retried. */
export const SKIP_REASONS = [
  'not-object-created',
  'malformed-record',
  'undecodable-key',
  'folder-placeholder',
  'empty-object',
  'not-a-video',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

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
  /** What one data point is: for docs/operating.md and the dashboard. */
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

/** The full dimension map of a metric as CloudWatch stores it, for alarms and dashboards. */
export function metricDimensions(
  name: PipelineMetricName,
  pipeline: string,
  extra: Readonly<Partial<Record<ExtraDimension, string>>> = {},
): Record<string, string> {
  return { [PIPELINE_DIMENSION]: pipeline, [SERVICE_DIMENSION]: PIPELINE_METRICS[name].emitter, ...extra };
}
