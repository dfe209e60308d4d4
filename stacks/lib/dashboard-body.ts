import { EXTRA_DIMENSIONS, ExtraDimension, METRIC_NAMESPACE, PipelineMetricName, metricDimensions } from '../../contracts/metrics';

/** One metric line of a widget: `[namespace, name, dim, value, …, options]`, CloudWatch's own form. */
export type MetricLine = (string | Record<string, unknown>)[];

/** A dashboard widget as CloudWatch's dashboard body takes it. */
export interface DashboardWidget {
  readonly type: 'metric' | 'text';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: Record<string, unknown>;
}

/** A metric another construct emits (the job sweep's counts), drawn on the dashboard. */
export interface ExternalMetric {
  readonly label: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

/** What the dashboard shows; every name may be a Terraform reference. */
export interface DashboardInput {
  /** Pipeline id: the `Pipeline` dimension of the functions' metrics. */
  readonly pipeline: string;
  readonly region: string;
  /** Function names by a label (`submit-job`…): Lambda duration, errors and throttles. */
  readonly functions: Readonly<Record<string, string>>;
  /** Dead-letter queue names by a label: their depth. */
  readonly deadLetterQueues: Readonly<Record<string, string>>;
  /** The pipeline's MediaConvert queue: AWS/MediaConvert publishes per queue. */
  readonly mediaconvertQueueArn: string;
  /** Drawn as a line on the cost widget. */
  readonly dailyCostBudgetUsd: number;
  /** Drawn as a line on the error-rate widget. */
  readonly errorRateThresholdPercent: number;
  /** Adds the content-analysis widget. */
  readonly contentAnalysis: boolean;
  /** Other pipeline metrics, e.g. the job sweep's stuck-record counts. */
  readonly externalMetrics?: readonly ExternalMetric[];
}

const FIVE_MINUTES = 300;
const ONE_DAY = 86_400;

/** A metric line of one of the functions' metrics, with its full dimension set. */
export function pipelineMetricLine(
  name: PipelineMetricName,
  pipeline: string,
  options: Record<string, unknown>,
  extra: Readonly<Partial<Record<ExtraDimension, string>>> = {},
): MetricLine {
  const dimensions = Object.entries(metricDimensions(name, pipeline, extra)).flat();
  return [METRIC_NAMESPACE, name, ...dimensions, options];
}

/** The job error rate, in percent of finished jobs: three hidden counts and the expression. Shared with its alarm. */
export function errorRateQueries(pipeline: string, periodSeconds: number) {
  const count = (id: string, name: PipelineMetricName) => ({
    id,
    name,
    dimensions: metricDimensions(name, pipeline),
    period: periodSeconds,
  });
  return {
    counts: [count('errored', 'JobsErrored'), count('completed', 'JobsCompleted'), count('canceled', 'JobsCanceled')],
    // FILL: a period with only completions has no JobsErrored data point, which is a rate of 0, not missing.
    expression:
      'IF((FILL(completed, 0) + FILL(errored, 0) + FILL(canceled, 0)) > 0, 100 * FILL(errored, 0) / (FILL(completed, 0) + FILL(errored, 0) + FILL(canceled, 0)), 0)',
    id: 'errorRate',
    label: 'Job error rate (%)',
  };
}

function metricWidget(title: string, metrics: MetricLine[], region: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'metric' as const,
    properties: { title, region, view: 'timeSeries', stacked: false, period: FIVE_MINUTES, metrics, ...extra },
  };
}

function awsLine(namespace: string, name: string, dimension: string, value: string, options: Record<string, unknown>): MetricLine {
  return [namespace, name, dimension, value, options];
}

/**
 * The dashboard: jobs by status, processing and queue time (p50/p90), job error rate, estimated
 * cost and source minutes per day, Lambda duration, errors and throttles, dead-letter depth, and
 * AWS/MediaConvert's metrics of the pipeline's queue. Widgets flow two per row.
 */
