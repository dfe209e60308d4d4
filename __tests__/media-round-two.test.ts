/**
 * Issue 19's defects, each on a real fixture: Probe through the SDK against the stand-in (its
 * answers come from what ffprobe saw of the file), the header read for MP4/MOV, the plan, and the
 * CreateJob request sent to the stand-in, which validates it against the API model's rules.
 */
import { CreateJobCommand, MediaConvertClient, ProbeCommand, ProbeResult } from '@aws-sdk/client-mediaconvert';
import { readMp4Rotation } from '../lambda-src/encoding/mp4-rotation';
import { SourceProfile, SourceVerdict, describeSource, hasMp4Header, summarizeProbe } from '../lambda-src/encoding/source-profile';
import { BASIC_TIER_PLAN_SETTINGS, EncodingPlan, planEncoding } from '../lambda-src/encoding/encoding-plan';
import { JobContext, buildCreateJobRequest } from '../lambda-src/encoding/job-settings';
import { estimateCost } from '../lambda-src/cost/cost';
import { PlanSettings } from '../contracts/functions/submit-job';
import { DEFAULT_RUNGS, EncodingLadderSchema } from '../contracts/ladder';
import { MEDIACONVERT_PRICES } from '../contracts/pricing';
import { MediaConvertStub, startMediaConvertStub } from './support/mediaconvert/server';
import { MediaFixtureName, readMediaFixture, recordingReader } from './support/media-fixtures';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- wire JSON of CreateJob

const ladder = EncodingLadderSchema.parse({ rungs: [...DEFAULT_RUNGS] });
const QUEUE = 'arn:aws:mediaconvert:us-east-1:123456789012:queues/vod-media';
const context: JobContext = {
  pipeline: 'vod-media',
  queueArn: QUEUE,
  roleArn: 'arn:aws:iam::123456789012:role/vod-media-mediaconvert',
  outputBucket: 'vod-media-output',
  ladder,
  statusUpdateInterval: 'SECONDS_60',
};
const ACCELERATE: PlanSettings = { acceleration: { mode: 'ENABLED', minSourceMinutes: 0 } };

let stub: MediaConvertStub;
let client: MediaConvertClient;

beforeAll(async () => {
  stub = await startMediaConvertStub({ log: () => undefined, reader: async (_bucket, key) => readMediaFixture(key as MediaFixtureName) });
  await fetch(`${stub.url}/2017-08-29/queues`, { method: 'POST', body: JSON.stringify({ name: 'vod-media' }) });
  client = new MediaConvertClient({ region: 'us-east-1', endpoint: stub.url, credentials: { accessKeyId: 'k', secretAccessKey: 's' } });
});

afterAll(async () => {
  client.destroy();
  await stub.close();
});

async function probe(name: MediaFixtureName): Promise<ProbeResult | undefined> {
  const response = await client.send(new ProbeCommand({ InputFiles: [{ FileUrl: `s3://source-bucket/${name}` }] }));
  return response.ProbeResults?.[0];
}

/** What the submit function does: Probe, then the header rotation for MP4/MOV. */
async function verdictOf(name: MediaFixtureName, headerRead = true): Promise<SourceVerdict> {
  const result = await probe(name);
  const file = readMediaFixture(name);
  const reading =
    headerRead && hasMp4Header(result?.Container?.Format) ? await readMp4Rotation(recordingReader(file).readRange, file.length) : undefined;
  return summarizeProbe(result, reading?.rotation);
}

async function profileOf(name: MediaFixtureName): Promise<SourceProfile> {
  const verdict = await verdictOf(name);
  if (verdict.kind !== 'usable') throw new Error(`${name}: ${JSON.stringify(verdict)}`);
  return verdict.profile;
}

/** The CreateJob body the stand-in received (and accepted: it answers 400 to what the model forbids). */
async function submitted(name: MediaFixtureName, plan: EncodingPlan): Promise<Json> {
  const request = buildCreateJobRequest(
    { bucket: 'source-bucket', key: name, size: 1, eventName: 'ObjectCreated:Put', versionId: 'v1' },
    context,
    plan,
  );
  await client.send(new CreateJobCommand(request));
  return stub.createJobRequests.at(-1) as Json;
}

async function jobOf(name: MediaFixtureName, settings: PlanSettings = BASIC_TIER_PLAN_SETTINGS): Promise<Json> {
  return submitted(name, planEncoding(await profileOf(name), ladder, settings));
}

