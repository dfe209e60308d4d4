/**
 * The HDR ladder (`transcoding.hdr: 'hevc-ladder'`): which HEVC rungs a source gets, and the CMAF job
 * that carries them beside the SDR H.264 ladder, checked by the stand-in against the API model's
 * rules and against what its transcoder understands. Real fixtures: HDR10 (PQ) and HLG.
 */
import { CreateJobCommand, MediaConvertClient, ProbeCommand } from '@aws-sdk/client-mediaconvert';
import { readMp4Rotation } from '../lambda-src/encoding/mp4-rotation';
import { SourceProfile, describeSource, hasMp4Header, summarizeProbe } from '../lambda-src/encoding/source-profile';
import { BASIC_TIER_PLAN_SETTINGS, EncodingPlan, planEncoding, planHdrRenditions } from '../lambda-src/encoding/encoding-plan';
import { JobContext, buildCreateJobRequest } from '../lambda-src/encoding/job-settings';
import { estimateCost } from '../lambda-src/cost/cost';
import { PlanSettings } from '../contracts/functions/submit-job';
import { DEFAULT_RUNGS, EncodingLadderSchema } from '../contracts/ladder';
import { MEDIACONVERT_PRICES } from '../contracts/pricing';
import { BILLING_TIER_METADATA_KEY, TRICK_PLAY_METADATA_KEY } from '../contracts/job-metadata';
import { MediaConvertStub, startMediaConvertStub } from './support/mediaconvert/server';
import { checkSettingsUnderstood } from './support/mediaconvert/transcode-settings';
import { hevcCodecString, videoRangeOf } from './support/mediaconvert/transcode';
import { MediaFixtureName, readMediaFixture, recordingReader } from './support/media-fixtures';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- wire JSON of CreateJob

const ladder = EncodingLadderSchema.parse({ rungs: [...DEFAULT_RUNGS] });
const HDR_LADDER: PlanSettings = { ...BASIC_TIER_PLAN_SETTINGS, hdr: 'hevc-ladder' };
const context: JobContext = {
  pipeline: 'vod-media',
  queueArn: 'arn:aws:mediaconvert:us-east-1:123456789012:queues/vod-media',
  roleArn: 'arn:aws:iam::123456789012:role/vod-media-mediaconvert',
  outputBucket: 'vod-media-output',
  ladder,
  statusUpdateInterval: 'SECONDS_60',
};

describe('planHdrRenditions', () => {
  const sizes = (profile: SourceProfile, mode: 'tone-map' | 'hevc-ladder' = 'hevc-ladder') =>
    planHdrRenditions(ladder, profile, mode).map((r) => `${r.name} ${r.width}x${r.height}@${Number(r.fps.toFixed(3))} ${r.maxBitrate}`);

  it.each<[string, Partial<SourceProfile>, 'tone-map' | 'hevc-ladder', string[]]>([
    ['the default (tone-map) adds no HEVC rung to an HDR source', { hdr: 'PQ', bitDepth: 10 }, 'tone-map', []],
    ['an SDR source gets no HEVC rung', {}, 'hevc-ladder', []],
    [
      'a 1080p HDR10 source gets Apple HDR sizes up to the ladder ceiling (1080p), steps at most 2x',
      { hdr: 'PQ', bitDepth: 10 },
      'hevc-ladder',
      [
        'hdr1080p 1920x1080@30 5400000',
        'hdr720p 1280x720@30 2900000',
        'hdr540p 960x540@30 1930000',
        'hdr432p 768x432@30 1090000',
        'hdr360p 640x360@30 545000',
      ],
    ],
    [
      'a 768x432 HLG source gets the rungs it can fill, never upscaled',
      { hdr: 'HLG', bitDepth: 10, displayWidth: 768, displayHeight: 432 },
      'hevc-ladder',
      ['hdr432p 768x432@30 1090000', 'hdr360p 640x360@30 545000'],
    ],
    [
      'a 1080p60 HDR source keeps 60 fps above 540 lines, 30 at or below (peak scaled with the rate)',
      { hdr: 'PQ', bitDepth: 10, displayWidth: 1280, displayHeight: 720, frameRate: { numerator: 60, denominator: 1 } },
      'hevc-ladder',
      ['hdr720p 1280x720@60 4101000', 'hdr540p 960x540@30 2051000', 'hdr432p 768x432@30 1090000', 'hdr360p 640x360@30 545000'],
    ],
    [
      'a portrait HDR source gets portrait rungs',
      { hdr: 'HLG', bitDepth: 10, displayWidth: 720, displayHeight: 1280 },
      'hevc-ladder',
      ['hdr720p 720x1280@30 2900000', 'hdr540p 540x960@30 1930000', 'hdr432p 432x768@30 1090000', 'hdr360p 360x640@30 545000'],
    ],
  ])('%s', (_name, overrides, mode, expected) => {
    expect(sizes(describeSource(overrides), mode)).toEqual(expected);
  });

  it('a 4K HDR source gets 2160p only when the ladder reaches 2160p, and at 30 fps (HEVC level 5)', () => {
    // Prepare
    const uhd = EncodingLadderSchema.parse({
      rungs: [{ name: '2160p', width: 3840, height: 2160, qvbrQualityLevel: 9, maxBitrate: 16_000_000 }, ...DEFAULT_RUNGS],
    });
    const source = describeSource({
      hdr: 'PQ',
      bitDepth: 10,
      displayWidth: 3840,
      displayHeight: 2160,
      frameRate: { numerator: 60, denominator: 1 },
    });
    // Act
    const rungs = planHdrRenditions(uhd, source, 'hevc-ladder');
    const defaultRungs = planHdrRenditions(ladder, source, 'hevc-ladder');
    // Assess
    expect(rungs.slice(0, 2).map((r) => [r.name, r.fps])).toEqual([
      ['hdr2160p', 30],
      ['hdr1440p', 30],
    ]);
    expect(defaultRungs[0]!.name).toBe('hdr1080p');
  });
});

