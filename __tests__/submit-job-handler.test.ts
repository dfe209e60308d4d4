import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  PutItemCommand,
  PutItemCommandInput,
  ProvisionedThroughputExceededException,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DEFAULT_RUNGS, EncodingLadderSchema } from '../lambda-src/lib/ladder';
import { toEnvironment } from '../lambda-src/submit-job/contract';
import { MediaConvertStub, startMediaConvertStub } from './support/mediaconvert/server';
import { s3Event, s3Record } from './fixtures/s3-events';

type Handler = (event: unknown, context?: { awsRequestId?: string }) => Promise<Record<string, number>>;

const dynamodb = mockClient(DynamoDBClient);
const savedEnv = { ...process.env };
let stub: MediaConvertStub;
let handler: Handler;
let claimed: Set<string>;
let logLines: Record<string, unknown>[];
let jobsBefore: number;
/** Jobs the stand-in created during this test (its counter spans the file). */
const newJobs = () => stub.createdJobCount - jobsBefore;

/** A jobs table that behaves like the conditional put: a second claim of an asset fails. */
function simulateJobsTable(): void {
  claimed = new Set();
  dynamodb.on(PutItemCommand).callsFake((input: PutItemCommandInput) => {
    const assetId = String(unmarshall(input.Item ?? {}).assetId);
    if (claimed.has(assetId)) throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
    claimed.add(assetId);
    return {};
  });
  dynamodb.on(UpdateItemCommand).resolves({});
}

function updatesWithStatus(status: string): Record<string, unknown>[] {
  return dynamodb
    .commandCalls(UpdateItemCommand)
    .map((c) => ({ key: unmarshall(c.args[0].input.Key ?? {}), values: unmarshall(c.args[0].input.ExpressionAttributeValues ?? {}) }))
    .filter((u) => Object.values(u.values).includes(status));
}

beforeAll(async () => {
  stub = await startMediaConvertStub({ log: () => undefined });
  await fetch(`${stub.url}/2017-08-29/queues`, { method: 'POST', body: JSON.stringify({ name: 'vod-test' }) });
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_ENDPOINT_URL_MEDIACONVERT: stub.url,
    ...toEnvironment({
      pipeline: 'vod-test',
      queueArn: 'arn:aws:mediaconvert:us-east-1:123456789012:queues/vod-test',
      roleArn: 'arn:aws:iam::123456789012:role/vod-test-mediaconvert',
      outputBucket: 'output-bucket',
      jobsTable: 'vod-test-jobs',
      ladder: EncodingLadderSchema.parse({ rungs: [...DEFAULT_RUNGS] }),
      statusUpdateInterval: 'SECONDS_60',
      accelerationMode: 'DISABLED',
      claimTtlSeconds: 60,
    }),
  });
  // The handler builds its clients and reads its environment at import, like a cold start.
  handler = (await import('../lambda-src/submit-job')).handler as Handler;
});

beforeEach(() => {
  dynamodb.reset();
  simulateJobsTable();
  stub.createJobRequests.length = 0;
  jobsBefore = stub.createdJobCount;
  logLines = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((line: string | Uint8Array) => {
    logLines.push(JSON.parse(String(line)) as Record<string, unknown>);
    return true;
  });
});

afterEach(() => jest.restoreAllMocks());

afterAll(async () => {
  await stub.close();
  process.env = savedEnv;
});

const fileInputs = () => stub.createJobRequests.map((r) => (r.settings as { inputs: { fileInput: string }[] }).inputs[0]!.fileInput);

