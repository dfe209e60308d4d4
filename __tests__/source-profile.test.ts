import { MediaConvertClient, ProbeCommand, ProbeResult } from '@aws-sdk/client-mediaconvert';
import { readMp4Rotation } from '../lambda-src/encoding/mp4-rotation';
import {
  SourceProfile,
  hasMp4Header,
  parseSourceSummary,
  serializeSourceSummary,
  summarizeProbe,
  summarizeSource,
} from '../lambda-src/encoding/source-profile';
import { MediaConvertStub, startMediaConvertStub } from './support/mediaconvert/server';
import { MediaFixtureName, readMediaFixture, recordingReader } from './support/media-fixtures';

let stub: MediaConvertStub;
let rotatingStub: MediaConvertStub;
const clients: MediaConvertClient[] = [];
const readFixtureObject = async (_bucket: string, key: string) => readMediaFixture(key as MediaFixtureName);

/** Probe through the SDK against the stand-in, which answers from what ffprobe saw of the file. */
async function probe(name: MediaFixtureName, on: MediaConvertStub = stub): Promise<ProbeResult | undefined> {
  const client = new MediaConvertClient({ region: 'us-east-1', endpoint: on.url, credentials: { accessKeyId: 'k', secretAccessKey: 's' } });
  clients.push(client);
  const response = await client.send(new ProbeCommand({ InputFiles: [{ FileUrl: `s3://source-bucket/${name}` }] }));
  return response.ProbeResults?.[0];
}

/** What the submit function does: Probe, then the header rotation for MP4/MOV when Probe gives none. */
async function profileOf(name: MediaFixtureName) {
  const result = await probe(name);
  const file = readMediaFixture(name);
  const reading = hasMp4Header(result?.Container?.Format) ? await readMp4Rotation(recordingReader(file).readRange, file.length) : undefined;
  return summarizeProbe(result, reading?.rotation);
}

beforeAll(async () => {
  stub = await startMediaConvertStub({ log: () => undefined, reader: readFixtureObject });
  rotatingStub = await startMediaConvertStub({ log: () => undefined, reader: readFixtureObject, reportRotation: true });
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await stub.close();
  await rotatingStub.close();
});

describe('summarizeProbe with real fixtures', () => {
  it.each<[MediaFixtureName, Partial<SourceProfile>]>([
    [
      'phone-portrait-rotated.mov',
      {
        container: 'quicktime',
        displayWidth: 1080,
        displayHeight: 1920,
        storedWidth: 1920,
        storedHeight: 1080,
        rotation: 90,
        hasAudio: true,
      },
    ],
    ['1080p60.mp4', { container: 'mp4', displayWidth: 1920, displayHeight: 1080, frameRate: { numerator: 60, denominator: 1 } }],
    ['webcam-640x480.mp4', { displayWidth: 640, displayHeight: 480, durationSeconds: 3, scanType: 'progressive', hdr: undefined }],
    ['silent-720p.mp4', { displayWidth: 1280, displayHeight: 720, hasAudio: false }],
    ['camcorder-1080i.m2ts', { container: 'mpegts', displayWidth: 1920, displayHeight: 1080, scanType: 'interlaced', rotation: 0 }],
    ['iphone-hlg-hevc.mov', { container: 'quicktime', hdr: 'HLG', bitDepth: 10, displayWidth: 1920, displayHeight: 1080 }],
    [
      'hdv-anamorphic-1440x1080.mp4',
      { storedWidth: 1440, displayWidth: 1920, displayHeight: 1080, pixelAspectRatio: { numerator: 4, denominator: 3 } },
    ],
    ['portrait-720x1280.mp4', { displayWidth: 720, displayHeight: 1280, rotation: 0, variableFrameRate: false }],
  ])('profiles %s as what it is', async (name, expected) => {
    // Act
    const verdict = await profileOf(name);

    // Assess
    expect(verdict).toEqual({ kind: 'usable', profile: expect.objectContaining(expected) });
  });

  it('calls random bytes named .mp4 not media, with a reason a person can act on', async () => {
    const verdict = await profileOf('not-a-video.mp4');

    expect(verdict).toEqual({ kind: 'not-media', reason: expect.stringMatching(/not a video\. Upload a video file/) });
  });

  it("takes Probe's rotation when the service reports it, without the header", async () => {
    const verdict = summarizeProbe(await probe('phone-portrait-rotated.mov', rotatingStub), undefined);

    expect(verdict).toEqual({
      kind: 'usable',
      profile: expect.objectContaining({ rotation: 90, displayWidth: 1080, displayHeight: 1920 }),
    });
  });
});

