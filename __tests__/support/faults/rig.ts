/**
 * Everything a fault test runs the handlers against: moto (DynamoDB, SNS, and an SQS queue
 * subscribed to the topic to count what was published) and the MediaConvert stand-in, each
 * behind its own fault proxy, on one simulated clock. The handlers' environment points at the
 * proxies; the test's own clients go straight to the emulators.
 */
import { DeleteItemCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { JobRecord } from '../../../lambda-src/jobs/job-record';
import { DEFAULT_RUNGS, EncodingLadderSchema } from '../../../contracts/ladder';
import type { JobNotification } from '../../../lambda-src/delivery/notification';
import { toEnvironment as jobEventsEnvironment } from '../../../contracts/functions/job-events';
import { toEnvironment as submitEnvironment } from '../../../contracts/functions/submit-job';
import { MotoServer, startMoto } from '../../../scripts/lib/local-env';
import { DISTRIBUTION_DOMAIN, OUTPUT_BUCKET, PIPELINE, QUEUE_ARN, REGION } from '../../fixtures/mediaconvert-events';
import { createJobsTable } from '../aws/jobs-table';
import { readMediaFixture } from '../media-fixtures';
import { MediaConvertStub, StubJob, startMediaConvertStub } from '../mediaconvert/server';
import { harnessKillAfterMs } from './async-lambda';
import { SimulatedClock } from './clock';
import { FaultProxy, startFaultProxy } from './proxy';
import { MEDIACONVERT_PRICES } from '../../../contracts/pricing';
import { DEFAULT_UPLOAD_LIMITS, UploadLimits } from '../../../contracts/upload-limits';

const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
/** The pipeline, region, output bucket and distribution of the event fixtures, so their events are this rig's. */
export const RIG_PIPELINE = PIPELINE;
/** The queue the event fixtures' jobs ran on: this rig's pipeline queue. */
export const RIG_QUEUE_ARN = QUEUE_ARN;

/** Timing of the functions under test, in real milliseconds (the simulated clock adds only waits). */
export interface RigTiming {
  /** The function timeout, as the handler sees it. */
  readonly timeoutMs: number;
  /** The SDK's per-attempt timeout. */
  readonly requestTimeoutMs: number;
  /**
   * Deployed, the claim TTL is the function timeout: no run outlives it, so an older claim's holder
   * is dead. Here a run lasts until the harness kills it, so that bound is the default: a claim
   * never goes stale under a holder that is still working because the machine is busy.
   * @default - harnessKillAfterMs(timeoutMs), rounded up to seconds
   */
  readonly claimTtlSeconds?: number;
}

export interface FaultRig {
  readonly clock: SimulatedClock;
  readonly moto: MotoServer;
  readonly mediaconvert: MediaConvertStub;
  /** In front of moto: DynamoDB and SNS calls of the handlers. */
  readonly awsProxy: FaultProxy;
  /** In front of the MediaConvert stand-in. */
  readonly mediaconvertProxy: FaultProxy;
  /** A client straight to moto's DynamoDB, for setting up and reading records. */
  readonly dynamodb: DynamoDBClient;
  readonly table: string;
  readonly topicArn: string;
  readonly queueArn: string;
  /** The submit function's environment; `limits` default to DEFAULT_UPLOAD_LIMITS. */
  submitEnv(timing: RigTiming, limits?: UploadLimits): Record<string, string>;
  /** The job-events function's environment. */
  jobEventsEnv(timing: RigTiming): Record<string, string>;
  /** Every record of the jobs table. */
  records(): Promise<JobRecord[]>;
  /** Deletes every record: a clean table for the next test. */
  clearRecords(): Promise<void>;
  /** Jobs the stand-in holds for an asset. */
  jobsOf(assetId: string): StubJob[];
  /** Every notification published since the last call (read from the subscribed queue, then deleted). */
  takePublished(): Promise<JobNotification[]>;
  close(): Promise<void>;
}

/** Starts moto, the stand-in and both proxies, and creates the table, the topic and its subscriber queue. */
export async function startFaultRig(clock: SimulatedClock = new SimulatedClock()): Promise<FaultRig> {
  const moto = await startMoto();
  // Every upload probes as a real camcorder file (MPEG-TS: no header read, so no S3 GETs).
  const mediaconvert = await startMediaConvertStub({
    region: REGION,
    clock: clock.now,
    log: () => undefined,
    reader: async () => readMediaFixture('camcorder-1080i.m2ts'),
  });
  // Whole requests are kept, so a test can map the handlers' calls to IAM actions (recordedCallsOf).
  const awsProxy = await startFaultProxy(moto.url, { keepRequests: true });
  const mediaconvertProxy = await startFaultProxy(mediaconvert.url, { keepRequests: true });
  const client = { region: REGION, endpoint: moto.url, credentials: CREDENTIALS };
  const dynamodb = new DynamoDBClient(client);
  const sns = new SNSClient(client);
  const sqs = new SQSClient(client);
  const table = `${RIG_PIPELINE}-jobs`;
  await createJobsTable(dynamodb, table);
  const { TopicArn: topicArn } = await sns.send(new CreateTopicCommand({ Name: `${RIG_PIPELINE}-job-notifications` }));
  const { QueueUrl: subscriberUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${RIG_PIPELINE}-subscriber` }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: subscriberUrl, AttributeNames: ['QueueArn'] }));
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: Attributes?.QueueArn,
      Attributes: { RawMessageDelivery: 'true' },
    }),
  );
  const queue = await fetch(`${mediaconvert.url}/2017-08-29/queues`, { method: 'POST', body: JSON.stringify({ name: RIG_PIPELINE }) });
  const queueArn = ((await queue.json()) as { queue: { arn: string } }).queue.arn;

  const sdkEnv = () => ({
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: awsProxy.url,
    AWS_ENDPOINT_URL_SNS: awsProxy.url,
    AWS_ENDPOINT_URL_MEDIACONVERT: mediaconvertProxy.url,
  });
  async function records(): Promise<JobRecord[]> {
    const found: JobRecord[] = [];
    let start: Record<string, never> | undefined;
    do {
      const page = await dynamodb.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start, ConsistentRead: true }));
      found.push(...(page.Items ?? []).map((item) => unmarshall(item) as JobRecord));
      start = page.LastEvaluatedKey as Record<string, never> | undefined;
    } while (start !== undefined);
    return found;
  }
  const claimTtlSeconds = (timing: RigTiming) => timing.claimTtlSeconds ?? Math.ceil(harnessKillAfterMs(timing.timeoutMs) / 1000);

  return {
    clock,
    moto,
    mediaconvert,
    awsProxy,
    mediaconvertProxy,
    dynamodb,
    table,
    topicArn: topicArn!,
    queueArn,
    submitEnv: (timing, limits) => ({
      ...submitEnvironment({
        pipeline: RIG_PIPELINE,
        queueArn,
        roleArn: `arn:aws:iam::123456789012:role/${RIG_PIPELINE}-mediaconvert`,
        outputBucket: OUTPUT_BUCKET,
        jobsTable: table,
        ladder: EncodingLadderSchema.parse({ rungs: [...DEFAULT_RUNGS] }),
        statusUpdateInterval: 'SECONDS_60',
        accelerationMode: 'DISABLED',
        accelerationMinSourceMinutes: 0,
        hdr: 'tone-map',
        claimTtlSeconds: claimTtlSeconds(timing),
        requestTimeoutMs: timing.requestTimeoutMs,
        prices: MEDIACONVERT_PRICES,
        limits: limits ?? DEFAULT_UPLOAD_LIMITS,
        topicArn: topicArn!,
      }),
      ...sdkEnv(),
      // The SDK puts app/<id> in its user agent: how the proxy tells the two functions' calls apart.
      AWS_SDK_UA_APP_ID: 'submit-job',
    }),
    jobEventsEnv: (timing) => ({
      ...jobEventsEnvironment({
        pipeline: RIG_PIPELINE,
        queueArn: RIG_QUEUE_ARN,
        table,
        topicArn: topicArn!,
        outputBucket: OUTPUT_BUCKET,
        distributionDomain: DISTRIBUTION_DOMAIN,
        claimTtlSeconds: claimTtlSeconds(timing),
        requestTimeoutMs: timing.requestTimeoutMs,
        prices: MEDIACONVERT_PRICES,
      }),
      ...sdkEnv(),
      // The storyboard write (job-events is the only function of the rig whose S3 calls go to moto).
      AWS_ENDPOINT_URL_S3: awsProxy.url,
      AWS_SDK_UA_APP_ID: 'job-events',
    }),
    records,
    async clearRecords() {
      for (const record of await records()) {
        await dynamodb.send(new DeleteItemCommand({ TableName: table, Key: { assetId: { S: record.assetId } } }));
      }
    },
    jobsOf: (assetId) => [...mediaconvert.jobs.values()].filter((job) => job.userMetadata.assetId === assetId),
    async takePublished() {
      const messages: JobNotification[] = [];
      for (;;) {
        const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: subscriberUrl, MaxNumberOfMessages: 10 }));
        if (Messages.length === 0) return messages;
        messages.push(...Messages.map((message) => JSON.parse(message.Body ?? '{}') as JobNotification));
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: subscriberUrl,
            Entries: Messages.map((message, i) => ({ Id: String(i), ReceiptHandle: message.ReceiptHandle })),
          }),
        );
      }
    },
    async close() {
      dynamodb.destroy();
      sns.destroy();
      sqs.destroy();
      await awsProxy.close();
      await mediaconvertProxy.close();
      await mediaconvert.close();
      await moto.stop();
    },
  };
}
