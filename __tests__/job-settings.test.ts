import type { H264Settings, OutputGroup } from '@aws-sdk/client-mediaconvert';
import { DEFAULT_RUNGS, EncodingLadderSchema } from '../lambda-src/lib/ladder';
import { JobContext, POSTER_NAME_MODIFIER, THUMBNAIL_NAME_MODIFIER, buildCreateJobRequest } from '../lambda-src/lib/job-settings';
import { UploadedObject } from '../lambda-src/lib/s3-event';

const ladder = EncodingLadderSchema.parse({ rungs: [...DEFAULT_RUNGS] });
const context: JobContext = {
  pipeline: 'vod-test',
  queueArn: 'arn:aws:mediaconvert:us-east-1:123456789012:queues/vod-test',
  roleArn: 'arn:aws:iam::123456789012:role/vod-test-mediaconvert',
  outputBucket: 'output-bucket',
  ladder,
  statusUpdateInterval: 'SECONDS_60',
  accelerationMode: 'PREFERRED',
};
const upload: UploadedObject = {
  bucket: 'source-bucket',
  key: 'uploads/My Trip (2024) #1+final.MP4',
  size: 10,
  eventName: 'ObjectCreated:Put',
  versionId: 'v1',
};

function group(name: string): OutputGroup {
  const found = buildCreateJobRequest(upload, context).Settings.OutputGroups?.find((g) => g.Name === name);
  if (!found) throw new Error(`no output group ${name}`);
  return found;
}
const h264 = (g: OutputGroup, i = 0) => g.Outputs?.[i]?.VideoDescription?.CodecSettings?.H264Settings as H264Settings;

