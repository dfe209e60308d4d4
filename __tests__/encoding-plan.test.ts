import {
  BASIC_TIER_PLAN_SETTINGS,
  accelerationFor,
  capFrameRate,
  planEncoding,
  thumbnailInterval,
} from '../lambda-src/encoding/encoding-plan';
import { PlanSettings } from '../contracts/functions/submit-job';
import { posterThumbnailIndex } from '../contracts/storage-layout';
import { DEFAULT_RUNGS, EncodingLadderSchema } from '../contracts/ladder';
import { SourceProfile, describeSource } from '../lambda-src/encoding/source-profile';

const ladder = EncodingLadderSchema.parse({ rungs: [...DEFAULT_RUNGS] });

/** A 1080p30 landscape MP4 with audio, changed by `overrides`. */
const source = (overrides: Partial<SourceProfile> = {}): SourceProfile => describeSource(overrides);

const sizes = (profile: SourceProfile | undefined) =>
  planEncoding(profile, ladder, BASIC_TIER_PLAN_SETTINGS).renditions.map((r) => `${r.name}:${r.width}x${r.height}`);

describe('planEncoding', () => {
  it.each<[string, Partial<SourceProfile>, string[]]>([
    ['a 1080p source gets the whole ladder', {}, ['1080p:1920x1080', '720p:1280x720', '480p:854x480', '360p:640x360', '234p:416x234']],
    [
      'a 640x480 webcam clip is never upscaled',
      { displayWidth: 640, displayHeight: 480 },
      ['480p:640x480', '360p:480x360', '234p:312x234'],
    ],
    ['a 320x240 clip gets one rendition at its own size', { displayWidth: 320, displayHeight: 240 }, ['234p:320x240']],
    ['odd sizes round down to even', { displayWidth: 321, displayHeight: 241 }, ['234p:320x240']],
    [
      'a portrait phone video gets portrait renditions of the same pixel budget',
      { displayWidth: 1080, displayHeight: 1920, rotation: 90 },
      ['1080p:1080x1920', '720p:720x1280', '480p:480x854', '360p:360x640', '234p:234x416'],
    ],
    [
      'a native 720x1280 portrait source stops at its own size',
      { displayWidth: 720, displayHeight: 1280 },
      ['720p:720x1280', '480p:480x854', '360p:360x640', '234p:234x416'],
    ],
    [
      'a 4K source is capped at the top rung',
      { displayWidth: 3840, displayHeight: 2160 },
      ['1080p:1920x1080', '720p:1280x720', '480p:854x480', '360p:640x360', '234p:416x234'],
    ],
    [
      'a 2.39:1 film fits the rung width',
      { displayWidth: 1920, displayHeight: 804 },
      ['1080p:1920x804', '720p:1280x536', '480p:854x358', '360p:640x268', '234p:416x174'],
    ],
    [
      'a square source stays square',
      { displayWidth: 1080, displayHeight: 1080 },
      ['1080p:1080x1080', '720p:720x720', '480p:480x480', '360p:360x360', '234p:234x234'],
    ],
  ])('%s', (_case, overrides, expected) => {
    expect(sizes(source(overrides))).toEqual(expected);
  });

  it.each<[string, string, Partial<SourceProfile>]>([
    ['MP4 from a phone: the matrix applies', 'AUTO', { container: 'quicktime', rotation: 90 }],
    ['MP4 without rotation', 'AUTO', {}],
    ['MPEG-TS (no MP4 matrix for AUTO to read)', 'DEGREE_0', { container: 'mpegts' }],
    ['Matroska with a reported rotation', 'DEGREES_270', { container: 'matroska', rotation: 270 }],
  ])('rotates %s with %s', (_case, rotate, overrides) => {
    expect(planEncoding(source(overrides), ladder, BASIC_TIER_PLAN_SETTINGS).rotate).toBe(rotate);
  });

  it.each<[string, Partial<SourceProfile>, Partial<ReturnType<typeof planEncoding>>]>([
    ['a silent source has no audio', { hasAudio: false }, { audio: false }],
    ['an interlaced source is deinterlaced', { scanType: 'interlaced' }, { deinterlace: true }],
    ['a source of unknown scan is deinterlaced adaptively (ProRes, DV: Probe is silent)', { scanType: 'unknown' }, { deinterlace: true }],
    ['a progressive source too, as ADAPTIVE/NORMAL leaves its frames alone', {}, { deinterlace: true, toneMapFrom: undefined }],
    ['an HLG source is tone-mapped', { hdr: 'HLG', bitDepth: 10 }, { toneMapFrom: 'HLG' }],
    [
      'a 60 fps source keeps 60 fps on the top rung',
      { frameRate: { numerator: 60, denominator: 1 } },
      { frameRate: { numerator: 60, denominator: 1 }, outputFps: 60 },
    ],
    [
      'a 120 fps slow-motion source is brought to 60',
      { frameRate: { numerator: 120, denominator: 1 } },
      { frameRate: { numerator: 60, denominator: 1 } },
    ],
    ['a 240 fps source is brought to 60', { frameRate: { numerator: 240, denominator: 1 } }, { outputFps: 60 }],
  ])('%s', (_case, overrides, expected) => {
    expect(planEncoding(source(overrides), ladder, BASIC_TIER_PLAN_SETTINGS)).toEqual(expect.objectContaining(expected));
  });

  it('makes the MP4 the best rendition the source supports, named like that rendition', () => {
    const plan = planEncoding(source({ displayWidth: 640, displayHeight: 480 }), ladder, BASIC_TIER_PLAN_SETTINGS);

    expect(plan.mp4).toEqual(expect.objectContaining({ name: '480p', width: 640, height: 480 }));
  });

  it('sizes thumbnails to the configured long side, following orientation', () => {
    const landscape = planEncoding(source(), ladder, BASIC_TIER_PLAN_SETTINGS).thumbnails;
    const portrait = planEncoding(source({ displayWidth: 1080, displayHeight: 1920 }), ladder, BASIC_TIER_PLAN_SETTINGS).thumbnails;

    expect([landscape.width, landscape.height]).toEqual([640, 360]);
    expect([portrait.width, portrait.height]).toEqual([360, 640]);
  });

  it.each([
    [1, 0],
    [2, 1],
    [9, 1],
    [10, 2],
    [200, 40],
  ])('takes the poster from the thumbnails: of %i, number %i (0-based), never a capture output of its own', (count, index) => {
    expect(posterThumbnailIndex(count)).toBe(index);
    expect(JSON.stringify(planEncoding(source(), ladder, BASIC_TIER_PLAN_SETTINGS))).not.toMatch(/poster/);
  });

  it('falls back to FIT_NO_UPSCALE boxes of each rung long side with Rotate AUTO for an unknown source', () => {
    // Act
    const plan = planEncoding(undefined, ladder, BASIC_TIER_PLAN_SETTINGS);

    // Assess
    expect(plan).toEqual(expect.objectContaining({ basis: 'fallback', rotate: 'AUTO', audio: true, deinterlace: true }));
    expect(plan.renditions.map((r) => [r.width, r.height, r.scaling])).toEqual([
      [1920, 1920, 'FIT_NO_UPSCALE'],
      [1280, 1280, 'FIT_NO_UPSCALE'],
      [854, 854, 'FIT_NO_UPSCALE'],
      [640, 640, 'FIT_NO_UPSCALE'],
      [416, 416, 'FIT_NO_UPSCALE'],
    ]);
    expect(plan.thumbnails).toEqual(expect.objectContaining({ width: 640, height: 640, scaling: 'FIT_NO_UPSCALE' }));
  });

  it('never plans an output above the source in either dimension, for any rung and shape', () => {
    for (const [w, h] of [
      [100, 100],
      [4096, 2160],
      [1440, 1080],
      [720, 576],
      [1080, 2340],
      [3000, 200],
    ] as const) {
      for (const r of planEncoding(source({ displayWidth: w, displayHeight: h }), ladder, BASIC_TIER_PLAN_SETTINGS).renditions) {
        expect(r.width).toBeLessThanOrEqual(w);
        expect(r.height).toBeLessThanOrEqual(h);
        expect((r.width % 2) + (r.height % 2)).toBe(0);
      }
    }
  });
});

