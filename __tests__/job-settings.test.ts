import type { CreateJobRequest, H264Settings, OutputGroup } from '@aws-sdk/client-mediaconvert';
import { BASIC_TIER_PLAN_SETTINGS, EncodingPlan, planEncoding } from '../lambda-src/encoding/encoding-plan';
import { PlanSettings } from '../contracts/functions/submit-job';
import { DEFAULT_RUNGS, EncodingLadderSchema } from '../contracts/ladder';
import { JobContext, buildCreateJobRequest } from '../lambda-src/encoding/job-settings';
import { THUMBNAIL_NAME_MODIFIER } from '../contracts/storage-layout';
import { parseJobStateEvent } from '../lambda-src/jobs/job-event';
import { UploadedObject } from '../lambda-src/jobs/s3-event';
import { SourceProfile, describeSource, summarizeSource } from '../lambda-src/encoding/source-profile';
import { PIPELINE, jobStateChange } from './fixtures/mediaconvert-events';

const ladder = EncodingLadderSchema.parse({ rungs: [...DEFAULT_RUNGS] });
const context: JobContext = {
  pipeline: 'vod-test',
  queueArn: 'arn:aws:mediaconvert:us-east-1:123456789012:queues/vod-test',
  roleArn: 'arn:aws:iam::123456789012:role/vod-test-mediaconvert',
  outputBucket: 'output-bucket',
  ladder,
  statusUpdateInterval: 'SECONDS_60',
};
/** A 1080p30 landscape MP4 with audio. */
const profile: SourceProfile = describeSource();
const plan = planEncoding(profile, ladder, BASIC_TIER_PLAN_SETTINGS);
const planFor = (overrides: Partial<SourceProfile>, settings: PlanSettings = BASIC_TIER_PLAN_SETTINGS): EncodingPlan =>
  planEncoding({ ...profile, ...overrides }, ladder, settings);
const describeSummary = () => summarizeSource(profile);
const upload: UploadedObject = {
  bucket: 'source-bucket',
  key: 'uploads/My Trip (2024) #1+final.MP4',
  size: 10,
  eventName: 'ObjectCreated:Put',
  versionId: 'v1',
};

function group(name: string, request = buildCreateJobRequest(upload, context, plan)): OutputGroup {
  const found = request.Settings.OutputGroups?.find((g) => g.Name === name);
  if (!found) throw new Error(`no output group ${name}`);
  return found;
}
const h264 = (g: OutputGroup, i = 0) => g.Outputs?.[i]?.VideoDescription?.CodecSettings?.H264Settings as H264Settings;

