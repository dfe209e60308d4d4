import { DEFAULT_UPLOAD_LIMITS } from '../../contracts/upload-limits';
import { MEDIACONVERT_PRICES } from '../../contracts/pricing';
import { DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { DEFAULT_RUNGS, EncodingLadderSchema } from '../../contracts/ladder';
import { toEnvironment } from '../../contracts/functions/submit-job';
import { MotoServer, startMoto } from '../../scripts/lib/local-env';
import { createJobsTable } from '../support/aws/jobs-table';
import { encodeS3Key, s3Event, s3Record } from '../fixtures/s3-events';
import { MediaConvertStub, startMediaConvertStub } from '../support/mediaconvert/server';
import { MediaFixtureName, readMediaFixture } from '../support/media-fixtures';
import { describeWithTools } from '../support/tiers';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- wire JSON of CreateJob
type Handler = (event: unknown) => Promise<Record<string, number>>;

const SOURCE_BUCKET = 'vod-media-source';
const TABLE = 'vod-media-jobs';
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

/** What one fixture became: the CreateJob body the stand-in received and the jobs-table record. */
interface Submitted {
  readonly result: Record<string, number>;
  readonly job?: Json;
  readonly record: Json;
}

// Real files through the real handler: each fixture is put in moto's S3, the stand-in probes it
// from there (its answers come from what ffprobe saw of those bytes), the handler reads the MP4
// header with ranged GETs from moto, and the claim and record go to moto's DynamoDB.
describeWithTools('submit-job with real media files', ['moto'], () => {
  let moto: MotoServer;
  let stub: MediaConvertStub;
  let s3: S3Client;
  let dynamodb: DynamoDBClient;
  let handler: Handler;
  const savedEnv = { ...process.env };
  const submitted = new Map<string, Submitted>();

  async function submit(name: MediaFixtureName, key = `uploads/${name}`): Promise<Submitted> {
    const known = submitted.get(key);
    if (known) return known;
    await s3.send(new PutObjectCommand({ Bucket: SOURCE_BUCKET, Key: key, Body: readMediaFixture(name) }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: SOURCE_BUCKET, Key: key }));
    const before = stub.createJobRequests.length;
    const result = await handler(
      s3Event([s3Record({ bucket: SOURCE_BUCKET, key: encodeS3Key(key), size: head.ContentLength, versionId: head.VersionId })]),
    );
    const job = stub.createJobRequests.slice(before).at(-1);
    const assetId = job ? (job.userMetadata as Json).assetId : undefined;
    const record = assetId
      ? unmarshall((await dynamodb.send(new GetItemCommand({ TableName: TABLE, Key: { assetId: { S: assetId } } }))).Item ?? {})
      : await recordByKey(key);
    const outcome = { result, ...(job ? { job } : {}), record };
    submitted.set(key, outcome);
    return outcome;
  }

  /** The record of an upload that got no job (FAILED), found by its source URI. */
  async function recordByKey(key: string): Promise<Json> {
    const { Items } = await dynamodb.send(new ScanCommand({ TableName: TABLE }));
    return (Items ?? []).map((i) => unmarshall(i)).find((r) => r.source === `s3://${SOURCE_BUCKET}/${key}`) ?? {};
  }

  const outputs = (job: Json, group: string): Json[] => (job.settings.outputGroups as Json[]).find((g) => g.name === group)?.outputs ?? [];
  const videoSizes = (job: Json) => outputs(job, 'HLS').map((o) => [o.videoDescription.width, o.videoDescription.height]);
  const h264Of = (job: Json): Json[] =>
    ['HLS', 'MP4'].flatMap((g) => outputs(job, g)).map((o) => o.videoDescription.codecSettings.h264Settings);

  beforeAll(async () => {
    moto = await startMoto();
    const config = { region: 'us-east-1', endpoint: moto.url, credentials };
    s3 = new S3Client({ ...config, forcePathStyle: true });
    dynamodb = new DynamoDBClient(config);
    await s3.send(new CreateBucketCommand({ Bucket: SOURCE_BUCKET }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: SOURCE_BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
    // As stacks/constructs/jobs-table.ts declares it.
    await createJobsTable(dynamodb, TABLE);
    stub = await startMediaConvertStub({
      log: () => undefined,
      reader: async (bucket, key) => {
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return object.Body!.transformToByteArray();
      },
    });
    await fetch(`${stub.url}/2017-08-29/queues`, { method: 'POST', body: JSON.stringify({ name: 'vod-media' }) });
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_ENDPOINT_URL: moto.url,
      AWS_ENDPOINT_URL_S3: moto.url,
      AWS_S3_FORCE_PATH_STYLE: 'true',
      AWS_ENDPOINT_URL_MEDIACONVERT: stub.url,
      ...toEnvironment({
        pipeline: 'vod-media',
        queueArn: 'arn:aws:mediaconvert:us-east-1:123456789012:queues/vod-media',
        roleArn: 'arn:aws:iam::123456789012:role/vod-media-mediaconvert',
        outputBucket: 'vod-media-output',
        jobsTable: TABLE,
        ladder: EncodingLadderSchema.parse({ rungs: [...DEFAULT_RUNGS] }),
        statusUpdateInterval: 'SECONDS_60',
        hdr: 'tone-map',
        accelerationMode: 'DISABLED',
        accelerationMinSourceMinutes: 0,
        claimTtlSeconds: 60,
        requestTimeoutMs: 10_000,
        prices: MEDIACONVERT_PRICES,
        limits: DEFAULT_UPLOAD_LIMITS,
        topicArn: 'arn:aws:sns:us-east-1:123456789012:vod-media-job-notifications',
      }),
    });
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    // Imported after the environment is set, like a cold start (the module reads it at load).
    jest.isolateModules(() => {
      handler = (require('../../lambda-src/functions/submit-job') as { handler: Handler }).handler; // eslint-disable-line @typescript-eslint/no-require-imports
    });
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    process.env = savedEnv;
    s3?.destroy();
    dynamodb?.destroy();
    await stub?.close();
    await moto?.stop();
  });

  it.each<[MediaFixtureName, number[][]]>([
    [
      'phone-portrait-rotated.mov',
      [
        [1080, 1920],
        [720, 1280],
        [480, 854],
        [360, 640],
        [234, 416],
      ],
    ],
    [
      '1080p60.mp4',
      [
        [1920, 1080],
        [1280, 720],
        [854, 480],
        [640, 360],
        [416, 234],
      ],
    ],
    [
      'webcam-640x480.mp4',
      [
        [640, 480],
        [480, 360],
        [312, 234],
      ],
    ],
    [
      'silent-720p.mp4',
      [
        [1280, 720],
        [854, 480],
        [640, 360],
        [416, 234],
      ],
    ],
    [
      'camcorder-1080i.m2ts',
      [
        [1920, 1080],
        [1280, 720],
        [854, 480],
        [640, 360],
        [416, 234],
      ],
    ],
    [
      'iphone-hlg-hevc.mov',
      [
        [1920, 1080],
        [1280, 720],
        [854, 480],
        [640, 360],
        [416, 234],
      ],
    ],
    [
      'hdv-anamorphic-1440x1080.mp4',
      [
        [1920, 1080],
        [1280, 720],
        [854, 480],
        [640, 360],
        [416, 234],
      ],
    ],
    [
      'portrait-720x1280.mp4',
      [
        [720, 1280],
        [480, 854],
        [360, 640],
        [234, 416],
      ],
    ],
    ['prores-interlaced-noscan.mov', [[320, 180]]],
    ['camera-two-mono-tracks.mov', [[320, 180]]],
    ['surround-5.1.mp4', [[320, 180]]],
    ['phone-vfr-60.mov', [[320, 180]]],
    ['long-60.05s.mp4', [[192, 108]]],
    ['strip-1920x40.mp4', [[1920, 40]]],
    [
      '720p90.mp4',
      [
        [1280, 720],
        [854, 480],
        [640, 360],
        [416, 234],
      ],
    ],
  ])('submits %s with no rendition above the source, a level of at most 4.2 and no Professional feature', async (name, expectedSizes) => {
    // Act
    const { result, job, record } = await submit(name);

    // Assess
    expect(result).toEqual({ submitted: 1, duplicate: 0, failed: 0, skipped: 0 });
    expect(videoSizes(job!)).toEqual(expectedSizes);
    for (const h264 of h264Of(job!)) {
      expect(h264).toEqual(
        expect.objectContaining({
          codecLevel: expect.stringMatching(/^LEVEL_([1-3](_\d)?|4(_[12])?)$/),
          qualityTuningLevel: 'SINGLE_PASS_HQ',
          parControl: 'SPECIFIED',
        }),
      );
    }
    expect(job!.accelerationSettings).toEqual({ mode: 'DISABLED' });
    expect(JSON.stringify(job)).not.toMatch(/H_265|AV1|MULTI_PASS_HQ|automatedEncodingSettings/);
    expect(record).toEqual(
      expect.objectContaining({ status: 'SUBMITTED', plan: 'probe', estimatedCost: expect.objectContaining({ tier: 'BASIC' }) }),
    );
  });

  // The stand-in does not report rotation (its default), so 90 degrees can only come from the header read.
  it('turns the phone video upright: Rotate AUTO, portrait renditions, portrait thumbnails, rotation read from moov at the end', async () => {
    const { job, record } = await submit('phone-portrait-rotated.mov');

    expect(job!.settings.inputs[0].videoSelector.rotate).toBe('AUTO');
    expect(outputs(job!, 'Thumbnails').map((o) => [o.videoDescription.width, o.videoDescription.height])).toEqual([[360, 640]]);
    expect(record.sourceProfile).toEqual(expect.objectContaining({ width: 1080, height: 1920, rotation: 90, audio: true, hdr: null }));
    // The same summary travels in the job's metadata to the completion side and the notification.
    expect(JSON.parse(job!.userMetadata.sourceProfile)).toEqual(record.sourceProfile);
  });

  it('sends no audio selector and no audio outputs for the silent source, so nothing points at a missing track', async () => {
    const { job } = await submit('silent-720p.mp4');

    expect(job!.settings.inputs[0].audioSelectors).toBeUndefined();
    expect(['HLS', 'MP4'].flatMap((g) => outputs(job!, g)).filter((o) => o.audioDescriptions !== undefined)).toEqual([]);
  });

  it('keeps the audio of sources that have it', async () => {
    const { job } = await submit('webcam-640x480.mp4');

    expect(job!.settings.inputs[0].audioSelectors).toEqual({
      'Audio Selector 1': { defaultSelection: 'DEFAULT', selectorType: 'TRACK', tracks: [1], audioDurationCorrection: 'AUTO' },
    });
    expect(outputs(job!, 'MP4')[0]).toEqual(expect.objectContaining({ nameModifier: '_480p', audioDescriptions: [expect.anything()] }));
  });

  it('deinterlaces the 1080i camcorder file adaptively', async () => {
    const { job } = await submit('camcorder-1080i.m2ts');

    for (const output of ['HLS', 'MP4'].flatMap((g) => outputs(job!, g))) {
      expect(output.videoDescription.videoPreprocessors.deinterlacer).toEqual(expect.objectContaining({ mode: 'ADAPTIVE' }));
    }
    expect(outputs(job!, 'HLS')[0]!.videoDescription.codecSettings.h264Settings.interlaceMode).toBe('PROGRESSIVE');
  });

  it('tone-maps the HLG iPhone video to SDR BT.709', async () => {
    const { job, record } = await submit('iphone-hlg-hevc.mov');

    expect(outputs(job!, 'HLS')[0]!.videoDescription.videoPreprocessors.colorCorrector).toEqual({
      colorSpaceConversion: 'FORCE_709',
      hdrToSdrToneMapper: 'PRESERVE_DETAILS',
    });
    expect(record.sourceProfile).toEqual(expect.objectContaining({ hdr: 'HLG' }));
  });

  it('outputs square pixels at the display size for the anamorphic HDV file', async () => {
    const { job } = await submit('hdv-anamorphic-1440x1080.mp4');

    expect(outputs(job!, 'MP4')[0]!.videoDescription).toEqual(expect.objectContaining({ width: 1920, height: 1080 }));
    expect(h264Of(job!)[0]).toEqual(expect.objectContaining({ parControl: 'SPECIFIED', parNumerator: 1, parDenominator: 1 }));
  });

  it('keeps the 60 fps source at 60 fps on the rungs above 540 lines (level 4.2 carries 1080p60)', async () => {
    const { job, record } = await submit('1080p60.mp4');

    expect(h264Of(job!)[0]).toEqual(expect.objectContaining({ framerateNumerator: 60, framerateDenominator: 1, codecLevel: 'LEVEL_4_2' }));
    expect(record.sourceProfile).toEqual(expect.objectContaining({ fps: 60 }));
  });

  it.each<MediaFixtureName>(['webcam-640x480.mp4', 'phone-portrait-rotated.mov'])(
    'covers the whole of %s with thumbnails, with no poster output of its own (it is one of the thumbnails)',
    async (name) => {
      const { job, record } = await submit(name);

      const captures = outputs(job!, 'Thumbnails').map((o) => o.videoDescription.codecSettings.frameCaptureSettings);
      const durationSeconds = record.sourceProfile.durationMs / 1000;
      expect(captures).toHaveLength(1);
      const [thumbs] = captures;
      expect((thumbs.maxCaptures - 1) * thumbs.framerateDenominator).toBeGreaterThanOrEqual(durationSeconds - thumbs.framerateDenominator);
    },
  );

  it.each<[MediaFixtureName, string, (job: Json) => unknown, unknown]>([
    [
      'prores-interlaced-noscan.mov',
      'an adaptive deinterlacer though Probe gives no scan type',
      (job) => outputs(job, 'HLS')[0]!.videoDescription.videoPreprocessors.deinterlacer,
      { mode: 'ADAPTIVE', algorithm: 'INTERPOLATE', control: 'NORMAL' },
    ],
    [
      'camcorder-1080i.m2ts',
      '50p on the top rung, one frame per field',
      (job) => h264Of(job)[0]!.framerateNumerator / h264Of(job)[0]!.framerateDenominator,
      50,
    ],
    [
      'camera-two-mono-tracks.mov',
      'both mono tracks, remixed to left and right',
      (job) => [
        job.settings.inputs[0].audioSelectors['Audio Selector 1'].tracks,
        outputs(job, 'HLS')[0]!.audioDescriptions[0].remixSettings.channelMapping.outputChannels,
      ],
      [
        [1, 2],
        [{ inputChannels: [0, -60] }, { inputChannels: [-60, 0] }],
      ],
    ],
    [
      'surround-5.1.mp4',
      'the 5.1 track downmixed to stereo',
      (job) => outputs(job, 'MP4')[0]!.audioDescriptions[0].remixSettings.channelsIn,
      6,
    ],
    [
      'phone-vfr-60.mov',
      'the 60.04 fps average snapped to 60 (30 on its 180-line rungs), not 30.02',
      (job) => h264Of(job).map((h) => `${h.framerateNumerator}/${h.framerateDenominator}`),
      ['30/1', '30/1'],
    ],
    [
      'long-60.05s.mp4',
      'a minimum final segment, so 60.05 s does not end in a 0.05 s segment',
      (job) => job.settings.outputGroups[0].outputGroupSettings.hlsGroupSettings.minFinalSegmentLength,
      2,
    ],
    [
      '720p90.mp4',
      '45 fps above 540 lines and 30 at 540 and below',
      (job) => outputs(job, 'HLS').map((o) => o.videoDescription.codecSettings.h264Settings.framerateNumerator),
      [45, 30, 30, 30],
    ],
  ])('submits %s with %s', async (name, _what, pick, expected) => {
    const { result, job } = await submit(name);

    expect(result).toEqual({ submitted: 1, duplicate: 0, failed: 0, skipped: 0 });
    expect(pick(job!)).toEqual(expected);
  });

  it('never makes a video job of audio only: an .m4a is not a video upload, and the same bytes named .mp4 are FAILED with a reason', async () => {
    const m4a = await submit('audio-only.m4a');
    const renamed = await submit('audio-only.m4a', 'uploads/voice-memo.mp4');

    expect(m4a).toEqual(expect.objectContaining({ result: { submitted: 0, duplicate: 0, failed: 0, skipped: 1 } }));
    expect(m4a.job).toBeUndefined();
    expect(renamed.result).toEqual({ submitted: 0, duplicate: 0, failed: 1, skipped: 0 });
    expect(renamed.job).toBeUndefined();
    expect(renamed.record).toEqual(
      expect.objectContaining({
        status: 'FAILED',
        error: expect.objectContaining({ message: expect.stringMatching(/audio but no video track/) }),
      }),
    );
  });

  it('records random bytes named .mp4 as FAILED with a reason, creates no job and does not retry', async () => {
    // Act
    const { result, job, record } = await submit('not-a-video.mp4');

    // Assess
    expect(result).toEqual({ submitted: 0, duplicate: 0, failed: 1, skipped: 0 });
    expect(job).toBeUndefined();
    expect(record).toEqual(
      expect.objectContaining({
        status: 'FAILED',
        error: { name: 'NotMediaError', message: expect.stringMatching(/uploads\/not-a-video\.mp4.*not a video.*Upload a video file/) },
      }),
    );
  });

  it('throws a throttled Probe to the Lambda retry and records the upload RETRYABLE', async () => {
    // Prepare: every SDK attempt is throttled.
    const key = 'uploads/throttled.mp4';
    await s3.send(new PutObjectCommand({ Bucket: SOURCE_BUCKET, Key: key, Body: readMediaFixture('webcam-640x480.mp4') }));
    const throttled = { status: 429, code: 'TooManyRequestsException', message: 'slow down' };
    stub.failNextProbe(throttled, throttled, throttled, throttled, throttled);

    // Act
    const run = handler(s3Event([s3Record({ bucket: SOURCE_BUCKET, key, size: 130_348, versionId: 'null' })]));

    // Assess
    await expect(run).rejects.toThrow(/failed and will be retried: uploads\/throttled\.mp4/);
    expect(await recordByKey(key)).toEqual(expect.objectContaining({ status: 'RETRYABLE' }));
  });
});
