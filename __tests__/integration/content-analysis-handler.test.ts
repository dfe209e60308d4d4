import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import {
  GetLabelDetectionCommand,
  GetLabelDetectionCommandInput,
  LabelDetection,
  RekognitionClient,
  StartLabelDetectionCommand,
  ThrottlingException,
  VideoTooLargeException,
} from '@aws-sdk/client-rekognition';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { toEnvironment } from '../../contracts/functions/content-analysis';
import type { AnalysisNotification } from '../../contracts/notifications';
import { analysisClientRequestToken } from '../../lambda-src/analysis/label-analysis';
import { MotoServer, startMoto } from '../../scripts/lib/local-env';
import { ASSET_ID, DISTRIBUTION_DOMAIN, JOB_ID, OUTPUT_BUCKET, PIPELINE, QUEUE_ARN, completeEvent } from '../fixtures/mediaconvert-events';
import { describeWithTools } from '../support/tiers';

type Handler = typeof import('../../lambda-src/functions/content-analysis').handler;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const REGION = 'us-east-1';
const TABLE = 'vod-test-jobs';
const ANALYSIS_TOPIC = `arn:aws:sns:${REGION}:123456789012:vod-test-rekognition`;
const ANALYSIS_ROLE = 'arn:aws:iam::123456789012:role/vod-test-rekognition';
const MP4_KEY = `${ASSET_ID}/mp4/my-trip_1080p.mp4`;
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

/** Rekognition's completion message, as SNS delivers it to Lambda. */
function completionEvent(status: string, rekognitionJobId = 'rek-1', jobTag = JOB_ID): Json {
  const message = {
    JobId: rekognitionJobId,
    Status: status,
    API: 'StartLabelDetection',
    JobTag: jobTag,
    Timestamp: 1_700_000_000_000,
    Video: { S3ObjectName: MP4_KEY, S3Bucket: OUTPUT_BUCKET },
  };
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        Sns: { Type: 'Notification', TopicArn: ANALYSIS_TOPIC, Message: JSON.stringify(message) },
      },
    ],
  };
}

/** `count` label detections spread over pages of 1,000, as GetLabelDetection pages them. */
function labelPages(count: number): LabelDetection[][] {
  const labels = Array.from({ length: count }, (_, i) => ({
    Timestamp: i * 40,
    Label: { Name: `Label ${i % 37}`, Confidence: 60 + (i % 37), Parents: [], Categories: [] },
  }));
  const pages: LabelDetection[][] = [];
  for (let i = 0; i < labels.length; i += 1000) pages.push(labels.slice(i, i + 1000));
  return pages;
}