describe('the stand-in transcoder pure parts', () => {
  it.each([
    [150, true, 'hvc1.2.4.H150.90'],
    [93, false, 'hvc1.2.4.L93.90'],
  ])('the codec string of HEVC Main10 level %i (high tier %s) is %s', (level, high, expected) => {
    expect(hevcCodecString(level, high)).toBe(expected);
  });

  it.each([
    ['smpte2084', 'PQ'],
    ['arib-std-b67', 'HLG'],
    ['bt709', 'SDR'],
    [undefined, 'SDR'],
  ])('transfer %s is VIDEO-RANGE %s', (transfer, range) => {
    expect(videoRangeOf(transfer)).toBe(range);
  });
});

describe('the HDR ladder job', () => {
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

  async function planOf(name: MediaFixtureName, settings: PlanSettings): Promise<EncodingPlan> {
    const result = (await client.send(new ProbeCommand({ InputFiles: [{ FileUrl: `s3://source-bucket/${name}` }] }))).ProbeResults?.[0];
    const file = readMediaFixture(name);
    const reading = hasMp4Header(result?.Container?.Format)
      ? await readMp4Rotation(recordingReader(file).readRange, file.length)
      : undefined;
    const verdict = summarizeProbe(result, reading?.rotation);
    if (verdict.kind !== 'usable') throw new Error(`${name}: ${JSON.stringify(verdict)}`);
    return planEncoding(verdict.profile, ladder, settings);
  }

  /** The CreateJob body the stand-in accepted (it answers 400 to what the model forbids). */
  async function jobOf(name: MediaFixtureName, settings: PlanSettings): Promise<Json> {
    const plan = await planOf(name, settings);
    await client.send(
      new CreateJobCommand(
        buildCreateJobRequest(
          { bucket: 'source-bucket', key: name, size: 1, eventName: 'ObjectCreated:Put', versionId: 'v1' },
          context,
          plan,
        ),
      ),
    );
    return stub.createJobRequests.at(-1) as Json;
  }

  it.each<[MediaFixtureName, string, 'HDR10' | 'HLG_2020', string[]]>([
    ['hdr10-pq-768x432.mp4', 'PQ', 'HDR10', ['_hdr432p', '_hdr360p']],
    ['iphone-hlg-hevc.mov', 'HLG', 'HLG_2020', ['_hdr1080p', '_hdr720p', '_hdr540p', '_hdr432p', '_hdr360p']],
  ])(
    '%s (%s) gets one CMAF group: the SDR H.264 ladder tone-mapped, an HEVC Main10 hvc1 ladder with colour passed through, one audio rendition',
    async (name, _transfer, colorSpace, hdrModifiers) => {
      // Act
      const job = await jobOf(name, HDR_LADDER);
      // Assess
      const groups = job.settings.outputGroups as Json[];
      expect(groups.map((g) => g.outputGroupSettings.type)).toEqual(['CMAF_GROUP_SETTINGS', 'FILE_GROUP_SETTINGS', 'FILE_GROUP_SETTINGS']);
      expect(groups[0]!.outputGroupSettings.cmafGroupSettings).toMatchObject({
        destination: expect.stringMatching(/\/hls\//),
        writeHlsManifest: 'ENABLED',
        writeDashManifest: 'DISABLED',
        segmentControl: 'SEGMENTED_FILES',
      });
      expect(job.settings.inputs[0].videoSelector).toMatchObject({ colorSpace, colorSpaceUsage: 'FALLBACK' });
      const outputs = groups[0]!.outputs as Json[];
      const h264 = outputs.filter((o) => o.videoDescription?.codecSettings.codec === 'H_264');
      const hevc = outputs.filter((o) => o.videoDescription?.codecSettings.codec === 'H_265');
      const audio = outputs.filter((o) => o.videoDescription === undefined);
      expect(h264.length).toBeGreaterThan(0);
      for (const o of h264) {
        expect(o.videoDescription.videoPreprocessors.colorCorrector.colorSpaceConversion).toBe('FORCE_709');
        expect(o.audioDescriptions).toBeUndefined();
        expect(o.containerSettings).toEqual({ container: 'CMFC', cmfcSettings: { iFrameOnlyManifest: 'INCLUDE' } });
      }
      expect(hevc.map((o) => o.nameModifier)).toEqual(hdrModifiers);
      for (const o of hevc) {
        expect(o.videoDescription.colorMetadata).toBe('INSERT');
        expect(o.containerSettings.cmfcSettings.iFrameOnlyManifest).toBe('INCLUDE');
        expect(o.videoDescription.videoPreprocessors?.colorCorrector).toBeUndefined();
        expect(o.videoDescription.codecSettings.h265Settings).toMatchObject({
          codecProfile: 'MAIN10_HIGH',
          codecLevel: 'LEVEL_5',
          writeMp4PackagingType: 'HVC1',
          rateControlMode: 'QVBR',
        });
      }
      expect(audio).toHaveLength(1);
      expect(audio[0]!.audioDescriptions[0].codecSettings.aacSettings.codecProfile).toBe('LC');
      // The MP4 stays SDR H.264; HEVC bills the whole job at the Professional tier.
      expect(groups[1]!.outputs[0].videoDescription.codecSettings.codec).toBe('H_264');
      expect(job.userMetadata[BILLING_TIER_METADATA_KEY]).toBe('PROFESSIONAL');
      // Trick play is on the HLS group only: no grid in the metadata, so job events promise no storyboard.
      expect(groups[0]!.outputGroupSettings.cmafGroupSettings.imageBasedTrickPlay).toBeUndefined();
      expect(job.userMetadata[TRICK_PLAY_METADATA_KEY]).toBeUndefined();
      expect(checkSettingsUnderstood(job.settings)).toEqual([]);
    },
  );

  it('with the default (tone-map) the HDR10 fixture keeps the MPEG-TS HLS group of H.264 only, on the Basic tier', async () => {
    // Act
    const job = await jobOf('hdr10-pq-768x432.mp4', BASIC_TIER_PLAN_SETTINGS);
    // Assess
    expect((job.settings.outputGroups as Json[])[0]!.outputGroupSettings.type).toBe('HLS_GROUP_SETTINGS');
    expect(JSON.stringify(job.settings)).not.toContain('H_265');
    expect(job.userMetadata[BILLING_TIER_METADATA_KEY]).toBe('BASIC');
  });

  it('an SDR source with the HDR ladder on keeps the HLS group, with its trick play', async () => {
    const job = await jobOf('webcam-640x480.mp4', HDR_LADDER);
    expect((job.settings.outputGroups as Json[])[0]!.outputGroupSettings.type).toBe('HLS_GROUP_SETTINGS');
    expect((job.settings.outputGroups as Json[])[0]!.outputGroupSettings.hlsGroupSettings.imageBasedTrickPlay).toBe('ADVANCED');
    expect(job.userMetadata[TRICK_PLAY_METADATA_KEY]).toEqual(expect.any(String));
  });

  it('the estimate of the HDR10 fixture with the ladder on bills its HEVC rungs, at the Professional rate, and names HEVC as an assumption', async () => {
    // Prepare
    const toneMapped = estimateCost(await planOf('hdr10-pq-768x432.mp4', BASIC_TIER_PLAN_SETTINGS), 60, MEDIACONVERT_PRICES);
    // Act
    const withLadder = estimateCost(await planOf('hdr10-pq-768x432.mp4', HDR_LADDER), 60, MEDIACONVERT_PRICES);
    // Assess
    expect(toneMapped.tier).toBe('BASIC');
    expect(withLadder.tier).toBe('PROFESSIONAL');
    expect(withLadder.outputs.map((o) => o.name)).toEqual(expect.arrayContaining(['hdr432p', 'hdr360p']));
    expect(withLadder.usd).toBeGreaterThan(toneMapped.usd * 3);
    expect(withLadder.assumptions?.join('\n')).toMatch(/HEVC/);
  });
});