export function buildDashboardBody(input: DashboardInput): { widgets: DashboardWidget[] } {
  const { pipeline, region } = input;
  const line = (name: PipelineMetricName, options: Record<string, unknown>, extra: Partial<Record<ExtraDimension, string>> = {}) =>
    pipelineMetricLine(name, pipeline, options, extra);
  const rate = errorRateQueries(pipeline, FIVE_MINUTES);
  const functions = Object.entries(input.functions);

  const widgets = [
    metricWidget(
      'Jobs by status',
      [
        line('JobsSubmitted', { stat: 'Sum', label: 'submitted' }),
        line('JobsCompleted', { stat: 'Sum', label: 'completed' }),
        line('JobsErrored', { stat: 'Sum', label: 'errored' }),
        line('JobsCanceled', { stat: 'Sum', label: 'canceled' }),
        line('JobsFailed', { stat: 'Sum', label: 'failed (no job)' }),
        ...EXTRA_DIMENSIONS.Reason.map((reason) => line('JobsSkipped', { stat: 'Sum', label: `skipped: ${reason}` }, { Reason: reason })),
      ],
      region,
    ),
    metricWidget(
      'Processing and queue time (s)',
      [
        line('ProcessingSeconds', { stat: 'p50', label: 'processing p50' }),
        line('ProcessingSeconds', { stat: 'p90', label: 'processing p90' }),
        line('QueueWaitSeconds', { stat: 'p50', label: 'queue wait p50' }),
        line('QueueWaitSeconds', { stat: 'p90', label: 'queue wait p90' }),
      ],
      region,
    ),
    metricWidget(
      'Job error rate (%)',
      [
        ...rate.counts.map((c) => pipelineMetricLine(c.name, pipeline, { id: c.id, stat: 'Sum', visible: false })),
        [{ expression: rate.expression, id: rate.id, label: rate.label }],
      ],
      region,
      { annotations: { horizontal: [{ label: 'alarm threshold', value: input.errorRateThresholdPercent }] }, yAxis: { left: { min: 0 } } },
    ),
    metricWidget(
      'Estimated MediaConvert cost per day (USD)',
      [
        line('EstimatedCostUSD', { stat: 'Sum', label: 'estimated cost' }),
        line('OutputMinutes', { stat: 'Sum', label: 'output minutes', yAxis: 'right' }),
      ],
      region,
      { period: ONE_DAY, view: 'bar', annotations: { horizontal: [{ label: 'daily budget', value: input.dailyCostBudgetUsd }] } },
    ),
    metricWidget(
      'Source minutes per day',
      [
        line('SourceMinutes', { stat: 'Sum', label: 'all sources' }),
        ...EXTRA_DIMENSIONS.ResolutionClass.map((cls) => line('SourceMinutes', { stat: 'Sum', label: cls }, { ResolutionClass: cls })),
      ],
      region,
      { period: ONE_DAY, view: 'bar' },
    ),
    metricWidget(
      'Lambda duration (ms)',
      functions.flatMap(([label, fn]) => [
        awsLine('AWS/Lambda', 'Duration', 'FunctionName', fn, { stat: 'p90', label: `${label} p90` }),
        awsLine('AWS/Lambda', 'Duration', 'FunctionName', fn, { stat: 'Maximum', label: `${label} max` }),
      ]),
      region,
    ),
    metricWidget(
      'Lambda errors and throttles',
      functions.flatMap(([label, fn]) => [
        awsLine('AWS/Lambda', 'Errors', 'FunctionName', fn, { stat: 'Sum', label: `${label} errors` }),
        awsLine('AWS/Lambda', 'Throttles', 'FunctionName', fn, { stat: 'Sum', label: `${label} throttles` }),
      ]),
      region,
    ),
    metricWidget(
      'Dead-letter queue depth',
      Object.entries(input.deadLetterQueues).map(([label, queue]) =>
        awsLine('AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', queue, { stat: 'Maximum', label }),
      ),
      region,
    ),
    metricWidget(
      'MediaConvert queue',
      [
        awsLine('AWS/MediaConvert', 'JobsCompletedCount', 'Queue', input.mediaconvertQueueArn, { stat: 'Sum', label: 'completed' }),
        awsLine('AWS/MediaConvert', 'JobsErroredCount', 'Queue', input.mediaconvertQueueArn, { stat: 'Sum', label: 'errored' }),
        awsLine('AWS/MediaConvert', 'StandbyTime', 'Queue', input.mediaconvertQueueArn, {
          stat: 'Average',
          label: 'standby (ms)',
          yAxis: 'right',
        }),
        awsLine('AWS/MediaConvert', 'TranscodingTime', 'Queue', input.mediaconvertQueueArn, {
          stat: 'Average',
          label: 'transcoding (ms)',
          yAxis: 'right',
        }),
      ],
      region,
    ),
    ...(input.externalMetrics && input.externalMetrics.length > 0
      ? [
          metricWidget(
            'Stuck records (job sweep)',
            input.externalMetrics.map((m) => [
              m.namespace,
              m.metricName,
              ...Object.entries(m.dimensions).flat(),
              { stat: 'Maximum', label: m.label },
            ]),
            region,
          ),
        ]
      : []),
    ...(input.contentAnalysis
      ? [
          metricWidget(
            'Content analysis',
            [
              line('AnalysesStarted', { stat: 'Sum', label: 'started' }),
              line('AnalysesCompleted', { stat: 'Sum', label: 'completed' }),
              line('AnalysesFailed', { stat: 'Sum', label: 'failed' }),
            ],
            region,
          ),
        ]
      : []),
  ];

  const header: DashboardWidget = {
    type: 'text',
    x: 0,
    y: 0,
    width: 24,
    height: 2,
    properties: {
      markdown: `## Video pipeline ${pipeline}\nMetrics of the submit and job-events functions (namespace \`${METRIC_NAMESPACE}\`), Lambda, the dead-letter queues and the MediaConvert queue. What each alarm means and what to do: docs/operating.md.`,
    },
  };
  return {
    widgets: [
      header,
      ...widgets.map((widget, index) => ({ ...widget, x: (index % 2) * 12, y: 2 + Math.floor(index / 2) * 6, width: 12, height: 6 })),
    ],
  };
}
