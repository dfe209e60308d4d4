/**
 * The video pipeline for cdktf apps: the stacks, the constructs they compose, the config schema
 * and the helpers to declare environments. Test helpers: `cdktf-video-pipeline/testing`.
 */

// An app: declare environments, validate them, add their stacks.
export { synthPipelineApp, buildApp } from './app';
export type { PipelineAppOptions } from './app';
export { loadEnvironments } from './environment-loader';
export type { EnvironmentOverrides } from './environment-loader';
export { PipelineConfigSchema, parsePipelineConfig, pipelineId, ConfigError, LOG_RETENTION_DAYS, EMULATED_SERVICES } from './config';
export type { PipelineConfig, PipelineConfigInput, EmulatedService } from './config';
export { DEFAULT_RUNGS } from '../contracts/ladder';
export { MEDIACONVERT_PRICES } from '../contracts/pricing';
export type { PriceTable } from '../contracts/pricing';
export type { EncodingLadder, EncodingLadderInput, LadderRung } from '../contracts/ladder';

// Stacks.
export { VideoPipelineStack } from './video-pipeline-stack';
export type { VideoPipelineStackProps } from './video-pipeline-stack';
export { StateBackendStack } from './state-backend-stack';
export type { StateBackendStackProps } from './state-backend-stack';

// Every role of a stack under a permissions boundary (the pipeline stack adds it from `iam.permissionsBoundaryArn`).
export { PermissionsBoundaryAspect, applyPermissionsBoundary } from './lib/permissions-boundary';
export { PIPELINE_TAG_KEY } from './lib/terraform-settings';

// Constructs, each usable on its own.
export { SecureBucket, ABORT_INCOMPLETE_UPLOAD_DAYS } from './constructs/secure-bucket';
export type { SecureBucketProps } from './constructs/secure-bucket';
export { Storage } from './constructs/storage';
export type { StorageProps } from './constructs/storage';
export { NodeFunction, FUNCTION_DEFAULTS } from './constructs/node-function';
export { PIPELINE_HANDLERS } from '../contracts/functions/handlers';
export type { PipelineHandler } from '../contracts/functions/handlers';
export type { NodeFunctionProps, FunctionSettings, LambdaPackaging } from './constructs/node-function';
export { Transcoding } from './constructs/transcoding';
export type { TranscodingProps } from './constructs/transcoding';
export { JobsTable } from './constructs/jobs-table';
export type { JobsTableProps } from './constructs/jobs-table';
export { Ingest, INGEST_DEFAULTS, videoSuffixes } from './constructs/ingest';
export type { IngestProps } from './constructs/ingest';
export { Delivery, CACHING_OPTIMIZED_POLICY_ID } from './constructs/delivery';
export type { DeliveryProps } from './constructs/delivery';
export { Player } from './constructs/player';
export type { PlayerProps } from './constructs/player';
export { JobEvents } from './constructs/job-events';
export type { JobEventsProps } from './constructs/job-events';
export { JobSweep, JOB_SWEEP_DEFAULTS } from './constructs/job-sweep';
export type { JobSweepProps } from './constructs/job-sweep';
export { Monitoring, MONITORING_DEFAULTS } from './constructs/monitoring';
export type { MonitoringProps, MetricAlarmSpec } from './constructs/monitoring';
export { EncryptionKey, KEY_DELETION_WINDOW_DAYS } from './constructs/encryption-key';
export type { EncryptionKeyProps, KeyUsingService } from './constructs/encryption-key';
export { AlarmTopic } from './constructs/alarm-topic';
export type { AlarmTopicProps } from './constructs/alarm-topic';
export { ContentAnalysis, CONTENT_ANALYSIS_DEFAULTS } from './constructs/content-analysis';
export type { ContentAnalysisProps } from './constructs/content-analysis';
export { buildDashboardBody } from './lib/dashboard-body';
export type { DashboardInput } from './lib/dashboard-body';
export { InvalidPropsError } from './lib/prop-validation';
export type { PolicyStatement } from './lib/policy';

// What the functions publish and match, for subscribers and rule authors.
export { FORWARDED_JOB_STATUSES, jobStateChangePattern } from '../contracts/functions/job-events';
export { METRIC_NAMESPACE, PIPELINE_METRICS } from '../contracts/metrics';
export type { AnalysisNotification } from '../contracts/notifications';