// Rekognition is not emulated by moto: aws-sdk-client-mock stands in for it alone. The jobs
// table, the output bucket and the notification topic are moto's.
describeWithTools('content-analysis handler', ['moto'], () => {
  let moto: MotoServer;
  let handler: Handler;
  let dynamodb: DynamoDBClient;
  let s3: S3Client;
  let sqs: SQSClient;
  let inboxUrl: string;
  let emfLines: Json[];
  const rekognition = mockClient(RekognitionClient);
  const savedEnv = process.env;

  const record = async (): Promise<Json> =>
    unmarshall(
      (await dynamodb.send(new GetItemCommand({ TableName: TABLE, Key: marshall({ assetId: ASSET_ID }), ConsistentRead: true }))).Item!,
    );
  const published = async (): Promise<AnalysisNotification[]> => {
    const notifications: AnalysisNotification[] = [];
    for (;;) {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: inboxUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
      if (!Messages?.length) return notifications;
      for (const m of Messages) {
        notifications.push(JSON.parse((JSON.parse(m.Body!) as { Message: string }).Message) as AnalysisNotification);
        await sqs.send(new DeleteMessageCommand({ QueueUrl: inboxUrl, ReceiptHandle: m.ReceiptHandle! }));
      }
    }
  };
  /** The record as the start of the analysis left it: IN_PROGRESS with Rekognition's job id. */
  const analysisStarted = (rekognitionJobId = 'rek-1') =>
    dynamodb.send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: marshall({ assetId: ASSET_ID }),
        UpdateExpression: 'SET analysis = :analysis',
        ExpressionAttributeValues: marshall({
          ':analysis': { status: 'IN_PROGRESS', jobId: JOB_ID, rekognitionJobId, updatedAt: '2026-01-01T00:00:00.000Z' },
        }),
      }),
    );
  const counted = (name: string) => emfLines.filter((line) => name in line).map((line) => line[name]);

  beforeAll(async () => {
    moto = await startMoto();
    const config = { region: REGION, endpoint: moto.url, credentials };
    dynamodb = new DynamoDBClient(config);
    s3 = new S3Client({ ...config, forcePathStyle: true });
    sqs = new SQSClient(config);
    const sns = new SNSClient(config);
    await dynamodb.send(
      new CreateTableCommand({
        TableName: TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'assetId', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'assetId', AttributeType: 'S' }],
      }),
    );
    await s3.send(new CreateBucketCommand({ Bucket: OUTPUT_BUCKET }));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'vod-test-job-notifications' }));
    inboxUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'subscriber' }))).QueueUrl!;
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: inboxUrl, AttributeNames: ['QueueArn'] }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn }));
    process.env = {
      ...savedEnv,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_ENDPOINT_URL: moto.url,
      AWS_S3_FORCE_PATH_STYLE: 'true',
      ...toEnvironment({
        pipeline: PIPELINE,
        queueArn: QUEUE_ARN,
        jobsTable: TABLE,
        outputBucket: OUTPUT_BUCKET,
        distributionDomain: DISTRIBUTION_DOMAIN,
        notificationTopicArn: TopicArn!,
        analysisTopicArn: ANALYSIS_TOPIC,
        analysisRoleArn: ANALYSIS_ROLE,
        minConfidence: 70,
        topLabels: 5,
      }),
    };
    // Imported after the environment is set, like a cold start.
    ({ handler } = await import('../../lambda-src/functions/content-analysis'));
  });

  afterAll(async () => {
    process.env = savedEnv;
    rekognition.restore();
    await moto.stop();
  });

  beforeEach(async () => {
    rekognition.reset();
    await published();
    // The job's record as the job-events function leaves it.
    await dynamodb.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: marshall({ assetId: ASSET_ID, jobId: JOB_ID, status: 'COMPLETE', notifiedAt: '2026-01-01T00:00:00.000Z' }),
      }),
    );
    emfLines = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        const parsed = JSON.parse(line) as Json;
        if ('_aws' in parsed) emfLines.push(parsed);
      }
      return true;
    });
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('starts label detection on the MP4 of a COMPLETE job and records it, leaving the outcome as it was', async () => {
    // Prepare
    rekognition.on(StartLabelDetectionCommand).resolves({ JobId: 'rek-1' });

    // Act
    const summary = await handler(completeEvent('my-trip'), { awsRequestId: 'req-1' });

    // Assess
    expect(summary).toEqual({ outcome: 'started', jobId: JOB_ID });
    expect(rekognition.commandCalls(StartLabelDetectionCommand).map((c) => c.args[0].input)).toEqual([
      {
        Video: { S3Object: { Bucket: OUTPUT_BUCKET, Name: MP4_KEY } },
        ClientRequestToken: analysisClientRequestToken(JOB_ID),
        JobTag: JOB_ID,
        MinConfidence: 70,
        NotificationChannel: { SNSTopicArn: ANALYSIS_TOPIC, RoleArn: ANALYSIS_ROLE },
        Features: ['GENERAL_LABELS'],
      },
    ]);
    const stored = await record();
    expect(stored).toEqual(expect.objectContaining({ status: 'COMPLETE', jobId: JOB_ID }));
    expect(stored.analysis).toEqual(expect.objectContaining({ status: 'IN_PROGRESS', jobId: JOB_ID, rekognitionJobId: 'rek-1' }));
    expect(counted('AnalysesStarted')).toEqual([1]);
  });

  it('counts a redelivered COMPLETE event once: the start is idempotent and the record refuses the second write', async () => {
    // Prepare
    rekognition.on(StartLabelDetectionCommand).resolves({ JobId: 'rek-1' });
    await handler(completeEvent('my-trip'));

    // Act
    const summary = await handler(completeEvent('my-trip'));

    // Assess
    expect(summary).toEqual({ outcome: 'duplicate', jobId: JOB_ID });
    const tokens = rekognition.commandCalls(StartLabelDetectionCommand).map((c) => c.args[0].input.ClientRequestToken);
    expect(new Set(tokens).size).toBe(1);
    expect(counted('AnalysesStarted')).toEqual([1]);
  });

  it('reads every page of labels, stores them next to the outputs, summarizes them on the record and announces them', async () => {
    // Prepare: the analysis this pipeline started, and 4,321 detections on five pages.
    await analysisStarted();
    const pages = labelPages(4321);
    rekognition.on(GetLabelDetectionCommand).callsFake((input: GetLabelDetectionCommandInput) => {
      const index = input.NextToken === undefined ? 0 : Number(input.NextToken.replace('page-', ''));
      return {
        JobStatus: 'SUCCEEDED',
        LabelModelVersion: '3.0',
        VideoMetadata: { DurationMillis: 180_041, Format: 'QuickTime / MOV', FrameRate: 30 },
        Labels: pages[index],
        ...(index + 1 < pages.length ? { NextToken: `page-${index + 1}` } : {}),
      };
    });

    // Act
    const summary = await handler(completionEvent('SUCCEEDED'));

    // Assess
    expect(summary).toEqual({ outcome: 'completed', jobId: JOB_ID });
    expect(rekognition.commandCalls(GetLabelDetectionCommand).map((c) => c.args[0].input.NextToken)).toEqual([
      undefined,
      'page-1',
      'page-2',
      'page-3',
      'page-4',
    ]);
    const object = await s3.send(new GetObjectCommand({ Bucket: OUTPUT_BUCKET, Key: `${ASSET_ID}/analysis/labels.json` }));
    const labels = JSON.parse(await object.Body!.transformToString()) as Json;
    expect(object.ContentType).toBe('application/json');
    expect(labels).toEqual(
      expect.objectContaining({
        version: '2',
        assetId: ASSET_ID,
        jobId: JOB_ID,
        rekognitionJobId: 'rek-1',
        labelCount: 4321,
        labelModelVersion: '3.0',
        pages: [0, 1, 2, 3, 4].map((page) => `${ASSET_ID}/analysis/labels/0000${page}.json`),
      }),
    );
    // Every detection, in Rekognition's order, across the pages.
    const storedPages: Json[] = [];
    for (const key of labels.pages as string[]) {
      const page = await s3.send(new GetObjectCommand({ Bucket: OUTPUT_BUCKET, Key: key }));
      storedPages.push(JSON.parse(await page.Body!.transformToString()) as Json);
    }
    expect(storedPages.flatMap((page) => page.labels as unknown[])).toEqual(pages.flat());
    const stored = await record();
    expect(stored.status).toBe('COMPLETE');
    expect(stored.analysis).toEqual(
      expect.objectContaining({
        status: 'SUCCEEDED',
        labelsKey: `${ASSET_ID}/analysis/labels.json`,
        labelCount: 4321,
        notifiedAt: expect.any(String),
      }),
    );
    expect(stored.analysis.topLabels).toHaveLength(5);
    expect(stored.analysis.topLabels[0]).toEqual({ name: 'Label 36', confidence: 96, occurrences: 116, firstSeenMs: 36 * 40 });
    expect(await published()).toEqual([
      expect.objectContaining({
        version: '1',
        pipeline: PIPELINE,
        status: 'ANALYSIS_COMPLETE',
        jobId: JOB_ID,
        assetId: ASSET_ID,
        labelsUrl: `s3://${OUTPUT_BUCKET}/${ASSET_ID}/analysis/labels.json`,
        labelCount: 4321,
        topLabels: stored.analysis.topLabels,
        error: null,
      }),
    ]);
    expect(counted('AnalysesCompleted')).toEqual([1]);
  });

  it('announces an analysis once: a redelivered completion message is a duplicate', async () => {
    // Prepare: the analysis this pipeline started
    await analysisStarted();
    rekognition.on(GetLabelDetectionCommand).resolves({ JobStatus: 'SUCCEEDED', Labels: labelPages(3)[0] });
    await handler(completionEvent('SUCCEEDED'));
    await published();

    // Act
    const summary = await handler(completionEvent('SUCCEEDED'));

    // Assess
    expect(summary).toEqual({ outcome: 'duplicate', jobId: JOB_ID });
    expect(await published()).toEqual([]);
  });

  it('records and announces a failed analysis without touching the job outcome', async () => {
    // Prepare: the analysis this pipeline started
    await analysisStarted();
    rekognition.on(GetLabelDetectionCommand).resolves({ JobStatus: 'FAILED', StatusMessage: 'Unsupported codec' });

    // Act
    const summary = await handler(completionEvent('FAILED'));

    // Assess
    expect(summary).toEqual({ outcome: 'failed', jobId: JOB_ID });
    const stored = await record();
    expect(stored).toEqual(expect.objectContaining({ status: 'COMPLETE', notifiedAt: '2026-01-01T00:00:00.000Z' }));
    expect(stored.analysis).toEqual(expect.objectContaining({ status: 'FAILED', error: { code: 'FAILED', message: 'Unsupported codec' } }));
    expect(await published()).toEqual([
      expect.objectContaining({
        status: 'ANALYSIS_FAILED',
        labelsUrl: null,
        labelCount: null,
        topLabels: [],
        error: { code: 'FAILED', message: 'Unsupported codec' },
      }),
    ]);
    expect(counted('AnalysesFailed')).toEqual([1]);
  });

  it('records a video Rekognition refuses as a failed analysis, not retried', async () => {
    // Prepare
    rekognition
      .on(StartLabelDetectionCommand)
      .rejects(new VideoTooLargeException({ message: 'Video is too large', $metadata: { httpStatusCode: 400 } }));

    // Act
    const summary = await handler(completeEvent('my-trip'));

    // Assess
    expect(summary).toEqual({ outcome: 'failed', jobId: JOB_ID });
    expect((await record()).analysis).toEqual(
      expect.objectContaining({
        status: 'FAILED',
        error: { code: 'VideoTooLargeException', message: 'Video is too large' },
        notifiedAt: expect.any(String),
      }),
    );
    expect(await published()).toEqual([expect.objectContaining({ status: 'ANALYSIS_FAILED' })]);
  });

  it('throws on throttling so the event is retried, and records nothing', async () => {
    // Prepare
    rekognition
      .on(StartLabelDetectionCommand)
      .rejects(new ThrottlingException({ message: 'Slow down', $metadata: { httpStatusCode: 400 } }));

    // Act & Assess
    await expect(handler(completeEvent('my-trip'))).rejects.toThrow(/Slow down/);
    expect((await record()).analysis).toBeUndefined();
  });

  it('retries a completion whose results Rekognition does not serve yet', async () => {
    // Prepare: the analysis this pipeline started
    await analysisStarted();
    rekognition.on(GetLabelDetectionCommand).resolves({ JobStatus: 'IN_PROGRESS' });

    // Act & Assess
    await expect(handler(completionEvent('SUCCEEDED'))).rejects.toThrow(
      /announced label detection rek-1 as SUCCEEDED, but GetLabelDetection says IN_PROGRESS/,
    );
    expect((await record()).analysis).toEqual(expect.objectContaining({ status: 'IN_PROGRESS', rekognitionJobId: 'rek-1' }));
  });

  it("leaves the record of an upload's newer job alone", async () => {
    // Prepare
    rekognition.on(StartLabelDetectionCommand).resolves({ JobId: 'rek-old' });
    await dynamodb.send(
      new PutItemCommand({ TableName: TABLE, Item: marshall({ assetId: ASSET_ID, jobId: 'newer-job', status: 'PROGRESSING' }) }),
    );

    // Act
    const summary = await handler(completeEvent('my-trip'));

    // Assess
    expect(summary).toEqual({ outcome: 'skipped', jobId: JOB_ID, reason: 'foreign-job' });
    expect((await record()).analysis).toBeUndefined();
  });

  it.each([
    [
      'a Rekognition job id the record never started',
      completionEvent('SUCCEEDED', 'rek-forged'),
      'unexpected-completion:unknown-rekognition-job',
    ],
    ['another job of the upload', completionEvent('SUCCEEDED', 'rek-1', 'other-job'), 'unexpected-completion:foreign-job'],
  ])('records nothing for a forged completion naming %s, and reads no labels', async (_case, event, reason) => {
    // Prepare
    await analysisStarted('rek-1');
    rekognition.on(GetLabelDetectionCommand).resolves({ JobStatus: 'SUCCEEDED', Labels: labelPages(3)[0] });

    // Act
    const summary = await handler(event);

    // Assess
    expect(summary).toEqual(expect.objectContaining({ outcome: 'skipped', reason }));
    expect(rekognition.commandCalls(GetLabelDetectionCommand)).toEqual([]);
    expect((await record()).analysis).toEqual(expect.objectContaining({ status: 'IN_PROGRESS', rekognitionJobId: 'rek-1' }));
    expect(await published()).toEqual([]);
  });

  it('records nothing for a completion that arrives before any analysis was started', async () => {
    // Act
    const summary = await handler(completionEvent('SUCCEEDED', 'rek-1'));

    // Assess
    expect(summary).toEqual(expect.objectContaining({ outcome: 'skipped', reason: 'unexpected-completion:unknown-rekognition-job' }));
    expect((await record()).analysis).toBeUndefined();
    expect(await published()).toEqual([]);
  });

  it("starts nothing for a job of this pipeline's id on another queue (forged metadata)", async () => {
    // Act
    const summary = await handler(completeEvent('my-trip', { queue: 'arn:aws:mediaconvert:us-west-2:111122223333:queues/Default' }));

    // Assess
    expect(summary).toEqual(expect.objectContaining({ outcome: 'skipped', reason: 'other-queue' }));
    expect(rekognition.calls()).toEqual([]);
  });

  it("starts nothing for another pipeline's job", async () => {
    // Act
    const summary = await handler(completeEvent('my-trip', { pipeline: 'vod-other' }));

    // Assess
    expect(summary).toEqual(expect.objectContaining({ outcome: 'skipped', reason: 'other-pipeline' }));
    expect(rekognition.calls()).toEqual([]);
  });
});