describe('buildCreateJobRequest', () => {
  it('reads the exact source object and passes role and queue', () => {
    const request = buildCreateJobRequest(upload, context, plan);

    expect(request.Settings.Inputs?.[0]?.FileInput).toBe('s3://source-bucket/uploads/My Trip (2024) #1+final.MP4');
    expect(request.Role).toBe(context.roleArn);
    expect(request.Queue).toBe(context.queueArn);
  });

  it("sets the plan's acceleration as an object and a status update interval", () => {
    const request = buildCreateJobRequest(upload, context, plan);

    expect(request.AccelerationSettings).toEqual({ Mode: 'DISABLED' });
    expect(request.StatusUpdateInterval).toBe('SECONDS_60');
  });

  it('tags the job with pipeline, assetId and source for event routing, and its billing tier', () => {
    const request = buildCreateJobRequest(upload, context, plan);

    expect(request.UserMetadata).toEqual({
      pipeline: 'vod-test',
      assetId: expect.stringMatching(/^my-trip-2024-1-final-[0-9a-f]{12}$/),
      source: 's3://source-bucket/uploads/My Trip (2024) #1+final.MP4',
      billingTier: 'BASIC',
      trickPlay: '2/5x4/240x136',
    });
  });

  it('carries the source summary in UserMetadata for the completion side', () => {
    const summary = {
      width: 1920,
      height: 1080,
      durationMs: 60_000,
      fps: 30,
      audio: true,
      hdr: null,
      interlaced: false,
      rotation: 0,
    } as const;

    const request = buildCreateJobRequest(upload, context, plan, summary);

    expect(JSON.parse(request.UserMetadata?.sourceProfile ?? '{}')).toEqual(summary);
  });

  it.each<[string, PlanSettings, string]>([
    ['a Basic-tier plan', BASIC_TIER_PLAN_SETTINGS, 'BASIC'],
    ['an accelerated plan', { acceleration: { mode: 'PREFERRED', minSourceMinutes: 0 } }, 'PROFESSIONAL'],
  ])('carries the submission time and the billing tier of %s to the job events', (_case, settings, tier) => {
    // Act
    const request = buildCreateJobRequest(upload, context, planEncoding(profile, ladder, settings), undefined, new Date(1_700_000_000_123));

    // Assess
    const change = parseJobStateEvent(jobStateChange('COMPLETE', {}, { metadata: request.UserMetadata }), PIPELINE);
    expect(request.UserMetadata).toEqual(expect.objectContaining({ submittedAt: '1700000000123', billingTier: tier }));
    expect(change).toEqual(
      expect.objectContaining({ event: expect.objectContaining({ submittedAt: 1_700_000_000_123, billingTier: tier }) }),
    );
  });

  it('keeps the UserMetadata within 10 entries', () => {
    const request = buildCreateJobRequest(upload, context, plan, describeSummary(), new Date());

    expect(Object.keys(request.UserMetadata ?? {}).length).toBeLessThanOrEqual(10);
  });

  it('keeps every UserMetadata value within 256 characters, even for a 1,024-byte key', () => {
    // Prepare
    const longKey = `${'ü'.repeat(508)}/clip.mp4`; // 1,016 + 9 bytes in UTF-8

    // Act
    const request = buildCreateJobRequest({ ...upload, key: longKey }, context, plan);

    // Assess
    const metadata = request.UserMetadata ?? {};
    expect(Object.keys(metadata).length).toBeLessThanOrEqual(10);
    for (const value of Object.values(metadata)) expect([...value].length).toBeLessThanOrEqual(256);
    expect(metadata.source).toMatch(/clip\.mp4$/);
  });

  it('derives a ClientRequestToken of at most 64 ASCII characters, the same for a duplicate', () => {
    const token = buildCreateJobRequest(upload, context, plan).ClientRequestToken ?? '';

    expect(token).toMatch(/^[\x21-\x7e]{1,64}$/);
    expect(buildCreateJobRequest({ ...upload }, context, plan).ClientRequestToken).toBe(token);
  });

  it('writes HLS, MP4 and thumbnails under <assetId>/ in the output bucket', () => {
    // Act
    const request = buildCreateJobRequest(upload, context, plan);

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
    'encodes the %s rung as H.264 High QVBR at 30 fps, the level it needs, square pixels, with a 2 s closed GOP',
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
          CodecLevel: expect.stringMatching(/^LEVEL_([1-3](_\d)?|4(_[12])?)$/),
          HrdBufferSize: rung.maxBitrate,
          FramerateControl: 'SPECIFIED',
          FramerateNumerator: 30,
          FramerateDenominator: 1,
          ParControl: 'SPECIFIED',
          ParNumerator: 1,
          ParDenominator: 1,
          InterlaceMode: 'PROGRESSIVE',
          GopSize: 2,
          GopSizeUnits: 'SECONDS',
          GopClosedCadence: 1,
        }),
      );
      expect(output?.AudioDescriptions?.[0]?.CodecSettings?.AacSettings).toEqual(
        rung.maxBitrate <= 500_000
          ? expect.objectContaining({ CodecProfile: 'HEV1', CodingMode: 'CODING_MODE_2_0', SampleRate: 48_000, Bitrate: 64_000 })
          : expect.objectContaining({ CodecProfile: 'LC', CodingMode: 'CODING_MODE_2_0', SampleRate: 48_000, Bitrate: 128_000 }),
      );
    },
  );

  it('segments HLS in 6 s pieces with floating-point EXTINF durations and RFC 6381 codec strings', () => {
    expect(group('HLS').OutputGroupSettings?.HlsGroupSettings).toEqual(
      expect.objectContaining({ SegmentLength: 6, ManifestDurationFormat: 'FLOATING_POINT', CodecSpecification: 'RFC_6381' }),
    );
  });

  it('writes an I-frame-only playlist for every HLS video output', () => {
    const outputs = group('HLS').Outputs ?? [];

    expect(outputs.map((o) => o.OutputSettings?.HlsSettings?.IFrameOnlyManifest)).toEqual(outputs.map(() => 'INCLUDE'));
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
    const withMp4Rung = { ...ladder, mp4Rung: '720p' };
    const request = buildCreateJobRequest(
      upload,
      { ...context, ladder: withMp4Rung },
      planEncoding(profile, withMp4Rung, BASIC_TIER_PLAN_SETTINGS),
    );

    expect(request.Settings.OutputGroups?.find((g) => g.Name === 'MP4')?.Outputs?.[0]?.NameModifier).toBe('_720p');
  });

  it('captures 640x360 JPEGs every N seconds in one output: the poster is one of them, not a second output', () => {
    // Act
    const outputs = group('Thumbnails').Outputs ?? [];

    // Assess
    expect(outputs.map((o) => [o.NameModifier, o.ContainerSettings?.Container, o.VideoDescription?.CodecSettings?.Codec])).toEqual([
      [THUMBNAIL_NAME_MODIFIER, 'RAW', 'FRAME_CAPTURE'],
    ]);
    expect(outputs[0]?.VideoDescription).toEqual(expect.objectContaining({ Width: 640, Height: 360 }));
    expect(outputs[0]?.VideoDescription?.CodecSettings?.FrameCaptureSettings).toEqual({
      FramerateNumerator: 1,
      FramerateDenominator: 5,
      MaxCaptures: 13,
      Quality: 80,
    });
  });

  it('stays within the MediaConvert API ranges for every output', () => {
    // Act
    const groups = buildCreateJobRequest(upload, context, plan).Settings.OutputGroups ?? [];

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
    const codecs = (buildCreateJobRequest(upload, context, plan).Settings.OutputGroups ?? []).flatMap((g) =>
      (g.Outputs ?? []).map((o) => o.VideoDescription?.CodecSettings?.Codec),
    );

    expect(codecs.filter((c) => c === 'H_264').length).toBeGreaterThan(0);
  });

  it.each<[string, Partial<SourceProfile>, (request: CreateJobRequest) => unknown, unknown]>([
    [
      'rotates a phone video with Rotate AUTO',
      { container: 'quicktime', rotation: 90, displayWidth: 1080, displayHeight: 1920 },
      (r) => r.Settings?.Inputs?.[0]?.VideoSelector?.Rotate,
      'AUTO',
    ],
    ['gives a silent source no audio selector', { hasAudio: false }, (r) => r.Settings?.Inputs?.[0]?.AudioSelectors, undefined],
    [
      'gives a silent source no audio in any output',
      { hasAudio: false },
      (r) => r.Settings?.OutputGroups?.flatMap((g) => g.Outputs ?? []).filter((o) => o.AudioDescriptions !== undefined).length,
      0,
    ],
    [
      'deinterlaces an interlaced source adaptively',
      { scanType: 'interlaced', container: 'mpegts' },
      (r) => r.Settings?.OutputGroups?.[0]?.Outputs?.[0]?.VideoDescription?.VideoPreprocessors?.Deinterlacer?.Mode,
      'ADAPTIVE',
    ],
    [
      'tone-maps HLG to SDR BT.709',
      { hdr: 'HLG', bitDepth: 10 },
      (r) => r.Settings?.OutputGroups?.[1]?.Outputs?.[0]?.VideoDescription?.VideoPreprocessors?.ColorCorrector,
      { ColorSpaceConversion: 'FORCE_709', HdrToSdrToneMapper: 'PRESERVE_DETAILS' },
    ],
    [
      'brings a 120 fps source to 60 fps by dropping frames',
      { frameRate: { numerator: 120, denominator: 1 } },
      (r) => {
        const h = r.Settings?.OutputGroups?.[0]?.Outputs?.[0]?.VideoDescription?.CodecSettings?.H264Settings;
        return [h?.FramerateControl, h?.FramerateNumerator, h?.FramerateDenominator, h?.FramerateConversionAlgorithm];
      },
      ['SPECIFIED', 60, 1, 'DUPLICATE_DROP'],
    ],
  ])('%s', (_case, overrides, pick, expected) => {
    // Act
    const request = buildCreateJobRequest(upload, context, planFor(overrides));

    // Assess
    expect(pick(request)).toEqual(expected);
  });

  it('builds the safe fallback job for a source Probe could not describe', () => {
    // Act
    const request = buildCreateJobRequest(upload, context, planEncoding(undefined, ladder, BASIC_TIER_PLAN_SETTINGS));

    // Assess
    const input = request.Settings.Inputs?.[0];
    expect(input?.VideoSelector?.Rotate).toBe('AUTO');
    expect(input?.AudioSelectors).toEqual({ 'Audio Selector 1': { DefaultSelection: 'DEFAULT' } });
    expect(
      group('HLS', request).Outputs?.map((o) => [
        o.VideoDescription?.Width,
        o.VideoDescription?.Height,
        o.VideoDescription?.ScalingBehavior,
      ]),
    ).toEqual([
      [1920, 1920, 'FIT_NO_UPSCALE'],
      [1280, 1280, 'FIT_NO_UPSCALE'],
      [854, 854, 'FIT_NO_UPSCALE'],
      [640, 640, 'FIT_NO_UPSCALE'],
      [416, 416, 'FIT_NO_UPSCALE'],
    ]);
    expect(request.AccelerationSettings).toEqual({ Mode: 'DISABLED' });
  });

  it('uses no Professional-tier feature in the default job (acceleration, MULTI_PASS_HQ, HEVC, AV1, Automated ABR)', () => {
    // Act
    const request = buildCreateJobRequest(upload, context, plan);

    // Assess
    const outputs = (request.Settings.OutputGroups ?? []).flatMap((g) => g.Outputs ?? []);
    const codecs = outputs.map((o) => o.VideoDescription?.CodecSettings?.Codec);
    expect(request.AccelerationSettings?.Mode).toBe('DISABLED');
    expect(codecs.every((c) => c === 'H_264' || c === 'FRAME_CAPTURE')).toBe(true);
    expect(outputs.map((o) => o.VideoDescription?.CodecSettings?.H264Settings?.QualityTuningLevel).filter(Boolean)).not.toContain(
      'MULTI_PASS_HQ',
    );
    expect((request.Settings.OutputGroups ?? []).map((g) => g.AutomatedEncodingSettings)).toEqual([undefined, undefined, undefined]);
    expect(JSON.stringify(request)).not.toMatch(/H_265|AV1|MULTI_PASS_HQ|AutomatedAbr|FRAMEFORMER/);
  });

  it('accelerates only when the policy lets the source through, and then says so', () => {
    const long = buildCreateJobRequest(
      upload,
      context,
      planFor({ durationSeconds: 3600 }, { ...BASIC_TIER_PLAN_SETTINGS, acceleration: { mode: 'PREFERRED', minSourceMinutes: 20 } }),
    );
    const short = buildCreateJobRequest(
      upload,
      context,
      planFor({ durationSeconds: 60 }, { ...BASIC_TIER_PLAN_SETTINGS, acceleration: { mode: 'PREFERRED', minSourceMinutes: 20 } }),
    );

    expect([long.AccelerationSettings?.Mode, short.AccelerationSettings?.Mode]).toEqual(['PREFERRED', 'DISABLED']);
  });
});
