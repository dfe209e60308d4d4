import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { S3Client } from '@aws-sdk/client-s3';
import { InvocationContext, budgetSignal, httpHandlerOptions } from '../../io/budget';
import { applyTransition } from '../../io/jobs-table';
import { putStoryboard } from '../../io/storyboard';
import { createPipelineMetrics, flushMetrics, recordMetrics } from '../../io/metrics';
import { parseJobStateEvent } from '../../jobs/job-event';
import { newClaimId } from '../../jobs/job-record';
import { Logger } from '../../core/logger';
import { jobStateMetrics } from '../../metrics/pipeline-metrics';
import { fromEnvironment } from '../../../contracts/functions/job-events';
import { JobEventSummary, NotifyPorts, recordAndNotify } from './notify';

export type { JobEventSummary } from './notify';

const logger = new Logger('job-events');
// Read once at cold start: a missing variable fails the first invocation, naming it.
const config = fromEnvironment(process.env);
const http = httpHandlerOptions(config.requestTimeoutMs);
const dynamodb = new DynamoDBClient({ maxAttempts: 5, requestHandler: http });
const sns = new SNSClient({ maxAttempts: 5, requestHandler: http });
const s3 = new S3Client({ maxAttempts: 5, requestHandler: http });
const metrics = createPipelineMetrics('job-events', config.pipeline);

function ports(context: InvocationContext | undefined): NotifyPorts {
  const signal = (then: 'record' | 'return') => budgetSignal(context, config.requestTimeoutMs, then);
  return {
    transition: (input, then) => applyTransition(dynamodb, input, signal(then)),
    publish: async (input) => void (await sns.send(new PublishCommand(input), { abortSignal: signal('record') })),
    putStoryboard: (key, body) => putStoryboard(s3, config.outputBucket, key, body, signal('record')),
    now: () => new Date(),
  };
}

/**
 * MediaConvert job state change → jobs-table record; a terminal state is also published to
 * SNS once, and counted (JobsCompleted…, ProcessingSeconds, EstimatedCostUSD). Errors other than
 * a refused condition propagate, so the event is retried and then dead-lettered.
 */
export async function handler(event: unknown, context?: InvocationContext): Promise<JobEventSummary> {
  logger.resetKeys();
  logger.appendKeys({ requestId: context?.awsRequestId });
  const plan = parseJobStateEvent(event, config.pipeline, config.queueArn);
  if (plan.action === 'skip') {
    logger.info('Skipped event', { jobId: plan.jobId, reason: plan.reason, detail: plan.detail });
    return { outcome: 'skipped', ...(plan.jobId !== undefined ? { jobId: plan.jobId } : {}), reason: plan.reason };
  }
  const change = plan.event;
  logger.appendKeys({ jobId: change.jobId, status: change.status, assetId: change.assetId });
  if (change.outputGroupDetailsMissing) logger.warn('COMPLETE event has no outputGroupDetails; notifying without output URLs');
  // The request id is kept across Lambda's retries of this event; the nonce is this invocation's.
  const publishClaimId = newClaimId(context?.awsRequestId ?? randomUUID(), randomUUID());
  const summary = await recordAndNotify(change, { config, publishClaimId, logger }, ports(context));
  recordMetrics(metrics, jobStateMetrics(change, summary.outcome, config.prices));
  flushMetrics(metrics);
  return summary;
}