describe('submit-job handler', () => {
  it.each([
    ['spaces sent as "+"', 'My+Trip+%282024%29+%231%2Bfinal.MP4', 's3://source-bucket/My Trip (2024) #1+final.MP4'],
    ['a literal plus sent as %2B', 'a%2Bb.mp4', 's3://source-bucket/a+b.mp4'],
    ['unicode', 'caf%C3%A9+%F0%9F%8E%AC.mov', 's3://source-bucket/café 🎬.mov'],
    ['a percent sign sent as %25', '100%25+done.mp4', 's3://source-bucket/100% done.mp4'],
    ['an uppercase extension', 'CLIP.MOV', 's3://source-bucket/CLIP.MOV'],
    ['nested folders', 'a/b/c/d/clip.mkv', 's3://source-bucket/a/b/c/d/clip.mkv'],
    ['dots in the name', 'show.v2.final.webm', 's3://source-bucket/show.v2.final.webm'],
    ['a multipart upload', 'big.mxf', 's3://source-bucket/big.mxf'],
  ])('creates one job reading the exact object for a key with %s', async (_case, rawKey, expectedInput) => {
    // Act
    const result = await handler(s3Event([s3Record({ key: rawKey, versionId: 'v1' })]));

    // Assess
    expect(result).toEqual({ submitted: 1, duplicate: 0, failed: 0, skipped: 0 });
    expect(fileInputs()).toEqual([expectedInput]);
    expect(newJobs()).toBe(1);
    expect(updatesWithStatus('SUBMITTED')).toHaveLength(1);
  });

  it.each([
    ['a malformed escape', { key: 'bad%zz.mp4' }, 'undecodable-key'],
    ['a folder placeholder', { key: 'uploads/', size: 0 }, 'folder-placeholder'],
    ['a zero-byte object', { key: 'empty.mp4', size: 0 }, 'empty-object'],
    ['a non-video key', { key: 'notes.txt' }, 'not-a-video'],
  ])('skips %s with a structured log line and no calls', async (_case, record, reason) => {
    // Act
    const result = await handler(s3Event([s3Record(record)]));

    // Assess
    expect(result.skipped).toBe(1);
    expect(stub.createJobRequests).toHaveLength(0);
    expect(dynamodb.calls()).toHaveLength(0);
    expect(logLines).toContainEqual(expect.objectContaining({ level: 'INFO', message: 'Skipped record', key: record.key, reason }));
  });

  it('ignores the S3 test event', async () => {
    const result = await handler({ Service: 'Amazon S3', Event: 's3:TestEvent', Time: '2026-11-25T10:00:00Z', Bucket: 'source-bucket' });

    expect(result).toEqual({ submitted: 0, duplicate: 0, failed: 0, skipped: 0 });
    expect(logLines).toContainEqual(expect.objectContaining({ message: 'Ignored S3 test event' }));
    expect(dynamodb.calls()).toHaveLength(0);
  });

  it('handles each record of a multi-record event', async () => {
    const result = await handler(s3Event([s3Record({ key: 'a.mp4' }), s3Record({ key: 'readme.txt' }), s3Record({ key: 'b.mov' })]));

    expect(result).toEqual({ submitted: 2, duplicate: 0, failed: 0, skipped: 1 });
    expect(fileInputs()).toEqual(['s3://source-bucket/a.mp4', 's3://source-bucket/b.mov']);
  });

  it('creates no second job for a duplicate delivery', async () => {
    // Prepare
    const event = s3Event([s3Record({ key: 'clip.mp4', versionId: 'v1' })]);

    // Act
    await handler(event);
    const second = await handler(event);

    // Assess
    expect(second).toEqual({ submitted: 0, duplicate: 1, failed: 0, skipped: 0 });
    expect(newJobs()).toBe(1);
    expect(logLines).toContainEqual(
      expect.objectContaining({ message: 'Duplicate delivery; the upload already has a job', key: 'clip.mp4' }),
    );
  });

  it('creates a new job for a re-upload of the same key', async () => {
    await handler(s3Event([s3Record({ key: 'reupload.mp4', versionId: 'v1' })]));
    await handler(s3Event([s3Record({ key: 'reupload.mp4', versionId: 'v2' })]));

    expect(newJobs()).toBe(2);
  });

  it('does not call CreateJob when the jobs-table conditional check fails', async () => {
    // Prepare
    dynamodb.on(PutItemCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));

    // Act
    const result = await handler(s3Event([s3Record({ key: 'clip.mp4' })]));

    // Assess
    expect(result.duplicate).toBe(1);
    expect(stub.createJobRequests).toHaveLength(0);
  });

  it('retries a throttled CreateJob with backoff and then succeeds', async () => {
    // Prepare
    stub.failNext({ status: 429, code: 'TooManyRequestsException', message: 'Too many requests' });

    // Act
    const result = await handler(s3Event([s3Record({ key: 'clip.mp4' })]));

    // Assess
    expect(result.submitted).toBe(1);
    expect(stub.createJobRequests).toHaveLength(2);
    expect(newJobs()).toBe(1);
  });

  it('records a CreateJob rejected with BadRequest as FAILED and does not retry it', async () => {
    // Prepare
    stub.failNext({ status: 400, code: 'BadRequestException', message: 'Invalid input' });

    // Act
    const result = await handler(s3Event([s3Record({ key: 'clip.mp4' })]));

    // Assess
    expect(result).toEqual({ submitted: 0, duplicate: 0, failed: 1, skipped: 0 });
    expect(stub.createJobRequests).toHaveLength(1);
    expect(updatesWithStatus('FAILED')).toEqual([
      expect.objectContaining({ values: expect.objectContaining({ ':f1': { name: 'BadRequestException', message: 'Invalid input' } }) }),
    ]);
    expect(logLines).toContainEqual(
      expect.objectContaining({ level: 'ERROR', key: 'clip.mp4', error: expect.objectContaining({ name: 'BadRequestException' }) }),
    );
  });

  it('finishes the other records when one fails, then throws so only the failed one is retried', async () => {
    // Prepare: the second record's CreateJob fails on every attempt of the SDK's retries.
    const serverError = { status: 500, code: 'InternalServerErrorException', message: 'boom' };
    const event = s3Event([s3Record({ key: 'first.mp4' }), s3Record({ key: 'second.mp4' }), s3Record({ key: 'third.mp4' })]);
    let calls = 0;
    const original = stub.failNext.bind(stub);
    dynamodb.on(PutItemCommand).callsFake(() => {
      calls += 1;
      if (calls === 2) original(serverError, serverError, serverError, serverError, serverError);
      return {};
    });

    // Act
    const run = handler(event);

    // Assess
    await expect(run).rejects.toThrow(/1 record\(s\) failed and will be retried: second\.mp4/);
    expect(fileInputs().filter((f) => f.endsWith('first.mp4') || f.endsWith('third.mp4'))).toHaveLength(2);
    expect(newJobs()).toBe(2);
    expect(updatesWithStatus('RETRYABLE')).toHaveLength(1);
  });

  it('throws for a throttled jobs table so the invocation is retried', async () => {
    dynamodb.on(PutItemCommand).rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));

    await expect(handler(s3Event([s3Record({ key: 'clip.mp4' })]))).rejects.toThrow(/failed and will be retried: clip\.mp4/);
    expect(stub.createJobRequests).toHaveLength(0);
  });

  it('keeps a record that job events already moved past SUBMITTING', async () => {
    // Prepare: the job's first state change is recorded before the SUBMITTED write.
    dynamodb
      .on(UpdateItemCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));

    // Act
    const result = await handler(s3Event([s3Record({ key: 'fast-job.mp4' })]));

    // Assess
    expect(result.submitted).toBe(1);
    const update = dynamodb.commandCalls(UpdateItemCommand)[0]!.args[0].input;
    expect(update.ConditionExpression).toBe('#guard = :guard');
    expect(unmarshall(update.ExpressionAttributeValues ?? {})[':guard']).toBe('SUBMITTING');
  });

  it('rejects a payload that is not an S3 event', async () => {
    await expect(handler({ detail: {} })).rejects.toThrow(/no Records array/);
  });

  it('tags each job with the pipeline and a stable token, and uses the configured queue and role', async () => {
    await handler(s3Event([s3Record({ key: 'clip.mp4', versionId: 'v9' })]));

    const [request] = stub.createJobRequests;
    expect(request).toEqual(
      expect.objectContaining({
        role: 'arn:aws:iam::123456789012:role/vod-test-mediaconvert',
        queue: 'arn:aws:mediaconvert:us-east-1:123456789012:queues/vod-test',
        clientRequestToken: expect.stringMatching(/^[0-9a-f]{64}$/),
        userMetadata: expect.objectContaining({ pipeline: 'vod-test', source: 's3://source-bucket/clip.mp4' }),
      }),
    );
  });
});
