import { EXTRA_DIMENSIONS, METRIC_NAMESPACE, PIPELINE_METRICS, PipelineMetricName, metricDimensions } from '../../contracts/metrics';

/**
 * Metrics AWS publishes that the dashboard draws, and the one dimension each is published per
 * (AWS/Lambda and AWS/SQS user guides; AWS/MediaConvert per queue, as in aws-cdk's MediaConvertMetrics).
 */
export const AWS_PUBLISHED_METRICS: Readonly<Record<string, { readonly dimension: string; readonly metrics: readonly string[] }>> = {
  'AWS/Lambda': { dimension: 'FunctionName', metrics: ['Invocations', 'Errors', 'Throttles', 'Duration', 'ConcurrentExecutions'] },
  'AWS/SQS': { dimension: 'QueueName', metrics: ['ApproximateNumberOfMessagesVisible', 'ApproximateAgeOfOldestMessage'] },
  'AWS/MediaConvert': {
    dimension: 'Queue',
    metrics: [
      'JobsCompletedCount',
      'JobsErroredCount',
      'StandbyTime',
      'TranscodingTime',
      'SDOutputDuration',
      'HDOutputDuration',
      'UHDOutputDuration',
    ],
  },
};

/** Which dimension values are this stack's own. */
export interface DashboardContext {
  readonly pipeline: string;
  readonly dimensionValues: Readonly<Record<string, readonly string[]>>;
  /** Metrics of other emitters (the job sweep), by namespace/name, with their dimensions. */
  readonly externalMetrics?: readonly {
    readonly namespace: string;
    readonly metricName: string;
    readonly dimensions: Record<string, string>;
  }[];
}

interface Widget {
  type: string;
  properties: { title?: string; metrics?: unknown[][] };
}

/** One metric line of a widget, parsed. */
export interface ParsedLine {
  readonly widget: string;
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Record<string, string>;
  readonly options: Record<string, unknown>;
}

/** The metric lines (not expressions) of every metric widget. */
export function metricLines(body: { widgets: Widget[] }): ParsedLine[] {
  return body.widgets
    .filter((w) => w.type === 'metric')
    .flatMap((w) =>
      (w.properties.metrics ?? []).flatMap((entry) => {
        const last = entry[entry.length - 1];
        const options = typeof last === 'object' && last !== null ? (last as Record<string, unknown>) : {};
        const parts = entry.filter((part) => typeof part === 'string') as string[];
        if (parts.length === 0) return [];
        const [namespace, name, ...flat] = parts;
        const dimensions: Record<string, string> = {};
        for (let i = 0; i < flat.length; i += 2) dimensions[flat[i]!] = flat[i + 1]!;
        return [{ widget: w.properties.title ?? '', namespace: namespace!, name: name!, dimensions, options }];
      }),
    );
}

/** Every metric line that names no existing metric, or not with the dimensions it is published under. */
export function unpublishedMetricLines(body: { widgets: Widget[] }, context: DashboardContext): string[] {
  const problems: string[] = [];
  for (const line of metricLines(body)) {
    const where = `"${line.widget}": ${line.namespace} ${line.name} ${JSON.stringify(line.dimensions)}`;
    if (line.namespace === METRIC_NAMESPACE && line.name in PIPELINE_METRICS) {
      const name = line.name as PipelineMetricName;
      const extra = Object.fromEntries(Object.entries(line.dimensions).filter(([d]) => d !== 'Pipeline' && d !== 'service'));
      const declared = PIPELINE_METRICS[name].dimensionSets.some((set) => [...set].sort().join() === Object.keys(extra).sort().join());
      const values = Object.entries(extra).every(([d, v]) => (EXTRA_DIMENSIONS as Record<string, readonly string[]>)[d]?.includes(v));
      const exact = JSON.stringify(line.dimensions) === JSON.stringify(metricDimensions(name, context.pipeline, extra));
      if (!declared || !values || !exact) problems.push(`${where}: not a dimension set the functions emit`);
      continue;
    }
    const external = context.externalMetrics?.find((m) => m.namespace === line.namespace && m.metricName === line.name);
    if (external !== undefined) {
      if (JSON.stringify(external.dimensions) !== JSON.stringify(line.dimensions)) problems.push(`${where}: not its emitter's dimensions`);
      continue;
    }
    const aws = AWS_PUBLISHED_METRICS[line.namespace];
    if (aws === undefined || !aws.metrics.includes(line.name)) {
      problems.push(`${where}: no function emits it and AWS does not publish it`);
      continue;
    }
    const keys = Object.keys(line.dimensions);
    const value = line.dimensions[aws.dimension];
    if (keys.length !== 1 || value === undefined || !(context.dimensionValues[aws.dimension] ?? []).includes(value)) {
      problems.push(`${where}: AWS publishes it per ${aws.dimension} of this stack's resources`);
    }
  }
  return problems;
}