describe('buildCreateJobRequest', () => {
  it('reads the exact source object and passes role and queue', () => {
    const request = buildCreateJobRequest(upload, context);

    expect(request.Settings.Inputs?.[0]?.FileInput).toBe('s3://source-bucket/uploads/My Trip (2024) #1+final.MP4');
    expect(request.Role).toBe(context.roleArn);
    expect(request.Queue).toBe(context.queueArn);
  });

  it('sets acceleration as an object and a status update interval', () => {
    const request = buildCreateJobRequest(upload, context);

    expect(request.AccelerationSettings).toEqual({ Mode: 'PREFERRED' });
    expect(request.StatusUpdateInterval).toBe('SECONDS_60');
  });

  it('tags the job with pipeline, assetId and source for event routing', () => {
    const request = buildCreateJobRequest(upload, context);

    expect(request.UserMetadata).toEqual({
      pipeline: 'vod-test',
      assetId: expect.stringMatching(/^my-trip-2024-1-final-[0-9a-f]{12}$/),
      source: 's3://source-bucket/uploads/My Trip (2024) #1+final.MP4',
    });
  });

  it('keeps every UserMetadata value within 256 characters, even for a 1,024-byte key', () => {
    // Prepare
    const longKey = `${'ü'.repeat(508)}/clip.mp4`; // 1,016 + 9 bytes in UTF-8

    // Act
    const request = buildCreateJobRequest({ ...upload, key: longKey }, context);

    // Assess
    const metadata = request.UserMetadata ?? {};
    expect(Object.keys(metadata).length).toBeLessThanOrEqual(10);
    for (const value of Object.values(metadata)) expect([...value].length).toBeLessThanOrEqual(256);
    expect(metadata.source).toMatch(/clip\.mp4$/);
  });

  it('derives a ClientRequestToken of at most 64 ASCII characters, the same for a duplicate', () => {
    const token = buildCreateJobRequest(upload, context).ClientRequestToken ?? '';

    expect(token).toMatch(/^[\x21-\x7e]{1,64}$/);
    expect(buildCreateJobRequest({ ...upload }, context).ClientRequestToken).toBe(token);
  });

  it('writes HLS, MP4 and thumbnails under <assetId>/ in the output bucket', () => {
    // Act
    const request = buildCreateJobRequest(upload, context);

    // Assess
    const assetId = request.UserMetadata?.assetId;
    const destinations = Object.fromEntries(
      (request.Settings.OutputGroups ?? []).map((g) => [
        g.Name,
        g.OutputGroupSettings?.HlsGroupSettings?.Destination ?? g.OutputGroupSettings?.FileGroupSettings?.Destination,
      ]),
    );
    expect(destinations).toEqual({
      HLS: `s3://output-bucket/${assetId}/hls/my-trip-2024-1-final`,
      MP4: `s3://output-bucket/${assetId}/mp4/my-trip-2024-1-final`,
      Thumbnails: `s3://output-bucket/${assetId}/thumbnails/my-trip-2024-1-final`,
    });
  });

  it.each(DEFAULT_RUNGS.map((rung, index) => [rung.name, rung, index] as const))(
    'encodes the %s rung as H.264 High QVBR with a 2 s closed GOP',
    (_name, rung, index) => {
      // Act
      const hls = group('HLS');

      // Assess
      const output = hls.Outputs?.[index];
      expect(output?.NameModifier).toBe(`_${rung.name}`);
      expect(output?.VideoDescription).toEqual(expect.objectContaining({ Width: rung.width, Height: rung.height }));
      expect(h264(hls, index)).toEqual(
        expect.objectContaining({
          RateControlMode: 'QVBR',
          QvbrSettings: { QvbrQualityLevel: rung.qvbrQualityLevel },
          MaxBitrate: rung.maxBitrate,
          QualityTuningLevel: 'SINGLE_PASS_HQ',
          CodecProfile: 'HIGH',
          CodecLevel: 'LEVEL_4_1',
          GopSize: 2,
          GopSizeUnits: 'SECONDS',
          GopClosedCadence: 1,
        }),
      );
      expect(output?.AudioDescriptions?.[0]?.CodecSettings?.AacSettings).toEqual(
        expect.objectContaining({ CodecProfile: 'LC', CodingMode: 'CODING_MODE_2_0', SampleRate: 48_000, Bitrate: 128_000 }),
      );
    },
  );

  it('segments HLS in 6 s pieces', () => {
    expect(group('HLS').OutputGroupSettings?.HlsGroupSettings?.SegmentLength).toBe(6);
  });

  it('encodes the top rung as a progressive-download MP4', () => {
    const mp4 = group('MP4');

    expect(mp4.Outputs).toHaveLength(1);
    expect(mp4.Outputs?.[0]?.ContainerSettings).toEqual({
      Container: 'MP4',
      Mp4Settings: expect.objectContaining({ MoovPlacement: 'PROGRESSIVE_DOWNLOAD' }),
    });
    expect(h264(mp4)).toEqual(expect.objectContaining({ MaxBitrate: 6_000_000 }));
    expect(mp4.Outputs?.[0]?.VideoDescription).toEqual(expect.objectContaining({ Width: 1920, Height: 1080 }));
  });

  it('uses the configured mp4Rung', () => {
    const request = buildCreateJobRequest(upload, { ...context, ladder: { ...ladder, mp4Rung: '720p' } });

    expect(request.Settings.OutputGroups?.find((g) => g.Name === 'MP4')?.Outputs?.[0]?.NameModifier).toBe('_720p');
  });

  it('captures a JPEG every N seconds plus a single poster frame', () => {
    // Act
    const outputs = group('Thumbnails').Outputs ?? [];

    // Assess
    expect(outputs.map((o) => [o.NameModifier, o.ContainerSettings?.Container, o.VideoDescription?.CodecSettings?.Codec])).toEqual([
      [THUMBNAIL_NAME_MODIFIER, 'RAW', 'FRAME_CAPTURE'],
      [POSTER_NAME_MODIFIER, 'RAW', 'FRAME_CAPTURE'],
    ]);
    expect(outputs[0]?.VideoDescription?.CodecSettings?.FrameCaptureSettings).toEqual({
      FramerateNumerator: 1,
      FramerateDenominator: 5,
      MaxCaptures: 200,
      Quality: 80,
    });
    expect(outputs[1]?.VideoDescription?.CodecSettings?.FrameCaptureSettings).toEqual(expect.objectContaining({ MaxCaptures: 1 }));
  });

  it('stays within the MediaConvert API ranges for every output', () => {
    // Act
    const groups = buildCreateJobRequest(upload, context).Settings.OutputGroups ?? [];

    // Assess
    for (const g of groups) {
      expect(g.OutputGroupSettings?.HlsGroupSettings?.SegmentLength ?? 10).toBeGreaterThanOrEqual(1);
      if ((g.Outputs ?? []).length > 1) for (const o of g.Outputs ?? []) expect(o.NameModifier).toBeTruthy();
      for (const o of g.Outputs ?? []) {
        const video = o.VideoDescription;
        for (const dim of [video?.Width, video?.Height].filter((d) => d !== undefined)) {
          expect(dim).toBeGreaterThanOrEqual(32);
          expect(dim).toBeLessThanOrEqual(8192);
          expect(dim! % 2).toBe(0);
        }
        const h = video?.CodecSettings?.H264Settings;
        if (h) {
          expect(h.MaxBitrate).toBeGreaterThanOrEqual(1_000);
          expect(h.MaxBitrate).toBeLessThanOrEqual(1_152_000_000);
          expect(h.QvbrSettings?.QvbrQualityLevel).toBeGreaterThanOrEqual(1);
          expect(h.QvbrSettings?.QvbrQualityLevel).toBeLessThanOrEqual(10);
        }
        const f = video?.CodecSettings?.FrameCaptureSettings;
        if (f) {
          expect(f.MaxCaptures).toBeGreaterThanOrEqual(1);
          expect(f.MaxCaptures).toBeLessThanOrEqual(10_000_000);
          expect(f.Quality).toBeGreaterThanOrEqual(1);
          expect(f.Quality).toBeLessThanOrEqual(100);
        }
        const aac = o.AudioDescriptions?.[0]?.CodecSettings?.AacSettings;
        if (aac) expect([64_000, 96_000, 128_000, 160_000, 192_000]).toContain(aac.Bitrate);
      }
    }
  });

  it('does not hold only frame captures', () => {
    const codecs = (buildCreateJobRequest(upload, context).Settings.OutputGroups ?? []).flatMap((g) =>
      (g.Outputs ?? []).map((o) => o.VideoDescription?.CodecSettings?.Codec),
    );

    expect(codecs.filter((c) => c === 'H_264').length).toBeGreaterThan(0);
  });
});
