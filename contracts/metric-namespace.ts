/**
 * Where every pipeline metric lives: one namespace, the pipeline id as a dimension. In its own
 * module so the job sweep, which emits its counts by hand, shares them without the metric catalog.
 */

/** The namespace of every pipeline metric (the job sweep's too). */
export const METRIC_NAMESPACE = 'VideoPipeline';
/** The dimension every metric carries: the pipeline id (`vod-prod`). */
export const PIPELINE_DIMENSION = 'Pipeline';