describe('summarizeProbe', () => {
  const video = (props: Record<string, unknown> = {}) => ({
    TrackType: 'video' as const,
    VideoProperties: { Width: 1920, Height: 1080, FrameRate: { Numerator: 30, Denominator: 1 }, ...props },
  });
  const result = (tracks: unknown[], extra: Record<string, unknown> = {}): ProbeResult =>
    ({ Container: { Format: 'mp4', Duration: 10, Tracks: tracks, ...extra } }) as ProbeResult;

  it.each<[string, string, ProbeResult | undefined, number | undefined]>([
    ['no result at all', 'not-understood', undefined, 0],
    ['an audio-only file', 'not-media', result([{ TrackType: 'audio' }]), 0],
    ['a data-only file', 'not-media', result([{ TrackType: 'data' }]), 0],
    ['a video track without a size', 'not-understood', result([{ TrackType: 'video', VideoProperties: {} }]), 0],
    ['no duration anywhere', 'not-understood', result([video()], { Duration: undefined }), 0],
    ['an MP4 whose rotation could not be read', 'not-understood', result([video()]), undefined],
    ['an MKV without rotation (no MP4 header to read)', 'usable', result([video()], { Format: 'matroska' }), undefined],
    ['a plain 1080p30 MP4', 'usable', result([video()]), 0],
  ])('calls %s "%s"', (_case, kind, probeResult, rotation) => {
    expect(summarizeProbe(probeResult, rotation as 0 | undefined).kind).toBe(kind);
  });

  it.each([
    [
      'container and coded rates that differ (a phone VFR clip)',
      { CodecMetadata: { CodedFrameRate: { Numerator: 60, Denominator: 1 } } },
      true,
    ],
    ['equal rates', { CodecMetadata: { CodedFrameRate: { Numerator: 30, Denominator: 1 } } }, false],
  ])('marks %s as variable frame rate: %s', (_case, props, variable) => {
    const verdict = summarizeProbe(result([video(props)]), 0);

    expect(verdict.kind === 'usable' && verdict.profile.variableFrameRate).toBe(variable);
  });

  it.each([
    ['SMPTE_2084 (HDR10, Dolby Vision base)', 'PQ', 'SMPTE_2084'],
    ['ARIB_B67', 'HLG', 'ARIB_B67'],
    ['ITU_709', undefined, 'ITU_709'],
  ])('reads transfer %s as HDR %s', (_case, hdr, transfer) => {
    const verdict = summarizeProbe(result([video({ CodecMetadata: { TransferCharacteristics: transfer } })]), 0);

    expect(verdict.kind === 'usable' && verdict.profile.hdr).toBe(hdr);
  });

  it('summarizes a profile for the record and the notification', async () => {
    const verdict = await profileOf('phone-portrait-rotated.mov');

    expect(verdict.kind === 'usable' && summarizeSource(verdict.profile)).toEqual({
      width: 1080,
      height: 1920,
      durationMs: 2000,
      fps: 30,
      audio: true,
      hdr: null,
      interlaced: false,
      rotation: 90,
    });
  });

  it('round-trips the summary through UserMetadata within its 256-character limit', async () => {
    // Prepare
    const verdict = await profileOf('iphone-hlg-hevc.mov');
    const summary = verdict.kind === 'usable' ? summarizeSource(verdict.profile) : undefined;

    // Act
    const text = serializeSourceSummary(summary!);

    // Assess
    expect(text.length).toBeLessThanOrEqual(256);
    expect(parseSourceSummary(text)).toEqual(summary);
  });
});
