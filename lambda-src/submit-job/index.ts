import { ConditionalCheckFailedException, DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateJobCommand, MediaConvertClient } from '@aws-sdk/client-mediaconvert';
import { RecordsFailedError } from '../lib/errors';
import { buildCreateJobRequest } from '../lib/job-settings';
import { buildClaimRequest, buildRecordUpdate } from '../lib/job-record';
import { Logger } from '../lib/logger';
import { UploadedObject, isS3TestEvent, parseS3Event } from '../lib/s3-event';
import { isPermanentError } from '../lib/aws-errors';
import { fromEnvironment } from './contract';

const logger = new Logger('submit-job');
// Validated at cold start: a bad ladder fails the first invocation, naming the field.
const settings = fromEnvironment(process.env);
// Regional endpoint (no DescribeEndpoints); throttling and 5xx retry with backoff.
const mediaconvert = new MediaConvertClient({ maxAttempts: 5, retryMode: 'standard' });
const dynamodb = new DynamoDBClient({});

type Outcome = 'submitted' | 'duplicate' | 'failed';

async function submitUpload(upload: UploadedObject): Promise<Outcome> {
  const request = buildCreateJobRequest(upload, settings);
  const { assetId, source } = request.UserMetadata as { assetId: string; source: string };
  const fields = { table: settings.jobsTable, assetId };
  try {
    await dynamodb.send(
      new PutItemCommand(
        buildClaimRequest({
          ...fields,
          source,
          pipeline: settings.pipeline,
          clientRequestToken: request.ClientRequestToken!,
          now: new Date(),
          claimTtlSeconds: settings.claimTtlSeconds,
        }),
      ),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    logger.info('Duplicate delivery; the upload already has a job', { key: upload.key, assetId });
    return 'duplicate';
  }
  let jobId: string | undefined;
  try {
    jobId = (await mediaconvert.send(new CreateJobCommand(request))).Job?.Id;
  } catch (error) {
    const permanent = isPermanentError(error);
    const failure = { name: (error as Error).name, message: error instanceof Error ? error.message : String(error) };
    await dynamodb.send(
      new UpdateItemCommand(
        buildRecordUpdate({
          ...fields,
          expectedStatus: 'SUBMITTING',
          fields: { status: permanent ? 'FAILED' : 'RETRYABLE', error: failure, updatedAt: new Date().toISOString() },
        }),
      ),
    );
    if (!permanent) throw error;
    logger.error('CreateJob rejected the job; recorded as FAILED, not retried', { key: upload.key, assetId, error });
    return 'failed';
  }
  try {
    await dynamodb.send(
      new UpdateItemCommand(
        buildRecordUpdate({
          ...fields,
          expectedStatus: 'SUBMITTING',
          fields: { status: 'SUBMITTED', jobId, updatedAt: new Date().toISOString() },
        }),
      ),
    );
  } catch (error) {
    // The job's first state change can be recorded before this write; that record is newer.
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  logger.info('Submitted MediaConvert job', { key: upload.key, assetId, jobId });
  return 'submitted';
}

/** S3 ObjectCreated notification → one MediaConvert job per new video upload. */
export async function handler(event: unknown, context?: { awsRequestId?: string }): Promise<Record<Outcome | 'skipped', number>> {
  logger.resetKeys();
  logger.appendKeys({ requestId: context?.awsRequestId });
  const counts = { submitted: 0, duplicate: 0, failed: 0, skipped: 0 };
  if (isS3TestEvent(event)) {
    logger.info('Ignored S3 test event');
    return counts;
  }
  const failures: { key: string; error: unknown }[] = [];
  for (const plan of parseS3Event(event)) {
    if (plan.action === 'skip') {
      logger.info('Skipped record', { key: plan.key, reason: plan.reason, detail: plan.detail });
      counts.skipped += 1;
      continue;
    }
    // Each record on its own: a failure is collected, the rest still run.
    try {
      counts[await submitUpload(plan.upload)] += 1;
    } catch (error) {
      logger.error('Record failed; it will be retried', { key: plan.upload.key, error });
      failures.push({ key: plan.upload.key, error });
    }
  }
  if (failures.length > 0) throw new RecordsFailedError(failures);
  return counts;
}