const outputs = (job: Json, group: string): Json[] => (job.settings.outputGroups as Json[]).find((g) => g.name === group)?.outputs ?? [];
const videoOutputs = (job: Json) => ['HLS', 'MP4'].flatMap((g) => outputs(job, g));
const h264 = (output: Json) => output.videoDescription.codecSettings.h264Settings;
const shortSide = (output: Json) => Math.min(output.videoDescription.width, output.videoDescription.height);
const fps = (output: Json) => h264(output).framerateNumerator / h264(output).framerateDenominator;

describe('defect 1: interlaced pro files are never encoded with combing', () => {
  it('deinterlaces the ProRes file Probe gives no scan type for, adaptively, leaving progressive frames alone', async () => {
    // Act
    const profile = await profileOf('prores-interlaced-noscan.mov');
    const job = await jobOf('prores-interlaced-noscan.mov');

    // Assess
    expect(profile).toEqual(expect.objectContaining({ scanType: 'unknown', videoCodec: 'PRORES' }));
    for (const output of [...videoOutputs(job), ...outputs(job, 'Thumbnails')]) {
      expect(output.videoDescription.videoPreprocessors.deinterlacer).toEqual(
        expect.objectContaining({ mode: 'ADAPTIVE', control: 'NORMAL' }),
      );
    }
  });

  it('keeps the motion of 1080i50: 50p with field doubling above 540 lines, 25p at 540 and below', async () => {
    const job = await jobOf('camcorder-1080i.m2ts');

    for (const output of outputs(job, 'HLS')) {
      const doubled = shortSide(output) > 540;
      expect([shortSide(output), fps(output)]).toEqual([shortSide(output), doubled ? 50 : 25]);
      expect(output.videoDescription.videoPreprocessors.deinterlacer.algorithm).toBe(doubled ? 'LINEAR_INTERPOLATION' : 'INTERPOLATE');
    }
  });
});

describe('defect 2: every audio track', () => {
  it.each<[MediaFixtureName, number[], number[][] | undefined, boolean]>([
    // [fixture, selector tracks, remix (dB per input channel, per output channel), AudioDurationCorrection AUTO]
    [
      'camera-two-mono-tracks.mov',
      [1, 2],
      [
        [0, -60],
        [-60, 0],
      ],
      false,
    ],
    [
      'surround-5.1.mp4',
      [1],
      [
        [0, -60, -3, -60, -3, -60],
        [-60, 0, -3, -60, -60, -3],
      ],
      true,
    ],
    ['phone-vfr-60.mov', [1], undefined, true],
    ['prores-interlaced-noscan.mov', [1], [[0], [0]], false],
  ])('selects and remixes the audio of %s to stereo AAC explicitly', async (name, tracks, remix, durationCorrection) => {
    const job = await jobOf(name);

    const selector = job.settings.inputs[0].audioSelectors['Audio Selector 1'];
    expect(selector).toEqual(expect.objectContaining({ selectorType: 'TRACK', tracks }));
    expect(selector.audioDurationCorrection).toBe(durationCorrection ? 'AUTO' : undefined);
    for (const output of videoOutputs(job)) {
      const audio = output.audioDescriptions[0];
      expect(audio.codecSettings.aacSettings.codingMode).toBe('CODING_MODE_2_0');
      expect(audio.remixSettings?.channelMapping.outputChannels.map((c: Json) => c.inputChannels)).toEqual(remix);
    }
  });

  it('records an audio-only upload FAILED with a reason, never a video job that fails', async () => {
    const verdict = await verdictOf('audio-only.m4a');

    expect(verdict).toEqual({ kind: 'not-media', reason: expect.stringMatching(/audio but no video track/) });
  });
});

