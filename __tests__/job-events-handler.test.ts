import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { InvalidJobEventError } from '../lambda-src/lib/errors';
import type { JobNotification } from '../lambda-src/lib/notification';
import {
  ASSET_ID,
  DISTRIBUTION_DOMAIN,
  JOB_ID,
  OUTPUT_BUCKET,
  PIPELINE,
  REGION,
  completeEvent,
  errorEvent,
  jobStateChange,
  statusUpdateEvent,
} from './fixtures/mediaconvert-events';

const ENV = {
  PIPELINE_ID: PIPELINE,
  JOBS_TABLE: 'vod-test-jobs',
  TOPIC_ARN: `arn:aws:sns:${REGION}:111122223333:vod-test-job-notifications`,
  OUTPUT_BUCKET,
  DISTRIBUTION_DOMAIN,
  AWS_REGION: REGION,
};
const CDN = `https://${DISTRIBUTION_DOMAIN}/${ASSET_ID}`;

const dynamodb = mockClient(DynamoDBClient);
const sns = mockClient(SNSClient);
const originalEnv = process.env;
let handler: typeof import('../lambda-src/job-events').handler;
let logLines: Record<string, unknown>[];

const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const updates = () => dynamodb.commandCalls(UpdateItemCommand).map((call) => call.args[0].input);
const published = (): JobNotification[] =>
  sns.commandCalls(PublishCommand).map((call) => JSON.parse(call.args[0].input.Message ?? '') as JobNotification);
const logsAt = (level: string) => logLines.filter((line) => line.level === level);

beforeAll(async () => {
  // The handler reads its environment once, at import.
  process.env = { ...originalEnv, ...ENV };
  ({ handler } = await import('../lambda-src/job-events'));
});

afterAll(() => {
  process.env = originalEnv;
});

