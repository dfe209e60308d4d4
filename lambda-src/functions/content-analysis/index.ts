import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { RekognitionClient, StartLabelDetectionCommand } from '@aws-sdk/client-rekognition';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { applyAnalysisWrite, readAnalysisRecord } from '../../io/analysis-table';
import { createPipelineMetrics, flushMetrics, recordMetrics } from '../../io/metrics';
import { labelPages } from '../../io/rekognition';
import { asRecord } from '../../../contracts/guards';
import { parseJobStateEvent } from '../../jobs/job-event';
import { Logger } from '../../core/logger';
import { analysisMetrics } from '../../metrics/pipeline-metrics';
import { AnalysisPorts, AnalysisSummary, collectAnalysis, startAnalysis } from './analysis';
import { fromEnvironment } from '../../../contracts/functions/content-analysis';

const logger = new Logger('content-analysis');
// Read once at cold start: a missing variable fails the first invocation, naming it.
const config = fromEnvironment(process.env);
const metrics = createPipelineMetrics('content-analysis', config.pipeline);
const rekognition = new RekognitionClient({ maxAttempts: 5, retryMode: 'standard' });
const dynamodb = new DynamoDBClient({ maxAttempts: 5 });
const s3 = new S3Client({ maxAttempts: 5 });
const sns = new SNSClient({ maxAttempts: 5 });

const ports: AnalysisPorts = {
  startLabelDetection: async (request) => {
    const { JobId } = await rekognition.send(new StartLabelDetectionCommand(request));
    if (JobId === undefined) throw new Error('StartLabelDetection answered without a JobId; retrying the event');
    return JobId;
  },
  labelPages: (rekognitionJobId) => labelPages(rekognition, rekognitionJobId),
  putLabels: async (key, body) =>
    void (await s3.send(new PutObjectCommand({ Bucket: config.outputBucket, Key: key, Body: body, ContentType: 'application/json' }))),
  transition: (input) => applyAnalysisWrite(dynamodb, input),
  readRecord: (assetId) => readAnalysisRecord(dynamodb, config.jobsTable, assetId),
  publish: async (input) => void (await sns.send(new PublishCommand(input))),
  now: () => new Date(),
};

/** Rekognition's completion arrives through SNS: one record per invocation. */
function snsMessageOf(event: unknown): string | undefined {
  const record = asRecord((asRecord(event)?.Records as unknown[] | undefined)?.[0]);
  return record?.EventSource === 'aws:sns' ? (asRecord(record.Sns)?.Message as string | undefined) : undefined;
}

/**
 * A COMPLETE job (EventBridge) → label detection on its MP4; Rekognition's completion (SNS) →
 * labels.json, a summary on the job's record and an analysis notification. Transient errors
 * throw, so the event is retried and then dead-lettered.
 */
export async function handler(event: unknown, context?: { awsRequestId?: string }): Promise<AnalysisSummary> {
  logger.resetKeys();
  logger.appendKeys({ requestId: context?.awsRequestId });
  try {
    const message = snsMessageOf(event);
    if (message !== undefined) {
      const summary = await collectAnalysis(message, { config, logger }, ports);
      recordMetrics(metrics, analysisMetrics(summary.outcome));
      return summary;
    }
    const plan = parseJobStateEvent(event, config.pipeline, config.queueArn);
    if (plan.action === 'skip') {
      logger.info('Skipped event', { jobId: plan.jobId, reason: plan.reason, detail: plan.detail });
      return { outcome: 'skipped', reason: plan.reason };
    }
    logger.appendKeys({ jobId: plan.event.jobId, assetId: plan.event.assetId });
    const summary = await startAnalysis(plan.event, { config, logger }, ports);
    recordMetrics(metrics, analysisMetrics(summary.outcome));
    return summary;
  } finally {
    flushMetrics(metrics);
  }
}