describe('defect 3: aspect ratio that cannot distort', () => {
  it('shows the anamorphic HDV file at its display size and fits every output without stretching', async () => {
    const profile = await profileOf('hdv-anamorphic-1440x1080.mp4');
    const job = await jobOf('hdv-anamorphic-1440x1080.mp4');

    expect([profile.displayWidth, profile.displayHeight]).toEqual([1920, 1080]);
    expect(JSON.stringify(job)).not.toMatch(/STRETCH_TO_OUTPUT/);
    for (const output of [...videoOutputs(job), ...outputs(job, 'Thumbnails')])
      expect(output.videoDescription.scalingBehavior).toBe('FIT_NO_UPSCALE');
  });

  it.each<[string, Record<string, unknown>, [number, number]]>([
    [
      'coded 1440 with SAR 4:3 and DAR 16:9',
      { Width: 1440, SampleAspectRatio: { Numerator: 4, Denominator: 3 }, DisplayAspectRatio: { Numerator: 16, Denominator: 9 } },
      [1920, 1080],
    ],
    [
      'a width that is already the display width, with SAR 4:3 and DAR 16:9 (not 2560)',
      { Width: 1920, SampleAspectRatio: { Numerator: 4, Denominator: 3 }, DisplayAspectRatio: { Numerator: 16, Denominator: 9 } },
      [1920, 1080],
    ],
    ['coded 1440 with SAR 4:3 only', { Width: 1440, SampleAspectRatio: { Numerator: 4, Denominator: 3 } }, [1920, 1080]],
    ['coded 1440 with DAR 16:9 only', { Width: 1440, DisplayAspectRatio: { Numerator: 16, Denominator: 9 } }, [1920, 1080]],
  ])('computes the display size from the coded height and the ratio: %s', (_case, props, expected) => {
    const result = {
      Container: {
        Format: 'mpegts',
        Duration: 10,
        Tracks: [{ TrackType: 'video', VideoProperties: { Height: 1080, FrameRate: { Numerator: 25, Denominator: 1 }, ...props } }],
      },
    } as ProbeResult;

    const verdict = summarizeProbe(result, undefined);

    expect(verdict.kind === 'usable' && [verdict.profile.displayWidth, verdict.profile.displayHeight]).toEqual(expected);
  });
});

describe('defect 3: the MP4/MOV pasp box when Probe gives no ratio', () => {
  it('reads 4:3 from the anamorphic HDV file header and shows it 1920x1080 when Probe says nothing of the ratio', async () => {
    // Prepare: Probe's answer for the file without its ratios (older models lack them).
    const result = (await probe('hdv-anamorphic-1440x1080.mp4'))!;
    const video = result.Container!.Tracks!.find((t) => t.TrackType === 'video')!;
    const withoutRatios = (o: object | undefined) =>
      Object.fromEntries(Object.entries(o ?? {}).filter(([k]) => k !== 'SampleAspectRatio' && k !== 'DisplayAspectRatio'));
    const props = { ...withoutRatios(video.VideoProperties), CodecMetadata: withoutRatios(video.VideoProperties?.CodecMetadata) };
    const stripped = { ...result, Container: { ...result.Container, Tracks: [{ ...video, VideoProperties: props }] } } as ProbeResult;
    const file = readMediaFixture('hdv-anamorphic-1440x1080.mp4');

    // Act
    const reading = await readMp4Rotation(recordingReader(file).readRange, file.length);
    const withHeader = summarizeProbe(stripped, reading.rotation, reading.rotation !== undefined ? reading.pixelAspectRatio : undefined);

    // Assess
    expect(reading).toEqual(expect.objectContaining({ rotation: 0, pixelAspectRatio: { numerator: 4, denominator: 3 } }));
    expect(withHeader.kind === 'usable' && [withHeader.profile.displayWidth, withHeader.profile.displayHeight]).toEqual([1920, 1080]);
  });
});

describe('defect 4: frame rates', () => {
  it('snaps the phone clip averaging 60.04 fps to 60, not halving it to 30.02', async () => {
    const profile = await profileOf('phone-vfr-60.mov');
    const job = await jobOf('phone-vfr-60.mov');

    expect(profile.frameRate).toEqual({ numerator: 60, denominator: 1 });
    // The source is 320x180, so every rung is 540 lines or fewer: 30 fps, a whole half of 60.
    for (const output of videoOutputs(job))
      expect(h264(output)).toEqual(expect.objectContaining({ framerateNumerator: 30, framerateDenominator: 1 }));
  });

  it('divides 90 fps by whole factors: 45 above 540 lines, 30 at 540 and below, the peak scaled with the rate', async () => {
    const job = await jobOf('720p90.mp4');

    const byName = Object.fromEntries(outputs(job, 'HLS').map((o) => [o.nameModifier, [fps(o), h264(o).maxBitrate]]));
    // 720p45: 3 Mb/s x √(45/30); each rung below raised to at least half the one above (steps of at most 2x).
    expect(byName).toEqual({
      _720p: [45, 3_674_000],
      _480p: [30, 1_837_000],
      _360p: [30, 919_000],
      _234p: [30, 460_000],
    });
  });

  it('keeps 60 fps on the upper rungs of the 1080p60 file only', async () => {
    const job = await jobOf('1080p60.mp4');

    expect(outputs(job, 'HLS').map((o) => [shortSide(o), fps(o)])).toEqual([
      [1080, 60],
      [720, 60],
      [480, 30],
      [360, 30],
      [234, 30],
    ]);
  });
});