beforeEach(() => {
  dynamodb.reset();
  sns.reset();
  dynamodb.on(UpdateItemCommand).resolves({});
  sns.on(PublishCommand).resolves({ MessageId: 'message-1' });
  logLines = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((line) => {
    logLines.push(JSON.parse(String(line)) as Record<string, unknown>);
    return true;
  });
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe('job-events handler', () => {
  it('records a COMPLETE job, publishes its URLs on the distribution and marks it notified', async () => {
    // Act
    const summary = await handler(completeEvent('my-trip'), { awsRequestId: 'req-1' });

    // Assess
    expect(summary).toEqual({ outcome: 'notified', jobId: JOB_ID, status: 'COMPLETE' });
    const [record, notified] = updates();
    expect(record?.ConditionExpression).toMatch(/attribute_not_exists\(#notifiedAt\)/);
    expect(unmarshall(record?.ExpressionAttributeValues ?? {})).toEqual(
      expect.objectContaining({ ':status': 'COMPLETE', ':durationMs': 180_041 }),
    );
    expect(notified?.UpdateExpression).toBe('SET #notifiedAt = :notifiedAt');
    const [notification] = published();
    expect(notification).toEqual(
      expect.objectContaining({
        version: '1',
        pipeline: PIPELINE,
        status: 'COMPLETE',
        jobId: JOB_ID,
        assetId: ASSET_ID,
        durationMs: 180_041,
        error: null,
        consoleUrl: `https://${REGION}.console.aws.amazon.com/mediaconvert/home?region=${REGION}#/jobs/summary/${JOB_ID}`,
        timestamp: '2018-09-14T22:33:00.391Z',
      }),
    );
    expect(notification?.outputs).toEqual({
      hls: {
        master: `${CDN}/hls/my-trip.m3u8`,
        variants: ['1080p', '720p', '480p', '360p'].map((rung) => `${CDN}/hls/my-trip_${rung}.m3u8`),
      },
      mp4: [`${CDN}/mp4/my-trip_1080p.mp4`],
      thumbnails: {
        count: 12,
        urls: Array.from({ length: 12 }, (_, i) => `${CDN}/thumbnails/my-trip_thumb.${String(i).padStart(7, '0')}.jpg`),
      },
      poster: `${CDN}/thumbnails/my-trip_poster.0000000.jpg`,
      // The real sizes from videoDetails (the fixture's HLS variants all report 1280x720).
      renditions: [
        ...['1080p', '720p', '480p', '360p'].map((rung) => ({ url: `${CDN}/hls/my-trip_${rung}.m3u8`, width: 1280, height: 720 })),
        { url: `${CDN}/mp4/my-trip_1080p.mp4`, width: 1920, height: 1080 },
      ],
    });
    expect(notification?.warnings).toEqual([{ code: 230005, count: 1 }]);
    const publish = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(publish?.TopicArn).toBe(ENV.TOPIC_ARN);
    expect(publish?.Subject).toBe(`[${PIPELINE}] COMPLETE ${ASSET_ID}`);
    expect(publish?.MessageAttributes).toEqual({
      status: { DataType: 'String', StringValue: 'COMPLETE' },
      pipeline: { DataType: 'String', StringValue: PIPELINE },
    });
  });

  it('encodes each path segment of a base name with a space and a #', async () => {
    // Act
    await handler(completeEvent('My Trip #1'));

    // Assess
    const outputs = published()[0]?.outputs;
    expect(outputs?.hls?.master).toBe(`${CDN}/hls/My%20Trip%20%231.m3u8`);
    expect(outputs?.mp4).toEqual([`${CDN}/mp4/My%20Trip%20%231_1080p.mp4`]);
    expect(outputs?.thumbnails?.urls[11]).toBe(`${CDN}/thumbnails/My%20Trip%20%231_thumb.0000011.jpg`);
    expect(outputs?.poster).toBe(`${CDN}/thumbnails/My%20Trip%20%231_poster.0000000.jpg`);
  });

  it.each([
    ['a number', 1040],
    ['a string', '1040'],
  ])('publishes an ERROR whose errorCode arrives as %s with the numeric code', async (_case, errorCode) => {
    // Act
    const summary = await handler(errorEvent(errorCode, 'Unsupported input file'));

    // Assess
    expect(summary.outcome).toBe('notified');
    expect(published()[0]).toEqual(
      expect.objectContaining({
        status: 'ERROR',
        outputs: null,
        durationMs: null,
        error: { code: 1040, message: 'Unsupported input file' },
      }),
    );
    expect(unmarshall(updates()[0]?.ExpressionAttributeValues ?? {})[':error']).toEqual({ code: 1040, message: 'Unsupported input file' });
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.MessageAttributes?.status?.StringValue).toBe('ERROR');
  });

  it('publishes an ERROR without errorMessage with a null message', async () => {
    // Act
    await handler(errorEvent(1010, null));

    // Assess
    expect(published()[0]?.error).toEqual({ code: 1010, message: null });
  });

  it('publishes a CANCELED job without outputs or error', async () => {
    // Act
    const summary = await handler(jobStateChange('CANCELED'));

    // Assess
    expect(summary).toEqual({ outcome: 'notified', jobId: JOB_ID, status: 'CANCELED' });
    expect(published()[0]).toEqual(expect.objectContaining({ status: 'CANCELED', outputs: null, error: null }));
    expect(updates()).toHaveLength(2);
  });

  it('records PROGRESSING without publishing', async () => {
    // Act
    const summary = await handler(jobStateChange('PROGRESSING'));

    // Assess
    expect(summary).toEqual({ outcome: 'recorded', jobId: JOB_ID, status: 'PROGRESSING' });
    expect(updates()).toHaveLength(1);
    expect(unmarshall(updates()[0]?.ExpressionAttributeValues ?? {})).toEqual(
      expect.objectContaining({ ':status': 'PROGRESSING', ':statusRank': 1 }),
    );
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('does not publish a duplicate COMPLETE that was already notified (condition refused)', async () => {
    // Prepare
    dynamodb.on(UpdateItemCommand).rejects(conditionFailed());

    // Act
    const summary = await handler(completeEvent());

    // Assess
    expect(summary).toEqual({ outcome: 'stale', jobId: JOB_ID, status: 'COMPLETE' });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(logsAt('INFO').map((line) => line.message)).toContain('Stale or duplicate event; the record is at this state or a later one');
  });

  it('drops a PROGRESSING that arrives after COMPLETE without throwing', async () => {
    // Prepare
    dynamodb.on(UpdateItemCommand).rejects(conditionFailed());

    // Act
    const summary = await handler(jobStateChange('PROGRESSING'));

    // Assess
    expect(summary.outcome).toBe('stale');
    expect(updates()).toHaveLength(1);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('skips an event of another pipeline without touching DynamoDB', async () => {
    // Act
    const summary = await handler(jobStateChange('COMPLETE', {}, { pipeline: 'vod-prod' }));

    // Assess
    expect(summary).toEqual({ outcome: 'skipped', jobId: JOB_ID, reason: 'other-pipeline' });
    expect(dynamodb.calls()).toHaveLength(0);
    expect(sns.calls()).toHaveLength(0);
    expect(logsAt('INFO')[0]).toEqual(expect.objectContaining({ message: 'Skipped event', jobId: JOB_ID, reason: 'other-pipeline' }));
  });

  it('skips a status it does not record', async () => {
    // Act
    const summary = await handler(statusUpdateEvent());

    // Assess
    expect(summary).toEqual({ outcome: 'skipped', jobId: JOB_ID, reason: 'unknown-status' });
    expect(dynamodb.calls()).toHaveLength(0);
  });

  it('publishes a COMPLETE without outputGroupDetails with empty outputs and logs a warning', async () => {
    // Act
    const summary = await handler(jobStateChange('COMPLETE'));

    // Assess
    expect(summary.outcome).toBe('notified');
    expect(published()[0]).toEqual(expect.objectContaining({ status: 'COMPLETE', outputs: { mp4: [] }, durationMs: null }));
    expect(logsAt('WARN')).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/no outputGroupDetails/), jobId: JOB_ID, assetId: ASSET_ID }),
    ]);
  });

  it('logs output paths outside the output bucket as skipped', async () => {
    // Prepare
    const event = jobStateChange('COMPLETE', {
      outputGroupDetails: [{ type: 'FILE_GROUP', outputDetails: [{ outputFilePaths: ['s3://someone-else/x.mp4'] }] }],
    });

    // Act
    await handler(event);

    // Assess
    expect(published()[0]?.outputs).toEqual({ mp4: [] });
    expect(logsAt('WARN')).toEqual([expect.objectContaining({ skipped: [{ path: 's3://someone-else/x.mp4', reason: 'other-bucket' }] })]);
  });

  it('throws when the SNS publish fails, leaving notifiedAt unset so the retry publishes', async () => {
    // Prepare
    sns.on(PublishCommand).rejects(new Error('SNS unavailable'));

    // Act
    const invocation = handler(completeEvent());

    // Assess
    await expect(invocation).rejects.toThrow(/SNS unavailable/);
    expect(updates()).toHaveLength(1);
    expect(updates()[0]?.UpdateExpression).not.toMatch(/notifiedAt/);
  });

  it('throws on a DynamoDB error other than a refused condition, before publishing', async () => {
    // Prepare
    dynamodb.on(UpdateItemCommand).rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));

    // Act
    const invocation = handler(completeEvent());

    // Assess
    await expect(invocation).rejects.toThrow(/slow down/);
    expect(sns.calls()).toHaveLength(0);
  });

  it('keeps the publish when the record changed before it could be marked notified', async () => {
    // Prepare
    dynamodb.on(UpdateItemCommand).resolvesOnce({}).rejectsOnce(conditionFailed());

    // Act
    const summary = await handler(completeEvent());

    // Assess
    expect(summary.outcome).toBe('notified');
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(logsAt('WARN').map((line) => line.message)).toContain('Record changed before it was marked notified');
  });

  it('throws InvalidJobEventError for a payload that is not an event, so it is dead-lettered', async () => {
    await expect(handler('not an event')).rejects.toThrow(InvalidJobEventError);
    expect(dynamodb.calls()).toHaveLength(0);
  });

  it('never logs the whole event', async () => {
    // Act
    await handler(completeEvent('My Trip #1'));
    await handler(jobStateChange('COMPLETE', {}, { pipeline: 'vod-prod' }));

    // Assess
    const logged = JSON.stringify(logLines);
    expect(logLines.length).toBeGreaterThan(0);
    expect(logged).not.toMatch(/paddingInserted|"outputDetails"|"resources"|s3:\/\/vod-test-source|111122223333/);
  });
});
