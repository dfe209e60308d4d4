/**
 * Runs a committed fixture through the submit function's own planning (Probe → summarizeProbe →
 * planEncoding → buildCreateJobRequest) into a transcoding MediaConvert stand-in, with an
 * in-memory bucket, and collects what the job wrote and sent.
 */
import { CreateJobCommand, MediaConvertClient, ProbeCommand } from '@aws-sdk/client-mediaconvert';
import { BASIC_TIER_PLAN_SETTINGS, planEncoding } from '../../../lambda-src/encoding/encoding-plan';
import { buildCreateJobRequest } from '../../../lambda-src/encoding/job-settings';
import { EncodingLadder, EncodingLadderSchema } from '../../../contracts/ladder';
import { readMp4Rotation } from '../../../lambda-src/encoding/mp4-rotation';
import { summarizeProbe } from '../../../lambda-src/encoding/source-profile';
import { MediaFixtureName, readMediaFixture } from '../media-fixtures';
import { MediaConvertStub, startMediaConvertStub } from '../mediaconvert/server';

export const SOURCE_BUCKET = 'vod-play-source';
export const OUTPUT_BUCKET = 'vod-play-output';

/** An in-memory S3: `bucket/key` → bytes and content type. */
export class MemoryBuckets {
  readonly objects = new Map<string, { body: Uint8Array; contentType: string }>();
  put(bucket: string, key: string, body: Uint8Array, contentType = 'application/octet-stream'): void {
    this.objects.set(`${bucket}/${key}`, { body, contentType });
  }
  get(bucket: string, key: string): Uint8Array {
    const object = this.objects.get(`${bucket}/${key}`);
    if (!object) throw Object.assign(new Error(`NoSuchKey: ${bucket}/${key}`), { name: 'NoSuchKey' });
    return object.body;
  }
  keys(bucket: string): string[] {
    return [...this.objects.keys()].filter((k) => k.startsWith(`${bucket}/`)).map((k) => k.slice(bucket.length + 1));
  }
}

export interface TranscodingRig {
  readonly stub: MediaConvertStub;
  readonly buckets: MemoryBuckets;
  readonly events: Record<string, unknown>[];
  readonly client: MediaConvertClient;
  close(): Promise<void>;
}

export async function startTranscodingRig(): Promise<TranscodingRig> {
  const buckets = new MemoryBuckets();
  const events: Record<string, unknown>[] = [];
  const stub = await startMediaConvertStub({
    reader: async (bucket, key) => buckets.get(bucket, key),
    transcode: {
      io: { read: async (b, k) => buckets.get(b, k), write: async (b, k, body, type) => buckets.put(b, k, body, type) },
      onEvent: (event) => void events.push(event),
      statusUpdateSeconds: 0,
    },
  });
  const client = new MediaConvertClient({
    endpoint: stub.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  return {
    stub,
    buckets,
    events,
    client,
    close: async () => {
      client.destroy();
      await stub.idle();
      await stub.close();
    },
  };
}

export const LADDER: EncodingLadder = EncodingLadderSchema.parse({
  rungs: [
    { name: '1080p', width: 1920, height: 1080, qvbrQualityLevel: 9, maxBitrate: 6_000_000 },
    { name: '720p', width: 1280, height: 720, qvbrQualityLevel: 8, maxBitrate: 4_000_000 },
    { name: '360p', width: 640, height: 360, qvbrQualityLevel: 7, maxBitrate: 800_000 },
  ],
  segmentLengthSeconds: 2,
  gopSeconds: 1,
  thumbnailIntervalSeconds: 1,
});

/** Uploads the fixture, plans its job as the submit function does, creates it; returns the job id and request. */
export async function submitFixture(rig: TranscodingRig, fixture: MediaFixtureName, ladder: EncodingLadder = LADDER) {
  const key = `uploads/${fixture}`;
  rig.buckets.put(SOURCE_BUCKET, key, readMediaFixture(fixture));
  const probe = await rig.client.send(new ProbeCommand({ InputFiles: [{ FileUrl: `s3://${SOURCE_BUCKET}/${key}` }] }));
  const bytes = readMediaFixture(fixture);
  const reading = await readMp4Rotation(async (start, end) => bytes.subarray(start, end + 1), bytes.length);
  const verdict = summarizeProbe(probe.ProbeResults?.[0], reading.rotation);
  if (verdict.kind !== 'usable') throw new Error(`${fixture}: ${verdict.kind}: ${'reason' in verdict ? verdict.reason : ''}`);
  const plan = planEncoding(verdict.profile, ladder, BASIC_TIER_PLAN_SETTINGS);
  const request = buildCreateJobRequest(
    { bucket: SOURCE_BUCKET, key, eTag: fixture, sequencer: '01', size: 1, eventName: 'ObjectCreated:Put' },
    {
      pipeline: 'vod-play',
      queueArn: 'arn:aws:mediaconvert:us-east-1:123456789012:queues/Default',
      roleArn: 'arn:aws:iam::123456789012:role/mediaconvert',
      outputBucket: OUTPUT_BUCKET,
      ladder,
      statusUpdateInterval: 'SECONDS_10',
    },
    plan,
  );
  const { Job } = await rig.client.send(new CreateJobCommand(request));
  return { jobId: Job!.Id!, request, plan };
}

/** The events of one job, in order. */
export function eventsOf(rig: TranscodingRig, jobId: string): { status: string; detail: Record<string, unknown> }[] {
  return rig.events
    .map((e) => e.detail as Record<string, unknown>)
    .filter((d) => d.jobId === jobId)
    .map((detail) => ({ status: detail.status as string, detail }));
}