describe("defect 5: the ladder against Apple's table", () => {
  it('gives the 1080p60 file a weak-network rung, steps of at most 2x, a one-second HRD buffer and no level above 4.2', async () => {
    const job = await jobOf('1080p60.mp4');

    const hls = outputs(job, 'HLS');
    const bottom = hls.at(-1)!;
    expect([bottom.videoDescription.width, bottom.videoDescription.height]).toEqual([416, 234]);
    expect(bottom.audioDescriptions[0].codecSettings.aacSettings).toEqual(
      expect.objectContaining({ codecProfile: 'HEV1', bitrate: 64_000 }),
    );
    const peaks = hls.map((o) => h264(o).maxBitrate);
    peaks.slice(1).forEach((peak, i) => expect(peaks[i]! / peak).toBeLessThanOrEqual(2));
    for (const output of videoOutputs(job)) {
      expect(h264(output).hrdBufferSize).toBe(h264(output).maxBitrate);
      expect(h264(output).codecLevel).toMatch(/^LEVEL_([1-3](_\d)?|4(_[12])?)$/);
    }
    expect(h264(hls[0]!).codecLevel).toBe('LEVEL_4_2');
  });

  it.each<[string, Partial<SourceProfile>, string[]]>([
    [
      'a 960x540 source gets one 960x540 rendition, not 960x540 and 854x480',
      { displayWidth: 960, displayHeight: 540 },
      ['960x540', '640x360', '416x234'],
    ],
    [
      'a 1024x576 source: 1024x576 and 854x480 are 17 % apart in width, both kept',
      { displayWidth: 1024, displayHeight: 576 },
      ['1024x576', '854x480', '640x360', '416x234'],
    ],
  ])('merges renditions within 15 %% of each other: %s', (_case, overrides, expected) => {
    expect(
      planEncoding(describeSource(overrides), ladder, BASIC_TIER_PLAN_SETTINGS).renditions.map((r) => `${r.width}x${r.height}`),
    ).toEqual(expected);
  });
});

describe('defect 6: the safe fallback job', () => {
  it('gives the webcam clip whose header could not be read one rendition per distinct size, and thumbnails over its length', async () => {
    // Prepare: Probe answered, the rotation read did not: the fallback job, sized by what Probe said.
    const verdict = await verdictOf('webcam-640x480.mp4', false);
    expect(verdict.kind).toBe('not-understood');

    // Act
    const plan = planEncoding(undefined, ladder, BASIC_TIER_PLAN_SETTINGS, verdict.kind === 'not-understood' ? verdict.hint : undefined);
    const job = await submitted('webcam-640x480.mp4', plan);

    // Assess: boxes of 1920, 1280, 854 and 640 would all give 640x480; one of them is kept.
    expect(outputs(job, 'HLS').map((o) => o.videoDescription.width)).toEqual([640, 416]);
    expect(outputs(job, 'Thumbnails')[0]!.videoDescription.codecSettings.frameCaptureSettings).toEqual(
      expect.objectContaining({ framerateDenominator: 5, maxCaptures: 1 }),
    );
  });

  it('spaces the thumbnails of a source of unknown length to cover four hours', () => {
    const plan = planEncoding(undefined, ladder, BASIC_TIER_PLAN_SETTINGS);

    expect((plan.thumbnails.maxCaptures - 1) * plan.thumbnails.intervalSeconds).toBeGreaterThanOrEqual(
      4 * 3600 - plan.thumbnails.intervalSeconds,
    );
  });
});

describe('defect 7: tiny final segments', () => {
  it('folds the 0.05 s end of the 60.05 s clip into the segment before it', async () => {
    const profile = await profileOf('long-60.05s.mp4');
    const job = await jobOf('long-60.05s.mp4');

    const hls = job.settings.outputGroups.find((g: Json) => g.name === 'HLS').outputGroupSettings.hlsGroupSettings;
    const lastSegment = profile.durationSeconds % hls.segmentLength;
    expect(profile.durationSeconds).toBeCloseTo(60.05, 3);
    expect(hls.minFinalSegmentLength).toBeGreaterThanOrEqual(1);
    expect(hls.minFinalSegmentLength).toBeLessThan(hls.segmentLength);
    expect(lastSegment).toBeLessThan(hls.minFinalSegmentLength);
  });
});

