/**
 * The HDR ladder end to end on this machine's real parts: the real submit handler (environment
 * `HDR_MODE=hevc-ladder`) probes the HDR10 fixture in moto's S3 through the stand-in, creates the
 * job, and the stand-in's transcoder runs it with ffmpeg (libx264 and libx265) into moto. ffprobe
 * then reads what came out, and m3u8-parser the master playlist.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Parser } from 'm3u8-parser';
import { DEFAULT_UPLOAD_LIMITS } from '../../contracts/upload-limits';
import { MEDIACONVERT_PRICES } from '../../contracts/pricing';
import { DEFAULT_RUNGS, EncodingLadderSchema } from '../../contracts/ladder';
import { toEnvironment } from '../../contracts/functions/submit-job';
import { MotoServer, startMoto } from '../../scripts/lib/local-env';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createJobsTable } from '../support/aws/jobs-table';
import { encodeS3Key, s3Event, s3Record } from '../fixtures/s3-events';
import { MediaConvertStub, startMediaConvertStub } from '../support/mediaconvert/server';
import { readMediaFixture } from '../support/media-fixtures';
import { describeWithTools } from '../support/tiers';

type Handler = (event: unknown) => Promise<Record<string, number>>;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- event and playlist JSON

const SOURCE_BUCKET = 'vod-hdr-source';
const OUTPUT_BUCKET = 'vod-hdr-output';
const TABLE = 'vod-hdr-jobs';
const FIXTURE = 'hdr10-pq-768x432.mp4';

describeWithTools('the HDR ladder through the real submit handler and the stand-in', ['moto', 'ffmpeg'], () => {
  let moto: MotoServer;
  let stub: MediaConvertStub;
  let s3: S3Client;
  let dynamodb: DynamoDBClient;
  const events: Json[] = [];
  const savedEnv = { ...process.env };
  let complete: Json;
  let cmaf: Json;

  const get = async (uri: string): Promise<Buffer> => {
    const key = uri.replace(`s3://${OUTPUT_BUCKET}/`, '');
    const object = await s3.send(new GetObjectCommand({ Bucket: OUTPUT_BUCKET, Key: key }));
    return Buffer.from(await object.Body!.transformToByteArray());
  };

  /** ffprobe of a variant's init segment followed by its first media segment. */
  async function probeVariant(playlistUri: string): Promise<Json> {
    const playlist = (await get(playlistUri)).toString('utf8');
    const init = /#EXT-X-MAP:URI="([^"]+)"/.exec(playlist)![1]!;
    const first = playlist.split('\n').find((line) => line !== '' && !line.startsWith('#'))!;
    const folder = playlistUri.slice(0, playlistUri.lastIndexOf('/') + 1);
    const bytes = Buffer.concat([await get(folder + init), await get(folder + first)]);
    const dir = mkdtempSync(path.join(tmpdir(), 'hdr-probe-'));
    try {
      writeFileSync(path.join(dir, 'variant.mp4'), bytes);
      const file = path.join(dir, 'variant.mp4');
      const out = execFileSync('ffprobe', ['-v', 'error', '-of', 'json', '-show_streams', file], { encoding: 'utf8' });
      const frames = execFileSync('ffprobe', ['-v', 'error', '-of', 'json', '-show_frames', '-read_intervals', '%+#1', file], {
        encoding: 'utf8',
      });
      const sideData = ((JSON.parse(frames) as { frames: Json[] }).frames[0]?.side_data_list ?? []) as Json[];
      return { ...(JSON.parse(out) as { streams: Json[] }).streams[0]!, sideData };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  beforeAll(async () => {
    moto = await startMoto();
    const config = { region: 'us-east-1', endpoint: moto.url, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
    s3 = new S3Client({ ...config, forcePathStyle: true });
    dynamodb = new DynamoDBClient(config);
    await s3.send(new CreateBucketCommand({ Bucket: SOURCE_BUCKET }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: SOURCE_BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(new CreateBucketCommand({ Bucket: OUTPUT_BUCKET }));
    await createJobsTable(dynamodb, TABLE);
    const read = async (bucket: string, key: string) =>
      (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray();
    stub = await startMediaConvertStub({
      log: () => undefined,
      reader: read,
      transcode: {
        io: {
          read,
          write: async (bucket, key, body, contentType) => {
            await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
          },
        },
        onEvent: (event) => void events.push(event),
        statusUpdateSeconds: 60,
      },
    });
    await fetch(`${stub.url}/2017-08-29/queues`, { method: 'POST', body: JSON.stringify({ name: 'vod-hdr' }) });
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_ENDPOINT_URL: moto.url,
      AWS_ENDPOINT_URL_S3: moto.url,
      AWS_S3_FORCE_PATH_STYLE: 'true',
      AWS_ENDPOINT_URL_MEDIACONVERT: stub.url,
      ...toEnvironment({
        pipeline: 'vod-hdr',
        queueArn: 'arn:aws:mediaconvert:us-east-1:123456789012:queues/vod-hdr',
        roleArn: 'arn:aws:iam::123456789012:role/vod-hdr-mediaconvert',
        outputBucket: OUTPUT_BUCKET,
        jobsTable: TABLE,
        ladder: EncodingLadderSchema.parse({ rungs: [...DEFAULT_RUNGS] }),
        statusUpdateInterval: 'SECONDS_60',
        accelerationMode: 'DISABLED',
        accelerationMinSourceMinutes: 0,
        hdr: 'hevc-ladder',
        claimTtlSeconds: 60,
        requestTimeoutMs: 10_000,
        prices: MEDIACONVERT_PRICES,
        limits: DEFAULT_UPLOAD_LIMITS,
        topicArn: 'arn:aws:sns:us-east-1:123456789012:vod-hdr-job-notifications',
      }),
    });
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    let handler: Handler | undefined;
    // Imported after the environment is set, like a cold start.
    jest.isolateModules(() => {
      handler = (require('../../lambda-src/functions/submit-job') as { handler: Handler }).handler; // eslint-disable-line @typescript-eslint/no-require-imports
    });
    const key = `uploads/${FIXTURE}`;
    await s3.send(new PutObjectCommand({ Bucket: SOURCE_BUCKET, Key: key, Body: readMediaFixture(FIXTURE) }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: SOURCE_BUCKET, Key: key }));
    await handler!(
      s3Event([s3Record({ bucket: SOURCE_BUCKET, key: encodeS3Key(key), size: head.ContentLength, versionId: head.VersionId })]),
    );
    await stub.idle();
    complete = events.find((e) => e.detail.status === 'COMPLETE' || e.detail.status === 'ERROR')!;
    cmaf = (complete?.detail.outputGroupDetails as Json[] | undefined)?.find((g) => g.type === 'CMAF_GROUP') ?? {};
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    process.env = savedEnv;
    s3?.destroy();
    dynamodb?.destroy();
    await stub?.close();
    await moto?.stop();
  });

  it('the job completes with one CMAF group beside the MP4 and thumbnails', () => {
    expect([complete.detail.status, complete.detail.errorMessage]).toEqual(['COMPLETE', undefined]);
    expect((complete.detail.outputGroupDetails as Json[]).map((g) => g.type)).toEqual(['CMAF_GROUP', 'FILE_GROUP', 'FILE_GROUP']);
  });

  it('the master lists the SDR H.264 variants (VIDEO-RANGE=SDR, avc1) and the HEVC variants (VIDEO-RANGE=PQ, hvc1 Main10), all with the one audio group', async () => {
    // Act
    const parser = new Parser();
    parser.push((await get(cmaf.playlistFilePaths[0])).toString('utf8'));
    parser.end();
    const manifest = parser.manifest as Json;
    // Assess
    const variants = (manifest.playlists as Json[]).map((p) => ({
      uri: p.uri as string,
      range: p.attributes['VIDEO-RANGE'],
      codecs: p.attributes.CODECS as string,
      audio: p.attributes.AUDIO,
    }));
    const sdr = variants.filter((v) => v.range === 'SDR');
    const pq = variants.filter((v) => v.range === 'PQ');
    expect(sdr.map((v) => v.uri)).toEqual(['hdr10-pq-768x432_480p.m3u8', 'hdr10-pq-768x432_360p.m3u8', 'hdr10-pq-768x432_234p.m3u8']);
    expect(pq.map((v) => v.uri)).toEqual(['hdr10-pq-768x432_hdr432p.m3u8', 'hdr10-pq-768x432_hdr360p.m3u8']);
    expect(variants).toHaveLength(sdr.length + pq.length);
    for (const v of sdr) expect(v.codecs).toMatch(/^avc1\.64[0-9a-f]{4},mp4a\.40\.2$/);
    for (const v of pq) expect(v.codecs).toMatch(/^hvc1\.2\.4\.H\d+\.90,mp4a\.40\.2$/);
    for (const v of variants) expect(v.audio).toBe('audio');
    expect(Object.keys((manifest.mediaGroups as Json).AUDIO.audio)).toHaveLength(1);
  });

  it('the HEVC variants are hvc1 Main 10 with PQ (smpte2084) transfer and BT.2020 primaries; the H.264 variants are SDR BT.709', async () => {
    // Prepare
    const folder = cmaf.playlistFilePaths[0].slice(0, cmaf.playlistFilePaths[0].lastIndexOf('/') + 1);
    // Act
    const hevc = await probeVariant(`${folder}hdr10-pq-768x432_hdr432p.m3u8`);
    const h264 = await probeVariant(`${folder}hdr10-pq-768x432_480p.m3u8`);
    // Assess
    expect([hevc.codec_name, hevc.codec_tag_string, hevc.profile, hevc.pix_fmt]).toEqual(['hevc', 'hvc1', 'Main 10', 'yuv420p10le']);
    expect([hevc.color_transfer, hevc.color_primaries, hevc.color_space]).toEqual(['smpte2084', 'bt2020', 'bt2020nc']);
    expect([hevc.width, hevc.height]).toEqual([768, 432]);
    // The source's HDR10 static metadata (1000-nit P3-D65 grade, MaxCLL 1000, MaxFALL 400) passed through.
    expect(hevc.sideData).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ side_data_type: 'Mastering display metadata', max_luminance: '10000000/10000' }),
        expect.objectContaining({ side_data_type: 'Content light level metadata', max_content: 1000, max_average: 400 }),
      ]),
    );
    expect([h264.codec_name, h264.profile, h264.pix_fmt]).toEqual(['h264', 'High', 'yuv420p']);
    expect([h264.color_transfer, h264.color_primaries]).toEqual(['bt709', 'bt709']);
  });

  it('every variant has an I-frame playlist in the master with its VIDEO-RANGE, whose byte ranges decode to a key frame', async () => {
    // Prepare
    const masterUri = cmaf.playlistFilePaths[0] as string;
    const folder = masterUri.slice(0, masterUri.lastIndexOf('/') + 1);
    const master = (await get(masterUri)).toString('utf8');
    // Act
    const iframes = [...master.matchAll(/#EXT-X-I-FRAME-STREAM-INF:.*VIDEO-RANGE=(\w+),URI="([^"]+)"/g)].map((m) => [m[2], m[1]]);
    const playlist = (await get(`${folder}hdr10-pq-768x432_hdr432p_I-Frame.m3u8`)).toString('utf8');
    const [, length, offset] = /#EXT-X-BYTERANGE:(\d+)@(\d+)/.exec(playlist)!;
    const segment = playlist.split('\n').find((line) => line.endsWith('.cmfv'))!;
    const init = await get(`${folder}hdr10-pq-768x432_hdr432p_init.cmfv`);
    const bytes = (await get(folder + segment)).subarray(Number(offset), Number(offset) + Number(length));
    const dir = mkdtempSync(path.join(tmpdir(), 'hdr-iframe-'));
    let frames: Json[];
    try {
      writeFileSync(path.join(dir, 'iframe.mp4'), Buffer.concat([init, bytes]));
      const out = execFileSync(
        'ffprobe',
        ['-v', 'error', '-of', 'json', '-show_frames', '-select_streams', 'v:0', path.join(dir, 'iframe.mp4')],
        {
          encoding: 'utf8',
        },
      );
      frames = (JSON.parse(out) as { frames: Json[] }).frames;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // Assess
    expect(iframes).toEqual([
      ['hdr10-pq-768x432_480p_I-Frame.m3u8', 'SDR'],
      ['hdr10-pq-768x432_360p_I-Frame.m3u8', 'SDR'],
      ['hdr10-pq-768x432_234p_I-Frame.m3u8', 'SDR'],
      ['hdr10-pq-768x432_hdr432p_I-Frame.m3u8', 'PQ'],
      ['hdr10-pq-768x432_hdr360p_I-Frame.m3u8', 'PQ'],
    ]);
    expect(playlist).toContain('#EXT-X-I-FRAMES-ONLY');
    expect(frames.map((f) => [f.key_frame, f.pict_type])).toEqual([[1, 'I']]);
  });
});
