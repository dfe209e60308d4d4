import { ConditionalCheckFailedException, DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { parseJobStateEvent } from '../lib/job-event';
import { buildNotifiedUpdate, buildStatusUpdate, isTerminal } from '../lib/job-status';
import { Logger } from '../lib/logger';
import { buildNotification, buildPublishInput } from '../lib/notification';
import { mapOutputsToUrls } from '../lib/outputs';
import { fromEnvironment } from './contract';

const logger = new Logger('job-events');
// Read once at cold start: a missing variable fails the first invocation, naming it.
const config = fromEnvironment(process.env);
const dynamodb = new DynamoDBClient({});
const sns = new SNSClient({});

/** What one invocation did; returned for tests and logs. */
export interface JobEventSummary {
  readonly outcome: 'skipped' | 'stale' | 'recorded' | 'notified';
  readonly jobId?: string;
  readonly status?: string;
  readonly reason?: string;
}

/**
 * MediaConvert job state change → jobs-table record; a terminal state is also published
 * to SNS, then marked notified. Errors other than a refused condition propagate, so the
 * event is retried and then dead-lettered; notifications are at least once.
 */
export async function handler(event: unknown, context?: { awsRequestId?: string }): Promise<JobEventSummary> {
  logger.resetKeys();
  logger.appendKeys({ requestId: context?.awsRequestId });
  const plan = parseJobStateEvent(event, config.pipeline);
  if (plan.action === 'skip') {
    logger.info('Skipped event', { jobId: plan.jobId, reason: plan.reason, detail: plan.detail });
    return { outcome: 'skipped', jobId: plan.jobId, reason: plan.reason };
  }
  const change = plan.event;
  const summary = { jobId: change.jobId, status: change.status };
  logger.appendKeys({ ...summary, assetId: change.assetId });
  if (change.outputGroupDetailsMissing) logger.warn('COMPLETE event has no outputGroupDetails; notifying without output URLs');
  const outputs = change.status === 'COMPLETE' ? mapOutputsToUrls(change.outputGroupDetails, config) : undefined;
  if (outputs !== undefined && outputs.skipped.length > 0) logger.warn('Output paths without a URL', { skipped: outputs.skipped });
  try {
    await dynamodb.send(new UpdateItemCommand(buildStatusUpdate({ table: config.table, change, outputs, now: new Date() })));
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    logger.info('Stale or duplicate event; the record is at this state or a later one');
    return { outcome: 'stale', ...summary };
  }
  if (!isTerminal(change.status)) {
    logger.info('Recorded job state');
    return { outcome: 'recorded', ...summary };
  }
  await sns.send(new PublishCommand(buildPublishInput(config.topicArn, buildNotification(change, outputs, config))));
  try {
    await dynamodb.send(
      new UpdateItemCommand(
        buildNotifiedUpdate({ table: config.table, assetId: change.assetId, jobId: change.jobId, status: change.status, now: new Date() }),
      ),
    );
  } catch (error) {
    // Another job of the asset took the record over meanwhile: the publish stands, nothing to mark.
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    logger.warn('Record changed before it was marked notified', { error });
  }
  logger.info('Recorded and notified');
  return { outcome: 'notified', ...summary };
}
