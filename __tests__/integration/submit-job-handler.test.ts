import type { JobRecord } from '../../lambda-src/jobs/job-record';
import { deriveAssetId } from '../../lambda-src/jobs/keys';
import { s3Event, s3Record } from '../fixtures/s3-events';
import { writeRecord } from '../support/aws/jobs-table';
import { createJob, writesStatus } from '../support/faults/matchers';
import { FaultRig, RIG_PIPELINE, startFaultRig } from '../support/faults/rig';
import { describeWithTools } from '../support/tiers';

type Handler = (event: unknown, context?: { awsRequestId?: string }) => Promise<Record<string, number>>;

const TIMING = { timeoutMs: 30_000, requestTimeoutMs: 1_000 };
const savedEnv = { ...process.env };

// The handler against moto's DynamoDB and the MediaConvert stand-in, both behind the fault proxy.
describeWithTools('submit-job handler', ['moto'], () => {
  let rig: FaultRig;
  let handler: Handler;
  let logLines: Record<string, unknown>[];
  let jobsBefore: number;
  let requestsBefore: number;
  /** Jobs the stand-in created during this test (its counter spans the file). */
  const newJobs = () => rig.mediaconvert.createdJobCount - jobsBefore;
  const createRequests = () => rig.mediaconvert.createJobRequests.slice(requestsBefore);
  const fileInputs = () => createRequests().map((r) => (r.settings as { inputs: { fileInput: string }[] }).inputs[0]!.fileInput);
  const assetOf = (key: string, versionId?: string) =>
    deriveAssetId({ bucket: 'source-bucket', key, eTag: 'd41d8cd98f00b204e9800998ecf8427e', sequencer: '0055AED6DCD90281E5', versionId });
  const recordOf = async (assetId: string) => (await rig.records()).find((record) => record.assetId === assetId);

  beforeAll(async () => {
    rig = await startFaultRig();
    Object.assign(process.env, rig.submitEnv(TIMING));
    // The handler builds its clients and reads its environment at import, like a cold start.
    handler = (await import('../../lambda-src/functions/submit-job')).handler as Handler;
  });

  beforeEach(() => {
    rig.awsProxy.reset();
    rig.mediaconvertProxy.reset();
    jobsBefore = rig.mediaconvert.createdJobCount;
    requestsBefore = rig.mediaconvert.createJobRequests.length;
    logLines = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((line: string | Uint8Array) => {
      logLines.push(JSON.parse(String(line)) as Record<string, unknown>);
      return true;
    });
  });

  afterEach(() => jest.restoreAllMocks());

  afterAll(async () => {
    await rig.close();
    process.env = savedEnv;
  });

  it.each([
    ['spaces sent as "+"', 'My+Trip+%282024%29+%231%2Bfinal.MP4', 's3://source-bucket/My Trip (2024) #1+final.MP4'],
    ['a literal plus sent as %2B', 'a%2Bb.mp4', 's3://source-bucket/a+b.mp4'],
    ['unicode', 'caf%C3%A9+%F0%9F%8E%AC.mov', 's3://source-bucket/café 🎬.mov'],
    ['a percent sign sent as %25', '100%25+done.mp4', 's3://source-bucket/100% done.mp4'],
    ['an uppercase extension', 'CLIP.MOV', 's3://source-bucket/CLIP.MOV'],
    ['nested folders', 'a/b/c/d/clip.mkv', 's3://source-bucket/a/b/c/d/clip.mkv'],
    ['dots in the name', 'show.v2.final.webm', 's3://source-bucket/show.v2.final.webm'],
    ['a multipart upload', 'big.mxf', 's3://source-bucket/big.mxf'],
  ])('creates one job reading the exact object for a key with %s, and records it', async (_case, rawKey, expectedInput) => {
    // Act
    const result = await handler(s3Event([s3Record({ key: rawKey, versionId: 'v1' })]), { awsRequestId: `keys-${rawKey}` });

    // Assess
    expect(result).toEqual({ submitted: 1, duplicate: 0, failed: 0, skipped: 0 });
    expect(fileInputs()).toEqual([expectedInput]);
    expect(newJobs()).toBe(1);
    const jobId = [...rig.mediaconvert.jobs.values()].find((job) => job.userMetadata.source === expectedInput)?.id;
    const records = (await rig.records()).filter((record) => record.source === expectedInput);
    expect(records).toEqual([expect.objectContaining({ status: 'SUBMITTED', jobId, pipeline: RIG_PIPELINE, claims: 1 })]);
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
    expect(rig.awsProxy.calls).toHaveLength(0);
    expect(rig.mediaconvertProxy.calls).toHaveLength(0);
    expect(logLines).toContainEqual(expect.objectContaining({ level: 'INFO', message: 'Skipped record', key: record.key, reason }));
  });

  it('ignores the S3 test event', async () => {
    const result = await handler({ Service: 'Amazon S3', Event: 's3:TestEvent', Time: '2026-11-25T10:00:00Z', Bucket: 'source-bucket' });

    expect(result).toEqual({ submitted: 0, duplicate: 0, failed: 0, skipped: 0 });
    expect(logLines).toContainEqual(expect.objectContaining({ message: 'Ignored S3 test event' }));
    expect(rig.awsProxy.calls).toHaveLength(0);
  });

  it('handles each record of a multi-record event', async () => {
    const result = await handler(
      s3Event([s3Record({ key: 'multi-a.mp4' }), s3Record({ key: 'readme.txt' }), s3Record({ key: 'multi-b.mov' })]),
    );

    expect(result).toEqual({ submitted: 2, duplicate: 0, failed: 0, skipped: 1 });
    expect(fileInputs()).toEqual(['s3://source-bucket/multi-a.mp4', 's3://source-bucket/multi-b.mov']);
  });

  it('counts each record in embedded metrics: jobs submitted with their source minutes, skips by reason', async () => {
    // Act
    await handler(s3Event([s3Record({ key: 'count-a.mp4' }), s3Record({ key: 'readme.txt' }), s3Record({ key: 'count-b.mov' })]));

    // Assess
    const emf = logLines.filter((line) => '_aws' in line);
    const buffered = emf.find((line) => 'JobsSubmitted' in line);
    expect(buffered).toEqual(expect.objectContaining({ Pipeline: RIG_PIPELINE, service: 'submit-job', JobsSubmitted: [1, 1] }));
    expect(emf).toContainEqual(
      expect.objectContaining({ JobsSkipped: 1, Reason: 'not-a-video', Pipeline: RIG_PIPELINE, service: 'submit-job' }),
    );
    // The rig's uploads are one 2 s HD clip: 0.0334 minutes each.
    expect(buffered?.SourceMinutes).toEqual([0.0334, 0.0334]);
    expect(emf.filter((line) => 'ResolutionClass' in line).map((line) => [line.ResolutionClass, line.SourceMinutes])).toEqual([
      ['HD', 0.0334],
      ['HD', 0.0334],
    ]);
  });

  it('publishes what it counted even when a record fails and the invocation throws', async () => {
    // Prepare
    rig.mediaconvertProxy.inject({ match: createJob('count-fails.mp4'), action: { kind: 'server-error' } });

    // Act
    await expect(handler(s3Event([s3Record({ key: 'count-ok.mp4' }), s3Record({ key: 'count-fails.mp4' })]))).rejects.toThrow(
      /count-fails/,
    );

    // Assess
    expect(logLines).toContainEqual(expect.objectContaining({ _aws: expect.anything(), JobsSubmitted: 1 }));
  });

  it('creates no second job for a duplicate delivery', async () => {
    // Prepare
    const event = s3Event([s3Record({ key: 'dup.mp4', versionId: 'v1' })]);

    // Act
    await handler(event, { awsRequestId: 'first-delivery' });
    const second = await handler(event, { awsRequestId: 'second-delivery' });

    // Assess
    expect(second).toEqual({ submitted: 0, duplicate: 1, failed: 0, skipped: 0 });
    expect(newJobs()).toBe(1);
    expect(logLines).toContainEqual(
      expect.objectContaining({ message: 'Duplicate delivery; the upload is already handled', key: 'dup.mp4', reason: 'has-job' }),
    );
  });

  it('creates a new job for a re-upload of the same key', async () => {
    await handler(s3Event([s3Record({ key: 'reupload.mp4', versionId: 'v1' })]));
    await handler(s3Event([s3Record({ key: 'reupload.mp4', versionId: 'v2' })]));

    expect(newJobs()).toBe(2);
  });

  it('does not call CreateJob while another delivery holds a fresh claim on the upload', async () => {
    // Prepare: another invocation claimed the upload a moment ago and is still working on it.
    const assetId = assetOf('held.mp4');
    const held: JobRecord = { assetId, status: 'SUBMITTING', claimId: 'other-request/n', claimedAt: Date.now() - 1_000, claims: 1 };
    await writeRecord(rig.dynamodb, rig.table, held);

    // Act
    const result = await handler(s3Event([s3Record({ key: 'held.mp4' })]), { awsRequestId: 'this-request' });

    // Assess
    expect(result.duplicate).toBe(1);
    expect(createRequests()).toHaveLength(0);
    expect(await recordOf(assetId)).toEqual(held);
  });

  it('retries a throttled CreateJob with backoff and then succeeds', async () => {
    // Prepare
    rig.mediaconvertProxy.inject({ match: createJob(), action: { kind: 'throttle' }, times: 1 });

    // Act
    const result = await handler(s3Event([s3Record({ key: 'throttled.mp4' })]));

    // Assess
    expect(result.submitted).toBe(1);
    expect(rig.mediaconvertProxy.count('CreateJob')).toBe(2);
    expect(newJobs()).toBe(1);
  });

  it('records a CreateJob rejected with BadRequest as FAILED and does not retry it', async () => {
    // Prepare
    rig.mediaconvert.failNext({ status: 400, code: 'BadRequestException', message: 'Invalid input' });

    // Act
    const result = await handler(s3Event([s3Record({ key: 'rejected.mp4' })]));

    // Assess
    expect(result).toEqual({ submitted: 0, duplicate: 0, failed: 1, skipped: 0 });
    expect(createRequests()).toHaveLength(1);
    const record = await recordOf(assetOf('rejected.mp4'));
    expect(record).toEqual(expect.objectContaining({ status: 'FAILED', error: { name: 'BadRequestException', message: 'Invalid input' } }));
    expect(record).not.toHaveProperty('openShard');
    expect(logLines).toContainEqual(
      expect.objectContaining({ level: 'ERROR', key: 'rejected.mp4', error: expect.objectContaining({ name: 'BadRequestException' }) }),
    );
  });

  it('finishes the other records when one fails, then throws so only the failed one is retried', async () => {
    // Prepare: the second record's CreateJob fails on every attempt of the SDK's retries.
    rig.mediaconvertProxy.inject({ match: createJob('second.mp4'), action: { kind: 'server-error' } });
    const event = s3Event([s3Record({ key: 'first.mp4' }), s3Record({ key: 'second.mp4' }), s3Record({ key: 'third.mp4' })]);

    // Act
    const run = handler(event);

    // Assess
    await expect(run).rejects.toThrow(/1 record\(s\) failed and will be retried: second\.mp4/);
    expect(newJobs()).toBe(2);
    expect(await recordOf(assetOf('second.mp4'))).toEqual(
      expect.objectContaining({ status: 'RETRYABLE', error: expect.objectContaining({ name: 'InternalServerErrorException' }) }),
    );
  });

  it('throws for a throttled jobs table so the invocation is retried', async () => {
    rig.awsProxy.inject({ match: writesStatus('SUBMITTING'), action: { kind: 'throttle' } });

    await expect(handler(s3Event([s3Record({ key: 'table-throttled.mp4' })]))).rejects.toThrow(
      /failed and will be retried: table-throttled\.mp4/,
    );
    expect(createRequests()).toHaveLength(0);
  });

  it('keeps a record that the job events already moved past SUBMITTING', async () => {
    // Prepare: the job's first state change is recorded between CreateJob and the SUBMITTED write.
    const assetId = assetOf('fast-job.mp4');
    rig.awsProxy.inject({
      match: writesStatus('SUBMITTED'),
      times: 1,
      action: {
        kind: 'interleave',
        run: async () => {
          const jobId = rig.jobsOf(assetId)[0]!.id;
          const current = (await recordOf(assetId))!;
          await writeRecord(rig.dynamodb, rig.table, { ...current, status: 'PROGRESSING', jobId });
        },
      },
    });

    // Act
    const result = await handler(s3Event([s3Record({ key: 'fast-job.mp4' })]));

    // Assess
    expect(result.submitted).toBe(1);
    expect(await recordOf(assetId)).toEqual(expect.objectContaining({ status: 'PROGRESSING', jobId: rig.jobsOf(assetId)[0]!.id }));
  });

  it('rejects a payload that is not an S3 event', async () => {
    await expect(handler({ detail: {} })).rejects.toThrow(/no Records array/);
  });

  it('tags each job with the pipeline and a stable token, and uses the configured queue and role', async () => {
    await handler(s3Event([s3Record({ key: 'tagged.mp4', versionId: 'v9' })]));

    const [request] = createRequests();
    expect(request).toEqual(
      expect.objectContaining({
        role: `arn:aws:iam::123456789012:role/${RIG_PIPELINE}-mediaconvert`,
        queue: rig.queueArn,
        clientRequestToken: expect.stringMatching(/^[0-9a-f]{64}$/),
        userMetadata: expect.objectContaining({ pipeline: RIG_PIPELINE, source: 's3://source-bucket/tagged.mp4' }),
      }),
    );
  });
});
