/**
 * The MediaConvert stand-in transcodes with ffmpeg from the job's own settings, names outputs as
 * MediaConvert does, and sends the job's events with what it really wrote.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateJobCommand } from '@aws-sdk/client-mediaconvert';
import { readMediaFixture } from '../support/media-fixtures';
import { checkSettingsUnderstood } from '../support/mediaconvert/transcode-settings';
import { avcCodecString, scaleFor, splitDestination } from '../support/mediaconvert/transcode';
import { describeWithTools } from '../support/tiers';
import {
  OUTPUT_BUCKET,
  SOURCE_BUCKET,
  TranscodingRig,
  eventsOf,
  startTranscodingRig,
  submitFixture,
} from '../support/transcoding/job-through-stand-in';

interface Probed {
  streams: { codec_type: string; codec_name: string; profile?: string; width?: number; height?: number; avg_frame_rate?: string }[];
}

function ffprobe(bytes: Uint8Array, name: string): Probed {
  const dir = mkdtempSync(path.join(tmpdir(), 'probe-'));
  try {
    writeFileSync(path.join(dir, name), bytes);
    return JSON.parse(
      execFileSync('ffprobe', ['-v', 'error', '-of', 'json', '-show_streams', path.join(dir, name)], { encoding: 'utf8' }),
    ) as Probed;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('transcoder pure parts', () => {
  it.each([
    [{ width: 1280, height: 720, scalingBehavior: 'DEFAULT' }, { width: 1080, height: 1920 }, 1280, 720],
    [{ width: 1280, height: 720, scalingBehavior: 'FIT_NO_UPSCALE' }, { width: 1080, height: 1920 }, 406, 720],
    [{ width: 1920, height: 1080, scalingBehavior: 'FIT_NO_UPSCALE' }, { width: 1280, height: 720 }, 1280, 720],
    [{ width: 640, height: 360, scalingBehavior: 'STRETCH_TO_OUTPUT' }, { width: 1080, height: 1920 }, 640, 360],
    [{ height: 360 }, { width: 1920, height: 1080 }, 640, 360],
    [{}, { width: 1920, height: 1080 }, 1920, 1080],
  ])('scales %j from %j to %ix%i', (description, from, width, height) => {
    // Act
    const scaled = scaleFor(description, from);
    // Assess
    expect([scaled.width, scaled.height]).toEqual([width, height]);
  });

  it.each([
    ['s3://out/a1/hls/clip', 's3://in/x.mov', { bucket: 'out', dir: 'a1/hls/', base: 'clip' }],
    ['s3://out/a1/hls/', 's3://in/up/My clip.mov', { bucket: 'out', dir: 'a1/hls/', base: 'My clip' }],
  ])('destination %s of input %s names outputs %j', (destination, input, expected) => {
    expect(splitDestination(destination, input)).toEqual(expected);
  });

  it.each([
    ['High', 40, 'avc1.640028'],
    ['Main', 31, 'avc1.4d401f'],
    ['Constrained Baseline', 30, 'avc1.42e01e'],
  ])('the codec string of H.264 %s level %i is %s', (profile, level, expected) => {
    expect(avcCodecString(profile, level)).toBe(expected);
  });

  it('a value the transcoder cannot honour is named with its path (only ADVANCED trick play is produced)', () => {
    expect(
      checkSettingsUnderstood({ outputGroups: [{ outputGroupSettings: { hlsGroupSettings: { imageBasedTrickPlay: 'THUMBNAIL' } } }] }),
    ).toEqual(['/outputGroups/0/outputGroupSettings/hlsGroupSettings/imageBasedTrickPlay: THUMBNAIL (understood: NONE, ADVANCED)']);
  });

  it('a setting the transcoder does not understand is named with its path', () => {
    // Act
    const problems = checkSettingsUnderstood({ outputGroups: [{ outputs: [{ videoDescription: { afdSignaling: 'AUTO' } }] }] });
    // Assess
    expect(problems).toEqual(['/outputGroups/0/outputs/0/videoDescription/afdSignaling: not understood']);
  });
});

describeWithTools('MediaConvert stand-in with ffmpeg', ['ffmpeg'], () => {
  let rig: TranscodingRig;
  beforeAll(async () => {
    rig = await startTranscodingRig();
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('a rotated phone video becomes upright HLS, MP4 and JPEGs named as MediaConvert names them, and COMPLETE lists them', async () => {
    // Prepare
    const { jobId, request } = await submitFixture(rig, 'phone-portrait-rotated.mov');
    // Act
    await rig.stub.idle();
    // Assess
    const events = eventsOf(rig, jobId);
    expect(events[0]!.status).toBe('PROGRESSING');
    expect(
      events.some(
        (e) =>
          e.status === 'STATUS_UPDATE' && typeof (e.detail.jobProgress as { jobPercentComplete: number }).jobPercentComplete === 'number',
      ),
    ).toBe(true);
    const complete = events[events.length - 1]!;
    expect(complete.status).toBe('COMPLETE');
    const [hls, mp4, thumbs] = complete.detail.outputGroupDetails as {
      type: string;
      playlistFilePaths?: string[];
      outputDetails: { outputFilePaths: string[]; durationInMs: number; videoDetails: { widthInPx: number; heightInPx: number } }[];
    }[];
    const keys = rig.buckets.keys(OUTPUT_BUCKET);
    const keyOf = (uri: string) => uri.replace(`s3://${OUTPUT_BUCKET}/`, '');
    // Master and variants exist where the event says; every variant is portrait and no larger than the source.
    expect(keys).toContain(keyOf(hls!.playlistFilePaths![0]!));
    expect(hls!.playlistFilePaths![0]).toMatch(/\/hls\/phone-portrait-rotated\.m3u8$/);
    for (const detail of hls!.outputDetails) {
      expect(keys).toContain(keyOf(detail.outputFilePaths[0]!));
      expect(detail.videoDetails.heightInPx).toBeGreaterThan(detail.videoDetails.widthInPx);
      expect(detail.durationInMs).toBeGreaterThan(1500);
    }
    const top = hls!.outputDetails[0]!;
    const variantKey = keyOf(top.outputFilePaths[0]!);
    const segmentKey = variantKey.replace(/\.m3u8$/, '_00001.ts');
    expect(keys).toContain(segmentKey);
    expect(keys).toContain(variantKey.replace(/\.m3u8$/, '_I-Frame.m3u8'));
    const segment = ffprobe(rig.buckets.get(OUTPUT_BUCKET, segmentKey), 'seg.ts');
    const video = segment.streams.find((s) => s.codec_type === 'video')!;
    expect([video.codec_name, video.profile, video.width, video.height]).toEqual([
      'h264',
      'High',
      top.videoDetails.widthInPx,
      top.videoDetails.heightInPx,
    ]);
    const master = Buffer.from(rig.buckets.get(OUTPUT_BUCKET, keyOf(hls!.playlistFilePaths![0]!))).toString('utf8');
    expect(master).toMatch(
      new RegExp(
        `#EXT-X-STREAM-INF:BANDWIDTH=\\d+,AVERAGE-BANDWIDTH=\\d+,CODECS="avc1\\.64[0-9a-f]{4},mp4a\\.40\\.2",RESOLUTION=${top.videoDetails.widthInPx}x${top.videoDetails.heightInPx},FRAME-RATE=30\\.000`,
      ),
    );
    expect(master).toContain('#EXT-X-I-FRAME-STREAM-INF:');
    // Trick play: tiles of the asked grid, an image playlist, and its entry in the master.
    const grid = request.Settings.OutputGroups![0]!.OutputGroupSettings!.HlsGroupSettings!.ImageBasedTrickPlaySettings!;
    const [tileW, tileH] = [grid.ThumbnailWidth! * grid.TileWidth!, grid.ThumbnailHeight! * grid.TileHeight!];
    expect(master).toContain(`#EXT-X-IMAGE-STREAM-INF:BANDWIDTH=`);
    expect(master).toMatch(new RegExp(`RESOLUTION=${tileW}x${tileH},CODECS="jpeg",URI="phone-portrait-rotated_trickplay\\.m3u8"`));
    const imagePlaylist = Buffer.from(
      rig.buckets.get(OUTPUT_BUCKET, keyOf(hls!.playlistFilePaths![0]!).replace(/\.m3u8$/, '_trickplay.m3u8')),
    ).toString('utf8');
    expect(imagePlaylist).toContain('#EXT-X-IMAGES-ONLY');
    expect(imagePlaylist).toContain(
      `#EXT-X-TILES:RESOLUTION=${grid.ThumbnailWidth}x${grid.ThumbnailHeight},LAYOUT=${grid.TileWidth}x${grid.TileHeight},DURATION=2.000`,
    );
    const tileKeys = keys.filter((k) => /_trickplay\.\d{7}\.jpg$/.test(k));
    const thumbnails = Math.ceil(top.durationInMs / 1000 / grid.ThumbnailInterval!);
    expect(tileKeys).toHaveLength(Math.ceil(thumbnails / (grid.TileWidth! * grid.TileHeight!)));
    const tile = ffprobe(rig.buckets.get(OUTPUT_BUCKET, tileKeys[0]!), 'tile.jpg').streams[0]!;
    expect([tile.codec_name, tile.width, tile.height]).toEqual(['mjpeg', tileW, tileH]);
    // MP4 with its moov before mdat (progressive download).
    const mp4Bytes = Buffer.from(rig.buckets.get(OUTPUT_BUCKET, keyOf(mp4!.outputDetails[0]!.outputFilePaths[0]!)));
    expect(mp4Bytes.indexOf('moov')).toBeLessThan(mp4Bytes.indexOf('mdat'));
    // Frame captures are numbered from .0000000; the event lists the last one.
    expect(keys.some((k) => /_thumb\.0000000\.jpg$/.test(k))).toBe(true);
    for (const detail of thumbs!.outputDetails) expect(keys).toContain(keyOf(detail.outputFilePaths[0]!));
    expect(rig.stub.jobs.get(jobId)!.status).toBe('COMPLETE');
  });

  it('a silent clip transcodes into video-only renditions', async () => {
    // Prepare
    const { jobId } = await submitFixture(rig, 'silent-720p.mp4');
    // Act
    await rig.stub.idle();
    // Assess
    const complete = eventsOf(rig, jobId).pop()!;
    expect(complete.status).toBe('COMPLETE');
    const hls = (complete.detail.outputGroupDetails as { playlistFilePaths: string[] }[])[0]!;
    const master = Buffer.from(rig.buckets.get(OUTPUT_BUCKET, hls.playlistFilePaths[0]!.replace(`s3://${OUTPUT_BUCKET}/`, ''))).toString(
      'utf8',
    );
    expect(master).toMatch(/CODECS="avc1\.[0-9a-f]{6}"/);
  });

  it('an input ffmpeg cannot decode ends in ERROR with MediaConvert code 1040', async () => {
    // Prepare: a valid job whose input is the not-a-video file.
    const { request } = await submitFixture(rig, 'silent-720p.mp4');
    rig.buckets.put(SOURCE_BUCKET, 'uploads/broken.mp4', readMediaFixture('not-a-video.mp4'));
    const settings = JSON.parse(JSON.stringify(request.Settings)) as typeof request.Settings;
    settings.Inputs![0]!.FileInput = `s3://${SOURCE_BUCKET}/uploads/broken.mp4`;
    // Act
    const { Job } = await rig.client.send(new CreateJobCommand({ ...request, ClientRequestToken: 'broken', Settings: settings }));
    await rig.stub.idle();
    // Assess
    const last = eventsOf(rig, Job!.Id!).pop()!;
    expect([last.status, last.detail.errorCode]).toEqual(['ERROR', 1040]);
    expect(last.detail.errorMessage).toMatch(/Demuxer/);
  });

  it('a job with a setting the transcoder does not understand fails loudly, naming it', async () => {
    // Prepare
    const { request } = await submitFixture(rig, 'silent-720p.mp4');
    const settings = JSON.parse(JSON.stringify(request.Settings)) as typeof request.Settings;
    settings.OutputGroups![0]!.Outputs![0]!.VideoDescription!.AfdSignaling = 'AUTO';
    // Act
    const { Job } = await rig.client.send(new CreateJobCommand({ ...request, ClientRequestToken: 'unknown', Settings: settings }));
    await rig.stub.idle();
    // Assess
    const last = eventsOf(rig, Job!.Id!).pop()!;
    expect(last.status).toBe('ERROR');
    expect(last.detail.errorMessage).toContain('/outputGroups/0/outputs/0/videoDescription/afdSignaling: not understood');
  });
});
