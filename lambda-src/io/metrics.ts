import { Metrics } from '@aws-lambda-powertools/metrics';
import { METRIC_NAMESPACE, MetricDatum, MetricEmitter, PIPELINE_DIMENSION, PIPELINE_METRICS } from '../../contracts/metrics';

/** The metrics of one function, for {@link recordMetrics}. */
export interface PipelineMetrics {
  readonly emitter: MetricEmitter;
  readonly powertools: Metrics;
}

/**
 * Powertools Metrics for one function: the pipeline namespace, `service` = the function, and the
 * pipeline id as a default dimension. Built once per cold start, like the SDK clients.
 */
export function createPipelineMetrics(emitter: MetricEmitter, pipeline: string): PipelineMetrics {
  return {
    emitter,
    powertools: new Metrics({ namespace: METRIC_NAMESPACE, serviceName: emitter, defaultDimensions: { [PIPELINE_DIMENSION]: pipeline } }),
  };
}

/**
 * Adds data points: those without extra dimensions are buffered until {@link flushMetrics}, each
 * one with extra dimensions (JobsSkipped by Reason…) goes out at once as its own EMF line.
 * @throws Error for a metric another function emits: its `service` dimension would be wrong.
 */
export function recordMetrics(metrics: PipelineMetrics, data: readonly MetricDatum[]): void {
  for (const { name, value, dimensions } of data) {
    const definition = PIPELINE_METRICS[name];
    if (definition.emitter !== metrics.emitter) {
      throw new Error(
        `Metric ${name} is emitted by ${definition.emitter}, not ${metrics.emitter}; see lambda-src/metrics/pipeline-metrics.ts`,
      );
    }
    const extra = Object.entries(dimensions ?? {});
    if (extra.length === 0) {
      metrics.powertools.addMetric(name, definition.unit, value);
      continue;
    }
    const single = metrics.powertools.singleMetric();
    for (const [dimension, dimensionValue] of extra) single.addDimension(dimension, dimensionValue as string);
    single.addMetric(name, definition.unit, value);
  }
}

/** Writes the buffered data points as one EMF line (nothing when there are none). Call before the handler returns or throws. */
export function flushMetrics(metrics: PipelineMetrics): void {
  if (metrics.powertools.hasStoredMetrics()) metrics.powertools.publishStoredMetrics();
}
