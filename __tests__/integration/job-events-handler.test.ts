import { RekognitionClient } from '@aws-sdk/client-rekognition';
import { mockClient } from 'aws-sdk-client-mock';
import { InvalidJobEventError } from '../../contracts/errors';
import type { JobRecord } from '../../lambda-src/jobs/job-record';
import { SNS_PUBLISH_MAX_BYTES } from '../../lambda-src/delivery/notification';
import {
  ASSET_ID,
  DISTRIBUTION_DOMAIN,
  JOB_ID,
  PIPELINE,
  REGION,
  SOURCE_URI,
  TIMESTAMP,
  completeEvent,
  errorEvent,
  frameCaptureGroup,
  hlsGroup,
  jobStateChange,
  mp4Group,
  statusUpdateEvent,
} from '../fixtures/mediaconvert-events';
import { writeRecord } from '../support/aws/jobs-table';
import { anyTableWrite, publish, setsAttribute } from '../support/faults/matchers';
import { FaultRig, startFaultRig } from '../support/faults/rig';
import { describeWithTools } from '../support/tiers';

const TIMING = { timeoutMs: 30_000, requestTimeoutMs: 1_000 };
const CDN = `https://${DISTRIBUTION_DOMAIN}/${ASSET_ID}`;
const originalEnv = process.env;

/** The record the submit function leaves once the job is created. */
const SUBMITTED: JobRecord = {
  assetId: ASSET_ID,
  status: 'SUBMITTED',
  jobId: JOB_ID,
  source: SOURCE_URI,
  pipeline: PIPELINE,
  claimId: 'submit-request/n',
  claimedAt: 1_536_964_300_000,
  openShard: 'open',
  openSince: 1_536_964_300_000,
};