describe('thumbnailInterval', () => {
  it.each([
    // [duration s, interval s, captures]
    [2, 5, 1],
    [60, 5, 13],
    [1000, 5, 200],
    [7200, 36, 200],
    [36_000, 180, 200],
  ])('covers %i s with one capture every %i s, %i captures', (duration, interval, captures) => {
    // Act
    const plan = thumbnailInterval(duration, ladder);

    // Assess: the last capture is within one interval of the end.
    expect(plan).toEqual({ intervalSeconds: interval, maxCaptures: captures });
    expect((plan.maxCaptures - 1) * plan.intervalSeconds).toBeGreaterThanOrEqual(duration - plan.intervalSeconds);
  });
});

describe('capFrameRate', () => {
  it.each([
    [30, 1, undefined],
    [60000, 1001, undefined],
    [120, 1, '60/1'],
    [240, 1, '60/1'],
    [120000, 1001, '60000/1001'],
    [100, 1, '50/1'],
    [90, 1, '45/1'],
  ])('caps %i/%i to %s', (numerator, denominator, expected) => {
    const capped = capFrameRate({ numerator, denominator });

    expect(capped && `${capped.numerator}/${capped.denominator}`).toBe(expected);
  });
});

describe('accelerationFor', () => {
  const rule = (mode: PlanSettings['acceleration']['mode'], minSourceMinutes = 0) => ({ mode, minSourceMinutes });

  it.each<[string, string, PlanSettings['acceleration'], number | undefined]>([
    ['the default policy', 'DISABLED', BASIC_TIER_PLAN_SETTINGS.acceleration, 3600],
    ['PREFERRED for every source', 'PREFERRED', rule('PREFERRED'), 60],
    ['PREFERRED from 20 min, a 30 min source', 'PREFERRED', rule('PREFERRED', 20), 1800],
    ['PREFERRED from 20 min, a 5 min source', 'DISABLED', rule('PREFERRED', 20), 300],
    ['ENABLED from 20 min, a source of unknown length', 'DISABLED', rule('ENABLED', 20), undefined],
  ])('gives %s: %s', (_case, expected, policy, duration) => {
    expect(accelerationFor(policy, duration)).toBe(expected);
  });
});
