import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateJobCommand, GetJobCommand, MediaConvertClient, NotFoundException, SearchJobsCommand } from '@aws-sdk/client-mediaconvert';
import { S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { InvocationContext, budgetSignal, httpHandlerOptions } from '../../io/budget';
import { applyTransition } from '../../io/jobs-table';
import { createPipelineMetrics, flushMetrics, recordMetrics } from '../../io/metrics';
import { RecordsFailedError } from '../../../contracts/errors';
import { pickJobOfUpload } from '../../jobs/job-lookup';
import { newClaimId } from '../../jobs/job-record';
import { Logger } from '../../core/logger';
import { submissionMetrics } from '../../metrics/pipeline-metrics';
import { isS3TestEvent, parseS3Event } from '../../jobs/s3-event';
import { fromEnvironment, toPlanSettings } from '../../../contracts/functions/submit-job';
import { planSource } from './probe-source';
import { SubmissionPorts, SubmitOutcome, submitUpload } from './submission';

const logger = new Logger('submit-job');
// Validated at cold start: a bad ladder fails the first invocation, naming the field.
const settings = fromEnvironment(process.env);
// Regional endpoint (no DescribeEndpoints); throttling, 5xx and hung requests retry with backoff.
const http = httpHandlerOptions(settings.requestTimeoutMs);
const mediaconvert = new MediaConvertClient({ maxAttempts: 5, retryMode: 'standard', requestHandler: http });
const dynamodb = new DynamoDBClient({ maxAttempts: 5, requestHandler: http });
const s3 = new S3Client({ maxAttempts: 5, retryMode: 'standard', requestHandler: http });
const sns = new SNSClient({ maxAttempts: 5, requestHandler: http });
const planSettings = toPlanSettings(settings);
const metrics = createPipelineMetrics('submit-job', settings.pipeline);
/** SearchJobs pages (20 jobs each, newest first) read for an upload's earlier job. */
const SEARCH_PAGES = 5;

function ports(context: InvocationContext | undefined): SubmissionPorts {
  const signal = (then: 'record' | 'return') => ({ abortSignal: budgetSignal(context, settings.requestTimeoutMs, then) });
  return {
    transition: (input, then) => applyTransition(dynamodb, input, signal(then).abortSignal),
    async findJob({ jobId, source, assetId }) {
      if (jobId !== undefined) {
        const found = await mediaconvert.send(new GetJobCommand({ Id: jobId }), signal('record')).catch((error: unknown) => {
          if (error instanceof NotFoundException) return undefined;
          throw error;
        });
        if (found?.Job?.Id !== undefined) return found.Job.Id;
      }
      let nextToken: string | undefined;
      for (let page = 0; page < SEARCH_PAGES; page += 1) {
        const result = await mediaconvert.send(
          new SearchJobsCommand({ InputFile: source, Queue: settings.queueArn, MaxResults: 20, NextToken: nextToken }),
          signal('record'),
        );
        const job = pickJobOfUpload(result.Jobs ?? [], { assetId, source });
        if (job?.Id !== undefined) return job.Id;
        nextToken = result.NextToken;
        if (nextToken === undefined) break;
      }
      return undefined;
    },
    planSource: (upload) =>
      planSource(
        upload,
        { mediaconvert, s3 },
        settings.ladder,
        planSettings,
        settings.prices,
        signal('record').abortSignal,
        settings.limits,
      ),
    async createJob(request) {
      const { Job } = await mediaconvert.send(new CreateJobCommand(request), signal('record'));
      if (Job?.Id === undefined) throw new Error('CreateJob answered without a job id; retrying the event');
      return Job.Id;
    },
    publish: async (input) => void (await sns.send(new PublishCommand(input), signal('return'))),
    now: () => new Date(),
  };
}

/** S3 ObjectCreated notification → one MediaConvert job per new video upload; each record counted (JobsSubmitted, JobsSkipped…). */
export async function handler(event: unknown, context?: InvocationContext): Promise<Record<SubmitOutcome | 'skipped', number>> {
  logger.resetKeys();
  logger.appendKeys({ requestId: context?.awsRequestId });
  const counts = { submitted: 0, duplicate: 0, failed: 0, skipped: 0 };
  if (isS3TestEvent(event)) {
    logger.info('Ignored S3 test event');
    return counts;
  }
  // The request id is kept across Lambda's retries of this event; the nonce is this invocation's.
  const invocation = { requestId: context?.awsRequestId ?? randomUUID(), nonce: randomUUID(), ports: ports(context) };
  const failures: { key: string; error: unknown }[] = [];
  try {
    for (const [index, plan] of parseS3Event(event).entries()) {
      if (plan.action === 'skip') {
        logger.info('Skipped record', { key: plan.key, reason: plan.reason, detail: plan.detail });
        counts.skipped += 1;
        recordMetrics(metrics, submissionMetrics({ outcome: 'skipped', reason: plan.reason }, settings.prices));
        continue;
      }
      // Each record on its own: a failure is collected, the rest still run.
      try {
        const claimId = newClaimId(invocation.requestId, `${invocation.nonce}.${index}`);
        const result = await submitUpload(plan.upload, { settings, claimId, logger }, invocation.ports);
        counts[result.outcome] += 1;
        recordMetrics(metrics, submissionMetrics(result, settings.prices));
      } catch (error) {
        logger.error('Record failed; it will be retried', { key: plan.upload.key, error });
        failures.push({ key: plan.upload.key, error });
      }
    }
  } finally {
    // What was counted is published even when the invocation throws for a retry.
    flushMetrics(metrics);
  }
  if (failures.length > 0) throw new RecordsFailedError(failures);
  return counts;
}