// The handler against moto's DynamoDB and SNS (an SQS subscriber counts what is published), behind the fault proxy.
describeWithTools('job-events handler', ['moto'], () => {
  let rig: FaultRig;
  let handler: typeof import('../../lambda-src/functions/job-events').handler;
  let logLines: Record<string, unknown>[];
  const logsAt = (level: string) => logLines.filter((line) => line.level === level);
  const record = async () => (await rig.records()).find((r) => r.assetId === ASSET_ID);

  beforeAll(async () => {
    rig = await startFaultRig();
    // The handler reads its environment once, at import.
    process.env = { ...originalEnv, ...rig.jobEventsEnv(TIMING) };
    ({ handler } = await import('../../lambda-src/functions/job-events'));
  });

  afterAll(async () => {
    await rig.close();
    process.env = originalEnv;
  });

  beforeEach(async () => {
    rig.awsProxy.reset();
    await rig.clearRecords();
    await rig.takePublished();
    await writeRecord(rig.dynamodb, rig.table, SUBMITTED);
    logLines = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((line) => {
      logLines.push(JSON.parse(String(line)) as Record<string, unknown>);
      return true;
    });
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('records a COMPLETE job, publishes its URLs on the distribution and marks it notified', async () => {
    // Act
    const summary = await handler(completeEvent('my-trip'), { awsRequestId: 'req-1' });

    // Assess
    expect(summary).toEqual({ outcome: 'notified', jobId: JOB_ID, status: 'COMPLETE' });
    const [notification, ...others] = await rig.takePublished();
    expect(others).toEqual([]);
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
    const stored = await record();
    expect(stored).toEqual(
      expect.objectContaining({
        status: 'COMPLETE',
        durationMs: 180_041,
        outputs: notification?.outputs,
        warnings: [{ code: 230005, count: 1 }],
        notifiedAt: expect.any(String),
      }),
    );
    expect(stored).not.toHaveProperty('openShard');
  });

  it('encodes each path segment of a base name with a space and a #', async () => {
    // Act
    await handler(completeEvent('My Trip #1'));

    // Assess
    const outputs = (await rig.takePublished())[0]?.outputs;
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
    expect(await rig.takePublished()).toEqual([
      expect.objectContaining({
        status: 'ERROR',
        outputs: null,
        durationMs: null,
        error: { code: 1040, message: 'Unsupported input file' },
      }),
    ]);
    expect((await record())?.error).toEqual({ code: 1040, message: 'Unsupported input file' });
  });

  it('publishes an ERROR without errorMessage with a null message', async () => {
    // Act
    await handler(errorEvent(1010, null));

    // Assess
    expect((await rig.takePublished())[0]?.error).toEqual({ code: 1010, message: null });
  });

  it('publishes a CANCELED job without outputs or error', async () => {
    // Act
    const summary = await handler(jobStateChange('CANCELED'));

    // Assess
    expect(summary).toEqual({ outcome: 'notified', jobId: JOB_ID, status: 'CANCELED' });
    expect(await rig.takePublished()).toEqual([expect.objectContaining({ status: 'CANCELED', outputs: null, error: null })]);
  });

  it('records PROGRESSING without publishing', async () => {
    // Act
    const summary = await handler(jobStateChange('PROGRESSING'));

    // Assess
    expect(summary).toEqual({ outcome: 'recorded', jobId: JOB_ID, status: 'PROGRESSING' });
    expect(await record()).toEqual({ ...SUBMITTED, status: 'PROGRESSING', updatedAt: expect.any(String) });
    expect(rig.awsProxy.count('Publish')).toBe(0);
  });

  it('does not publish a duplicate COMPLETE that was already notified', async () => {
    // Prepare
    await handler(completeEvent());
    await rig.takePublished();

    // Act
    const summary = await handler(completeEvent());

    // Assess
    expect(summary).toEqual({ outcome: 'stale', jobId: JOB_ID, status: 'COMPLETE' });
    expect(await rig.takePublished()).toEqual([]);
    expect(logsAt('INFO').map((line) => line.message)).toContain('Stale or duplicate event; the record is at this state or a later one');
  });

  it('counts a COMPLETE once in embedded metrics: the job, its processing time, output minutes and estimated cost', async () => {
    // Prepare: submitted 95.5 s before the event, a 30 fps source, Basic tier.
    const metadata = {
      submittedAt: String(TIMESTAMP - 95_500),
      billingTier: 'BASIC',
      sourceProfile: JSON.stringify({
        width: 1920,
        height: 1080,
        durationMs: 180_041,
        fps: 30,
        audio: true,
        hdr: null,
        interlaced: false,
        rotation: 0,
      }),
    };
    const metricsOf = () => logLines.filter((line) => '_aws' in line);

    // Act
    await handler(completeEvent('my-trip', { metadata }));
    const first = metricsOf();
    logLines.length = 0;
    await handler(completeEvent('my-trip', { metadata }));

    // Assess: 4 HLS variants and an MP4 (HD, 181 s billed each), two captures (SD, 180 s and 10 s).
    expect(first).toEqual([
      expect.objectContaining({
        Pipeline: PIPELINE,
        service: 'job-events',
        JobsCompleted: 1,
        ProcessingSeconds: 95.5,
        OutputMinutes: Math.round(((5 * 181 + 190) / 60) * 1e4) / 1e4,
        EstimatedCostUSD: Math.round(((5 * 181 * 2 + 190) / 60) * 0.0075 * 1e6) / 1e6,
      }),
    ]);
    expect(metricsOf()).toEqual([]);
  });

  it('starts no content analysis itself: with the flag off there is no analysis function, and job-events never calls Rekognition', async () => {
    // Prepare
    const rekognition = mockClient(RekognitionClient);

    // Act
    try {
      await handler(completeEvent('my-trip'));

      // Assess
      expect(rekognition.calls()).toEqual([]);
    } finally {
      rekognition.restore();
    }
  });

  it('drops a PROGRESSING that arrives after COMPLETE without throwing', async () => {
    // Prepare
    await handler(completeEvent());

    // Act
    const summary = await handler(jobStateChange('PROGRESSING'));

    // Assess
    expect(summary.outcome).toBe('stale');
    expect((await record())?.status).toBe('COMPLETE');
  });

  it('records the job on a claim whose holder never learnt the job id (its CreateJob answer was lost)', async () => {
    // Prepare
    const claimed: JobRecord = { ...SUBMITTED, status: 'SUBMITTING', jobId: undefined };
    await writeRecord(rig.dynamodb, rig.table, claimed);

    // Act
    await handler(jobStateChange('PROGRESSING'));

    // Assess
    expect(await record()).toEqual(expect.objectContaining({ status: 'PROGRESSING', jobId: JOB_ID, claimId: SUBMITTED.claimId }));
  });

  it('neither records nor publishes the events of a second job of the same upload', async () => {
    // Act
    const summary = await handler(completeEvent('my-trip', { jobId: 'second-job' }));

    // Assess
    expect(summary.outcome).toBe('foreign-job');
    expect(await record()).toEqual(SUBMITTED);
    expect(await rig.takePublished()).toEqual([]);
    expect(logsAt('ERROR')).toEqual([expect.objectContaining({ recordedJobId: JOB_ID, jobId: 'second-job' })]);
  });

  it('skips an event of another pipeline without touching DynamoDB', async () => {
    // Act
    const summary = await handler(jobStateChange('COMPLETE', {}, { pipeline: 'vod-prod' }));

    // Assess
    expect(summary).toEqual({ outcome: 'skipped', jobId: JOB_ID, reason: 'other-pipeline' });
    expect(rig.awsProxy.calls).toHaveLength(0);
    expect(logsAt('INFO')[0]).toEqual(expect.objectContaining({ message: 'Skipped event', jobId: JOB_ID, reason: 'other-pipeline' }));
  });

  it("records nothing for a job of this pipeline's id that ran on another queue (forged metadata)", async () => {
    // Act
    const summary = await handler(completeEvent('my-trip', { queue: 'arn:aws:mediaconvert:us-west-2:111122223333:queues/Default' }));

    // Assess
    expect(summary).toEqual({ outcome: 'skipped', jobId: JOB_ID, reason: 'other-queue' });
    expect(rig.awsProxy.calls).toHaveLength(0);
    expect(await record()).toEqual(SUBMITTED);
    expect(await rig.takePublished()).toEqual([]);
  });

  it('skips a status it does not record', async () => {
    // Act
    const summary = await handler(statusUpdateEvent());

    // Assess
    expect(summary).toEqual({ outcome: 'skipped', jobId: JOB_ID, reason: 'unknown-status' });
    expect(rig.awsProxy.calls).toHaveLength(0);
  });

  it('publishes a COMPLETE without outputGroupDetails with empty outputs and logs a warning', async () => {
    // Act
    const summary = await handler(jobStateChange('COMPLETE'));

    // Assess
    expect(summary.outcome).toBe('notified');
    expect(await rig.takePublished()).toEqual([expect.objectContaining({ status: 'COMPLETE', outputs: { mp4: [] }, durationMs: null })]);
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
    expect((await rig.takePublished())[0]?.outputs).toEqual({ mp4: [] });
    expect(logsAt('WARN')).toEqual([expect.objectContaining({ skipped: [{ path: 's3://someone-else/x.mp4', reason: 'other-bucket' }] })]);
  });

  it('publishes a COMPLETE whose thumbnail URLs exceed 256 KB with the list cut to fit, and records the same outputs', async () => {
    // Prepare: 10,000 captures of a long base name, about 2.6 MB of URLs.
    const event = completeEvent('a'.repeat(200), { thumbnailCount: 10_000 });

    // Act
    const summary = await handler(event);

    // Assess
    expect(summary.outcome).toBe('notified');
    const [notification] = await rig.takePublished();
    const thumbnails = notification?.outputs?.thumbnails;
    expect(Buffer.byteLength(JSON.stringify(notification))).toBeLessThanOrEqual(SNS_PUBLISH_MAX_BYTES);
    expect(thumbnails).toEqual(expect.objectContaining({ count: 10_000, truncated: true, prefix: `${CDN}/thumbnails/` }));
    expect(thumbnails?.urls.length).toBeGreaterThan(100);
    expect((await record())?.outputs).toEqual(notification?.outputs);
  });

  it('records a COMPLETE whose notification cannot fit even without thumbnails, and announces the minimal one', async () => {
    // Prepare: 45 HLS variants whose multi-byte names take about 2.9 KB each as URLs (variants and renditions: ~265 KB)
    const base = 'é'.repeat(480);
    const rungs = Array.from({ length: 45 }, (_, i) => `${i}`);
    const event = jobStateChange('COMPLETE', { outputGroupDetails: [hlsGroup(base, rungs), mp4Group(base), frameCaptureGroup(base, 500)] });

    // Act
    const summary = await handler(event);

    // Assess: recorded with every output, announced once in the minimal form, marked notified
    expect(summary).toEqual({ outcome: 'notified', jobId: JOB_ID, status: 'COMPLETE' });
    const [notification, ...others] = await rig.takePublished();
    expect(others).toEqual([]);
    const master = `${CDN}/hls/${encodeURIComponent(base)}.m3u8`;
    expect(notification).toEqual(
      expect.objectContaining({
        detail: 'minimal',
        status: 'COMPLETE',
        jobId: JOB_ID,
        assetId: ASSET_ID,
        masterPlaylist: master,
        counts: { hlsVariants: 45, mp4: 1, renditions: 46, thumbnails: 500 },
        record: { table: rig.table, assetId: ASSET_ID },
      }),
    );
    const stored = await record();
    expect(stored).toEqual(expect.objectContaining({ status: 'COMPLETE', notifiedAt: expect.any(String) }));
    expect(stored?.outputs?.hls?.master).toBe(master);
    expect(stored?.outputs?.hls?.variants).toHaveLength(45);
    expect(logsAt('WARN')).toEqual([expect.objectContaining({ message: expect.stringMatching(/minimal/) })]);
  });

  it('records an ERROR whose message cannot fit SNS, and announces it with the start of the message', async () => {
    // Act
    const summary = await handler(errorEvent(1040, 'ü'.repeat(150_000)));

    // Assess
    expect(summary.outcome).toBe('notified');
    const [notification] = await rig.takePublished();
    expect(notification).toEqual(
      expect.objectContaining({ detail: 'minimal', status: 'ERROR', error: { code: 1040, message: 'ü'.repeat(1000) } }),
    );
    expect(await record()).toEqual(expect.objectContaining({ status: 'ERROR', notifiedAt: expect.any(String) }));
  });

  it('throws when the SNS publish fails, releasing its claim so the retry publishes', async () => {
    // Prepare
    rig.awsProxy.inject({ match: publish, action: { kind: 'server-error' } });

    // Act
    const invocation = handler(completeEvent());

    // Assess
    await expect(invocation).rejects.toThrow(/InternalError/);
    expect(await record()).toEqual(expect.objectContaining({ status: 'COMPLETE' }));
    expect(await record()).not.toHaveProperty('publishClaimId');
    expect(await record()).not.toHaveProperty('notifiedAt');
    rig.awsProxy.reset();
    expect(await handler(completeEvent())).toEqual(expect.objectContaining({ outcome: 'notified' }));
    expect(await rig.takePublished()).toHaveLength(1);
  });

  it('throws on a DynamoDB error other than a refused condition, before publishing', async () => {
    // Prepare
    rig.awsProxy.inject({ match: anyTableWrite, action: { kind: 'throttle' } });

    // Act
    const invocation = handler(completeEvent(), { awsRequestId: 'throttled', getRemainingTimeInMillis: () => 3_000 });

    // Assess
    await expect(invocation).rejects.toThrow(/ProvisionedThroughputExceeded|aborted/i);
    expect(rig.awsProxy.count('Publish')).toBe(0);
  });

  it('keeps the publish when another invocation took the publish over before it was marked notified', async () => {
    // Prepare: the publish claim changes hands between the publish and the mark.
    rig.awsProxy.inject({
      match: setsAttribute('notifiedAt'),
      times: 1,
      action: {
        kind: 'interleave',
        run: async () => writeRecord(rig.dynamodb, rig.table, { ...(await record())!, publishClaimId: 'other/n' }),
      },
    });

    // Act
    const summary = await handler(completeEvent());

    // Assess
    expect(summary.outcome).toBe('notified');
    expect(await rig.takePublished()).toHaveLength(1);
    expect(logsAt('WARN').map((line) => line.message)).toContain(
      'Another invocation took the publish over before it was marked notified; subscribers may get it twice',
    );
  });

  it('throws InvalidJobEventError for a payload that is not an event, so it is dead-lettered', async () => {
    await expect(handler('not an event')).rejects.toThrow(InvalidJobEventError);
    expect(rig.awsProxy.calls).toHaveLength(0);
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
