/**
 * The content-analysis function's contract: the MediaConvert events its rule forwards (built into
 * the rule's pattern by the ContentAnalysis construct), and the environment the construct writes
 * and the handler reads.
 */
import { defineEnvContract, integerCodec, stringCodec } from '../env-contract';
import { PIPELINE_METADATA_KEY } from '../job-metadata';
import { JOB_STATE_CHANGE_DETAIL_TYPE, MEDIACONVERT_EVENT_SOURCE, normalizeDistributionDomain } from './job-events';
import { requiredEnv } from '../guards';

/** The EventBridge pattern: COMPLETE state changes of this pipeline's jobs on its own queue only (see jobStateChangePattern). */
export function completedJobPattern(pipelineId: string, queueArn: string): Record<string, unknown> {
  return {
    source: [MEDIACONVERT_EVENT_SOURCE],
    'detail-type': [JOB_STATE_CHANGE_DETAIL_TYPE],
    detail: { status: ['COMPLETE'], queue: [queueArn], userMetadata: { [PIPELINE_METADATA_KEY]: [pipelineId] } },
  };
}

/** Rekognition's minimum confidence, a whole percent (Rekognition takes 0..100; below 50 labels are noise). */
export const MIN_CONFIDENCE_RANGE = { min: 0, max: 100 } as const;
/** Top labels kept on the record and in the notification. */
export const TOP_LABELS_RANGE = { min: 1, max: 50 } as const;

/** What the ContentAnalysis construct tells the function. */
export interface ContentAnalysisSettings {
  /** Pipeline id: events of other pipelines' jobs are skipped. */
  readonly pipeline: string;
  /** This pipeline's MediaConvert queue: events of jobs on any other queue are skipped. */
  readonly queueArn: string;
  /** The jobs table: the analysis goes on the job's record. */
  readonly jobsTable: string;
  /** The output bucket: the MP4 is read here, labels.json written here. */
  readonly outputBucket: string;
  /** The CloudFront host name of labels.json's URL. */
  readonly distributionDomain: string;
  /** The job notifications topic: the analysis notification goes there too. */
  readonly notificationTopicArn: string;
  /** Rekognition publishes its completion here. */
  readonly analysisTopicArn: string;
  /** The role Rekognition publishes with. */
  readonly analysisRoleArn: string;
  readonly minConfidence: number;
  readonly topLabels: number;
}

/** The settings plus what Lambda itself provides. */
export interface ContentAnalysisConfig extends ContentAnalysisSettings {
  readonly region: string;
}

const contract = defineEnvContract<ContentAnalysisSettings>({
  pipeline: { name: 'PIPELINE_ID', codec: stringCodec },
  queueArn: { name: 'QUEUE_ARN', codec: stringCodec },
  jobsTable: { name: 'JOBS_TABLE', codec: stringCodec },
  outputBucket: { name: 'OUTPUT_BUCKET', codec: stringCodec },
  distributionDomain: { name: 'DISTRIBUTION_DOMAIN', codec: { encode: (value) => value, decode: normalizeDistributionDomain } },
  notificationTopicArn: { name: 'TOPIC_ARN', codec: stringCodec },
  analysisTopicArn: { name: 'ANALYSIS_TOPIC_ARN', codec: stringCodec },
  analysisRoleArn: { name: 'ANALYSIS_ROLE_ARN', codec: stringCodec },
  minConfidence: { name: 'MIN_CONFIDENCE', codec: integerCodec(MIN_CONFIDENCE_RANGE.min, MIN_CONFIDENCE_RANGE.max) },
  topLabels: { name: 'TOP_LABELS', codec: integerCodec(TOP_LABELS_RANGE.min, TOP_LABELS_RANGE.max) },
});

/** The environment variables and their codecs. */
export const CONTENT_ANALYSIS_VARIABLES = contract.variables;

/** Called by the ContentAnalysis construct: the function's environment variables. */
export function toEnvironment(settings: ContentAnalysisSettings): Record<string, string> {
  return contract.toEnvironment(settings);
}

/**
 * Called by the handler at cold start; no fallbacks.
 * @throws MissingEnvironmentError or InvalidEnvironmentError naming the variable.
 */
export function fromEnvironment(env: Readonly<Record<string, string | undefined>>): ContentAnalysisConfig {
  return { ...contract.fromEnvironment(env), region: requiredEnv(env, 'AWS_REGION') };
}