describe('defect 8: the poster', () => {
  it('takes the poster from the thumbnails: one frame-capture output, billed once', async () => {
    const profile = await profileOf('webcam-640x480.mp4');
    const plan = planEncoding(profile, ladder, BASIC_TIER_PLAN_SETTINGS);
    const job = await submitted('webcam-640x480.mp4', plan);

    expect(outputs(job, 'Thumbnails').map((o) => o.nameModifier)).toEqual(['_thumb']);
    expect(estimateCost(plan, profile.durationSeconds, MEDIACONVERT_PRICES).outputs.filter((o) => o.name === 'poster')).toEqual([]);
  });
});

describe('defect 9: acceleration', () => {
  it.each<[MediaFixtureName, string, RegExp | undefined]>([
    ['1080p60.mp4', 'ENABLED', undefined],
    ['prores-interlaced-noscan.mov', 'PREFERRED', /adaptive deinterlacer/],
    ['camcorder-1080i.m2ts', 'PREFERRED', /adaptive deinterlacer/],
  ])('runs %s %s when the policy says ENABLED', async (name, mode, note) => {
    const plan = planEncoding(await profileOf(name), ladder, ACCELERATE);
    const job = await submitted(name, plan);

    expect(job.accelerationSettings).toEqual({ mode });
    expect(plan.accelerationNote).toEqual(note ? expect.stringMatching(note) : undefined);
    // ENABLED only without the adaptive deinterlacer (its inverse telecine is excluded from acceleration).
    if (mode === 'ENABLED') expect(JSON.stringify(job)).not.toMatch(/deinterlacer/);
  });

  it.each([
    ['VP9 in WebM', { container: 'webm', videoCodec: 'VP9' }],
    ['MPEG-4 Part 2 in MP4', { container: 'mp4', videoCodec: 'MP4V' }],
  ])('degrades ENABLED to PREFERRED with a reason for %s', async (_case, overrides) => {
    const profile = { ...(await profileOf('1080p60.mp4')), ...overrides };

    const plan = planEncoding(profile, ladder, ACCELERATE);

    expect(plan).toEqual(
      expect.objectContaining({ accelerationMode: 'PREFERRED', accelerationNote: expect.stringMatching(/does not support/) }),
    );
  });
});

describe('defect 10: degenerate sizes', () => {
  it('plans only the renditions of the 1920x40 strip that MediaConvert accepts, with thumbnails at least 32 high', async () => {
    const job = await jobOf('strip-1920x40.mp4');

    expect(outputs(job, 'HLS').map((o) => [o.videoDescription.width, o.videoDescription.height])).toEqual([[1920, 40]]);
    const thumb = outputs(job, 'Thumbnails')[0]!.videoDescription;
    expect(Math.min(thumb.width, thumb.height)).toBeGreaterThanOrEqual(32);
  });

  it('records a source under 32 pixels on a side FAILED with a reason', () => {
    const result = {
      Container: {
        Format: 'mp4',
        Duration: 5,
        Tracks: [{ TrackType: 'video', VideoProperties: { Width: 1920, Height: 20, FrameRate: { Numerator: 30, Denominator: 1 } } }],
      },
    } as ProbeResult;

    expect(summarizeProbe(result, 0)).toEqual({ kind: 'not-media', reason: expect.stringMatching(/1920x20.*under 32 pixels/) });
  });
});

describe('HDR: Dolby Vision profile 5', () => {
  it.each<[string, number | undefined, string]>([
    ['profile 5 (no base layer) is refused with a reason, never tone-mapped with wrong colours', 5, 'not-media'],
    ['profile 8.1 (HDR10 base layer) is planned from its base layer', 8, 'usable'],
    ['HDR10 without Dolby Vision is planned', undefined, 'usable'],
  ])('%s', (_case, profile, kind) => {
    const result = {
      Container: {
        Format: 'mp4',
        Duration: 10,
        Tracks: [
          {
            TrackType: 'video',
            Codec: 'HEVC',
            VideoProperties: {
              Width: 3840,
              Height: 2160,
              FrameRate: { Numerator: 30, Denominator: 1 },
              TransferCharacteristics: 'SMPTE_2084',
              CodecMetadata: profile === undefined ? {} : { DolbyVision: { Profile: profile } },
            },
          },
        ],
      },
    } as ProbeResult;

    const verdict = summarizeProbe(result, 0);

    expect(verdict.kind).toBe(kind);
    if (verdict.kind === 'not-media') expect(verdict.reason).toMatch(/Dolby Vision profile 5.*wrong colours/);
    if (verdict.kind === 'usable') expect(verdict.profile.hdr).toBe('PQ');
  });
});
