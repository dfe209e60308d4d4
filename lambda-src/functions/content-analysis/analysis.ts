/**
 * Content analysis of one completed job, in two steps: start label detection on the job's MP4
 * (a COMPLETE event), then store, record and announce the labels (Rekognition's completion
 * message). Every decision is a pure function of analysis/label-analysis and analysis/analysis-record;
 * this module only sequences the calls. Nothing here touches the job's transcoding outcome.
 */
import type { UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import type { StartLabelDetectionRequest } from '@aws-sdk/client-rekognition';
import type { PublishCommandInput } from '@aws-sdk/client-sns';
import {
  AnalysisRecord,
  RecordWithAnalysis,
  buildAnalysisNotification,
  buildAnalysisPublishInput,
  checkCompletion,
  decideRefusedAnalysisWrite,
  markAnalysisNotified,
  recordAnalysisResult,
  recordAnalysisStart,
} from '../../analysis/analysis-record';
import { AnalysisError } from '../../../contracts/notifications';
import {
  LabelDetectionResult,
  buildLabelsDocument,
  isPermanentAnalysisError,
  labelsKey,
  parseAnalysisCompletion,
  planAnalysisStart,
} from '../../analysis/label-analysis';
import { AnalysisNotReadyError } from '../../../contracts/errors';
import { LabelAccumulator, labelsPageKey } from '../../analysis/label-accumulator';
import type { JobStateChange } from '../../jobs/job-event';
import type { Logger } from '../../core/logger';
import type { AnalysisOutcome } from '../../metrics/pipeline-metrics';
import type { ContentAnalysisConfig } from '../../../contracts/functions/content-analysis';

/** The calls an analysis makes; the handler binds them to its clients. */
export interface AnalysisPorts {
  /** StartLabelDetection; resolves to Rekognition's job id. */
  startLabelDetection(request: StartLabelDetectionRequest): Promise<string>;
  /** GetLabelDetection, one page at a time (never the whole set in memory). */
  labelPages(rekognitionJobId: string): AsyncIterable<LabelDetectionResult>;
  putLabels(key: string, body: string): Promise<void>;
  transition(input: UpdateItemCommandInput): Promise<{ readonly applied: boolean; readonly record?: RecordWithAnalysis }>;
  /** The asset's record (job id and analysis), read consistently. */
  readRecord(assetId: string): Promise<RecordWithAnalysis | undefined>;
  publish(input: PublishCommandInput): Promise<void>;
  now(): Date;
}

/** What one invocation did; returned for tests and logs. */
export interface AnalysisSummary {
  readonly outcome: AnalysisOutcome;
  readonly jobId?: string;
  readonly reason?: string;
}

interface Context {
  readonly config: ContentAnalysisConfig;
  readonly logger: Logger;
}

function errorOf(error: unknown): AnalysisError {
  return { code: error instanceof Error ? error.name : 'Error', message: error instanceof Error ? error.message : String(error) };
}

/** Publishes a recorded analysis and marks it notified; a refused mark means a concurrent delivery published too. */
async function announce(analysis: AnalysisRecord, assetId: string, { config, logger }: Context, ports: AnalysisPorts): Promise<void> {
  const notification = buildAnalysisNotification({
    pipeline: config.pipeline,
    assetId,
    outputBucket: config.outputBucket,
    now: ports.now(),
    analysis,
  });
  await ports.publish(buildAnalysisPublishInput(config.notificationTopicArn, notification));
  const marked = await ports.transition(
    markAnalysisNotified({ table: config.jobsTable, assetId, jobId: analysis.jobId, now: ports.now() }),
  );
  if (!marked.applied) logger.warn('Analysis was marked notified by a concurrent delivery; subscribers may get it twice');
}

/**
 * Starts label detection for a COMPLETE job and records it on the job's record. A permanent
 * refusal (video too large, unreadable) is recorded as FAILED and announced; throttling and the
 * concurrent-job limit throw, so the event is retried (the start is idempotent per job).
 */
export async function startAnalysis(change: JobStateChange, context: Context, ports: AnalysisPorts): Promise<AnalysisSummary> {
  const { config, logger } = context;
  const plan = planAnalysisStart(change, {
    minConfidence: config.minConfidence,
    notificationTopicArn: config.analysisTopicArn,
    notificationRoleArn: config.analysisRoleArn,
    outputBucket: config.outputBucket,
  });
  if (plan.action === 'skip') {
    logger.info('No analysis for this event', { reason: plan.reason, detail: plan.detail });
    return { outcome: 'skipped', jobId: change.jobId, reason: plan.reason };
  }
  const target = { table: config.jobsTable, assetId: plan.assetId };
  let rekognitionJobId: string;
  try {
    rekognitionJobId = await ports.startLabelDetection(plan.request);
  } catch (error) {
    if (!isPermanentAnalysisError(error)) throw error;
    logger.error('Rekognition refused the analysis; recorded as FAILED, the job itself is unaffected', { videoKey: plan.videoKey, error });
    const analysis = { status: 'FAILED' as const, jobId: plan.jobId, error: errorOf(error) };
    const recorded = await ports.transition(recordAnalysisStart({ ...target, now: ports.now(), analysis }));
    if (!recorded.applied) return refused(recorded.record, plan.jobId, context);
    await announce({ ...analysis, updatedAt: ports.now().toISOString() }, plan.assetId, context, ports);
    return { outcome: 'failed', jobId: plan.jobId };
  }
  const recorded = await ports.transition(
    recordAnalysisStart({ ...target, now: ports.now(), analysis: { status: 'IN_PROGRESS', jobId: plan.jobId, rekognitionJobId } }),
  );
  if (!recorded.applied) return refused(recorded.record, plan.jobId, context);
  logger.info('Started label detection', { videoKey: plan.videoKey, rekognitionJobId });
  return { outcome: 'started', jobId: plan.jobId };
}

function refused(record: RecordWithAnalysis | undefined, jobId: string, { logger }: Context): AnalysisSummary {
  const decision = decideRefusedAnalysisWrite(record, jobId);
  if (decision === 'duplicate') {
    logger.info('The analysis of this job is already recorded');
    return { outcome: 'duplicate', jobId };
  }
  logger.warn('Analysis not recorded: the upload has no record, or its record belongs to another job', { reason: decision });
  return { outcome: 'skipped', jobId, reason: decision };
}

/**
 * Rekognition finished: reads every page of labels, stores them as `<assetId>/analysis/labels.json`,
 * records the summary (or the failure) on the job's record and announces it. A result Rekognition
 * does not serve yet throws, so the message is retried.
 */
export async function collectAnalysis(message: string, context: Context, ports: AnalysisPorts): Promise<AnalysisSummary> {
  const { config, logger } = context;
  const completion = parseAnalysisCompletion(message);
  logger.appendKeys({ jobId: completion.jobId, assetId: completion.assetId, rekognitionJobId: completion.rekognitionJobId });
  // The message is only a hint: act on it only when it names the analysis this pipeline started,
  // in its own bucket, before reading any labels or writing anything.
  const check =
    completion.bucket !== config.outputBucket ? 'other-bucket' : checkCompletion(await ports.readRecord(completion.assetId), completion);
  if (check !== 'expected') {
    logger.warn('Completion message does not match a started analysis; not recorded', { reason: check, bucket: completion.bucket });
    return { outcome: 'skipped', jobId: completion.jobId, reason: `unexpected-completion:${check}` };
  }
  const pages = ports.labelPages(completion.rekognitionJobId)[Symbol.asyncIterator]();
  const first = await pages.next();
  const result: LabelDetectionResult | undefined = first.done ? undefined : first.value;
  if (result === undefined || result.jobStatus === 'IN_PROGRESS' || result.jobStatus === undefined) {
    throw new AnalysisNotReadyError(completion.rekognitionJobId, completion.status, result?.jobStatus);
  }
  const base = { jobId: completion.jobId, rekognitionJobId: completion.rekognitionJobId };
  let analysis: Parameters<typeof recordAnalysisResult>[0]['analysis'];
  if (result.jobStatus === 'SUCCEEDED') {
    // Page by page: each page is written to S3 and folded into the summary, then dropped.
    const accumulator = new LabelAccumulator();
    const pageKeys: string[] = [];
    for (let page: LabelDetectionResult | undefined = result; page !== undefined;) {
      const key = labelsPageKey(completion.assetId, pageKeys.length);
      await ports.putLabels(key, JSON.stringify({ page: pageKeys.length, labels: page.labels }));
      pageKeys.push(key);
      accumulator.add(page.labels);
      const next = await pages.next();
      page = next.done ? undefined : next.value;
    }
    const topLabels = accumulator.top(config.topLabels);
    const key = labelsKey(completion.assetId);
    const document = buildLabelsDocument({
      pipeline: config.pipeline,
      completion,
      minConfidence: config.minConfidence,
      labelModelVersion: result.labelModelVersion,
      videoMetadata: result.videoMetadata,
      labelCount: accumulator.count,
      topLabels,
      pages: pageKeys,
    });
    await ports.putLabels(key, JSON.stringify(document));
    analysis = { status: 'SUCCEEDED', ...base, labelsKey: key, labelCount: accumulator.count, topLabels };
  } else {
    const error = { code: result.jobStatus, message: result.statusMessage ?? `Rekognition reported ${completion.status}` };
    logger.error('Rekognition could not analyse the video; recorded as FAILED, the job itself is unaffected', { error });
    analysis = { status: 'FAILED', ...base, error };
  }
  const recorded = await ports.transition(
    recordAnalysisResult({ table: config.jobsTable, assetId: completion.assetId, now: ports.now(), analysis }),
  );
  if (!recorded.applied) return refused(recorded.record, completion.jobId, context);
  await announce({ ...analysis, updatedAt: ports.now().toISOString() }, completion.assetId, context, ports);
  logger.info('Recorded and announced the analysis', { status: analysis.status });
  return { outcome: analysis.status === 'SUCCEEDED' ? 'completed' : 'failed', jobId: completion.jobId };
}
