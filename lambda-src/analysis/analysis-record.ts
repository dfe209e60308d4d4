/**
 * Content analysis on the jobs table and on the notification topic. The analysis lives in its
 * own attribute of the job's record (`analysis`), written only by the content-analysis function,
 * so it never changes the transcoding outcome the job-events function records. Each write is
 * conditional on the record still belonging to the analysed job, and returns the blocking item
 * when refused (ALL_OLD), like the transitions of job-record.
 */
import { ANALYSIS_NOTIFICATION_SCHEMA_VERSION, AnalysisError, AnalysisNotification } from '../../contracts/notifications';
import type { UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import type { PublishCommandInput } from '@aws-sdk/client-sns';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { LabelSummary } from '../../contracts/notifications';
import { buildMessageAttributes, notificationSubject } from '../delivery/notification';

/** The record attribute that holds the analysis. */
export const ANALYSIS_ATTRIBUTE = 'analysis';

/** Where an analysis is: started, stored, or failed (to start, or in Rekognition). */
export type AnalysisStatus = 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';

/** The `analysis` attribute of a job record. */
export interface AnalysisRecord {
  readonly status: AnalysisStatus;
  /** The MediaConvert job whose MP4 was analysed. */
  readonly jobId: string;
  readonly rekognitionJobId?: string;
  readonly labelsKey?: string;
  readonly labelCount?: number;
  readonly topLabels?: readonly LabelSummary[];
  readonly error?: AnalysisError;
  readonly updatedAt: string;
  /** When the analysis notification was published. */
  readonly notifiedAt?: string;
}

/** What a refused analysis write found (from ALL_OLD). */
export interface RecordWithAnalysis {
  readonly assetId: string;
  readonly jobId?: string;
  readonly analysis?: AnalysisRecord;
}

const NAMES = {
  '#assetId': 'assetId',
  '#jobId': 'jobId',
  '#analysis': ANALYSIS_ATTRIBUTE,
  '#rekognitionJobId': 'rekognitionJobId',
  '#notifiedAt': 'notifiedAt',
};

function update(args: {
  table: string;
  assetId: string;
  set: string;
  condition: string;
  values: Record<string, unknown>;
}): UpdateItemCommandInput {
  const used = (name: string) => args.set.includes(name) || args.condition.includes(name);
  return {
    TableName: args.table,
    Key: marshall({ assetId: args.assetId }),
    UpdateExpression: `SET ${args.set}`,
    ConditionExpression: args.condition,
    ExpressionAttributeNames: Object.fromEntries(Object.entries(NAMES).filter(([name]) => used(name))),
    ExpressionAttributeValues: marshall(args.values, { removeUndefinedValues: true }),
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
}

/** The record is the analysed job's, and no analysis of that job is recorded yet. */
const FIRST_FOR_JOB = '#jobId = :jobId AND (attribute_not_exists(#analysis) OR #analysis.#jobId <> :jobId)';

/**
 * Records the start of an analysis (IN_PROGRESS with Rekognition's job id), or its failure to
 * start (FAILED with the error). Refused when the record belongs to another job of the upload,
 * or when this job's analysis is already recorded (a redelivered COMPLETE event).
 */
export function recordAnalysisStart(args: {
  readonly table: string;
  readonly assetId: string;
  readonly now: Date;
  readonly analysis:
    | { readonly status: 'IN_PROGRESS'; readonly jobId: string; readonly rekognitionJobId: string }
    | { readonly status: 'FAILED'; readonly jobId: string; readonly error: AnalysisError };
}): UpdateItemCommandInput {
  const analysis: AnalysisRecord = { ...args.analysis, updatedAt: args.now.toISOString() };
  return update({
    table: args.table,
    assetId: args.assetId,
    set: '#analysis = :analysis',
    condition: FIRST_FOR_JOB,
    values: { ':analysis': analysis, ':jobId': args.analysis.jobId },
  });
}

/**
 * Records Rekognition's outcome: SUCCEEDED with the labels' key, count and top labels, or FAILED.
 * Allowed only for the Rekognition job the analysis of this job started (see {@link checkCompletion}),
 * until it is notified, so a retry after a failed publish records and publishes again; refused
 * once notified (a redelivered completion message), for another job, or another Rekognition job.
 */
export function recordAnalysisResult(args: {
  readonly table: string;
  readonly assetId: string;
  readonly now: Date;
  readonly analysis:
    | {
        readonly status: 'SUCCEEDED';
        readonly jobId: string;
        readonly rekognitionJobId: string;
        readonly labelsKey: string;
        readonly labelCount: number;
        readonly topLabels: readonly LabelSummary[];
      }
    | { readonly status: 'FAILED'; readonly jobId: string; readonly rekognitionJobId: string; readonly error: AnalysisError };
}): UpdateItemCommandInput {
  const analysis: AnalysisRecord = { ...args.analysis, updatedAt: args.now.toISOString() };
  return update({
    table: args.table,
    assetId: args.assetId,
    set: '#analysis = :analysis',
    // Only the Rekognition job this job's analysis started: a forged or replayed completion is refused.
    condition:
      '#jobId = :jobId AND #analysis.#jobId = :jobId AND #analysis.#rekognitionJobId = :rekognitionJobId AND attribute_not_exists(#analysis.#notifiedAt)',
    values: { ':analysis': analysis, ':jobId': args.analysis.jobId, ':rekognitionJobId': args.analysis.rekognitionJobId },
  });
}

/**
 * Whether a completion message is the one this pipeline is waiting for: the record of its asset
 * belongs to its job, and that job's analysis was started with this Rekognition job id.
 * Anything else (a message published by someone other than Rekognition, or a replay of another
 * analysis) is `forged` and never recorded.
 *
 * | record found                                          | decision            |
 * |-------------------------------------------------------|---------------------|
 * | none                                                  | `no-record`         |
 * | another job                                           | `foreign-job`       |
 * | this job, no analysis or another Rekognition job id   | `unknown-rekognition-job` |
 * | this job and this Rekognition job id                  | `expected`          |
 */
export function checkCompletion(
  record: RecordWithAnalysis | undefined,
  completion: { readonly jobId: string; readonly rekognitionJobId: string },
): 'expected' | 'no-record' | 'foreign-job' | 'unknown-rekognition-job' {
  if (record === undefined) return 'no-record';
  if (record.jobId !== completion.jobId) return 'foreign-job';
  const analysis = record.analysis;
  if (analysis?.jobId !== completion.jobId || analysis.rekognitionJobId !== completion.rekognitionJobId) return 'unknown-rekognition-job';
  return 'expected';
}

/** Marks this job's analysis notified, once. */
export function markAnalysisNotified(args: {
  readonly table: string;
  readonly assetId: string;
  readonly jobId: string;
  readonly now: Date;
}) {
  return update({
    table: args.table,
    assetId: args.assetId,
    set: '#analysis.#notifiedAt = :now',
    condition: '#analysis.#jobId = :jobId AND attribute_not_exists(#analysis.#notifiedAt)',
    values: { ':now': args.now.toISOString(), ':jobId': args.jobId },
  });
}

/** The record in a refused write's `Item`, or undefined when there was none. */
export function refusedAnalysisRecord(item: Record<string, unknown> | undefined): RecordWithAnalysis | undefined {
  return item === undefined ? undefined : (unmarshall(item as Parameters<typeof unmarshall>[0]) as RecordWithAnalysis);
}

/**
 * Why an analysis write was refused:
 *
 * | record found                               | decision     |
 * |--------------------------------------------|--------------|
 * | none                                       | `no-record`  |
 * | another job of the upload (a re-submission)| `foreign-job`|
 * | this job's analysis already recorded/notified | `duplicate` |
 */
export function decideRefusedAnalysisWrite(
  record: RecordWithAnalysis | undefined,
  jobId: string,
): 'no-record' | 'foreign-job' | 'duplicate' {
  if (record === undefined) return 'no-record';
  if (record.jobId !== jobId) return 'foreign-job';
  return 'duplicate';
}

/** The notification of one finished analysis. */
export function buildAnalysisNotification(args: {
  readonly pipeline: string;
  readonly assetId: string;
  /** labels.json stays in the output bucket: `analysis/` is not served by the distribution. */
  readonly outputBucket: string;
  readonly now: Date;
  readonly analysis: AnalysisRecord;
}): AnalysisNotification {
  const { analysis } = args;
  const succeeded = analysis.status === 'SUCCEEDED';
  return {
    version: ANALYSIS_NOTIFICATION_SCHEMA_VERSION,
    pipeline: args.pipeline,
    status: succeeded ? 'ANALYSIS_COMPLETE' : 'ANALYSIS_FAILED',
    jobId: analysis.jobId,
    assetId: args.assetId,
    labelsUrl: succeeded && analysis.labelsKey !== undefined ? `s3://${args.outputBucket}/${analysis.labelsKey}` : null,
    labelCount: succeeded ? (analysis.labelCount ?? 0) : null,
    topLabels: succeeded ? (analysis.topLabels ?? []) : [],
    error: analysis.error ?? null,
    timestamp: args.now.toISOString(),
  };
}

/** The Publish request: the job notification's subject form and filterable `status` and `pipeline` attributes. */
export function buildAnalysisPublishInput(topicArn: string, notification: AnalysisNotification): PublishCommandInput {
  return {
    TopicArn: topicArn,
    Subject: notificationSubject(notification),
    Message: JSON.stringify(notification),
    MessageAttributes: buildMessageAttributes(notification),
  };
}
