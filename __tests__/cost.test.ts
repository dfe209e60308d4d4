import {
  BilledOutput,
  billedOutputsOf,
  billingTierOf,
  estimateCompletedJobCost,
  estimateCost,
  planFeatures,
  resolutionClass,
} from '../lambda-src/cost/cost';
import { BillingTier } from '../contracts/job-metadata';
import { BASIC_TIER_PLAN_SETTINGS, planEncoding } from '../lambda-src/encoding/encoding-plan';
import { DEFAULT_RUNGS, EncodingLadderSchema } from '../contracts/ladder';
import { MEDIACONVERT_PRICES, PriceTableSchema } from '../contracts/pricing';
import { SourceProfile, describeSource } from '../lambda-src/encoding/source-profile';
import { COST_CORPUS, costRows, formatCostTable, formatHdrLadderTable } from '../scripts/lib/cost-report';

const ladder = EncodingLadderSchema.parse({ rungs: [...DEFAULT_RUNGS] });
const source = (overrides: Partial<SourceProfile> = {}): SourceProfile => describeSource({ durationSeconds: 600, ...overrides });

describe('resolutionClass', () => {
  it.each([
    [640, 360, 'SD'],
    [854, 480, 'SD'],
    [1280, 720, 'HD'],
    [720, 1280, 'HD'],
    [1920, 1080, 'HD'],
    [2560, 1440, 'UHD'],
    [3840, 2160, 'UHD'],
  ])('classes %ix%i as %s', (width, height, expected) => {
    expect(resolutionClass(width, height, MEDIACONVERT_PRICES)).toBe(expected);
  });
});

describe('estimateCost', () => {
  it.each<[string, Partial<SourceProfile>, typeof BASIC_TIER_PLAN_SETTINGS, number, string]>([
    // 1080p30, 10 min: HD 1080p+720p+MP4 (3 x 2) + SD 480p+360p+234p (3) + 1 capture output (the poster is a thumbnail) = 10 per minute.
    ['a 1080p30 source for 10 min on Basic', {}, BASIC_TIER_PLAN_SETTINGS, 0.75, 'BASIC'],
    [
      'a 1080p60 source: the outputs above 540 lines count twice, those at 540 and below run at 30 fps and count once',
      { frameRate: { numerator: 60, denominator: 1 } },
      BASIC_TIER_PLAN_SETTINGS,
      1.2,
      'BASIC',
    ],
    ['a 480p source: two SD renditions and an SD MP4', { displayWidth: 854, displayHeight: 480 }, BASIC_TIER_PLAN_SETTINGS, 0.375, 'BASIC'],
    [
      'an accelerated job: every output at the Professional rate',
      {},
      { ...BASIC_TIER_PLAN_SETTINGS, acceleration: { mode: 'PREFERRED', minSourceMinutes: 0 } },
      2.25,
      'PROFESSIONAL',
    ],
    ['a 3 s clip: billed as 10 s per output', { durationSeconds: 3 }, BASIC_TIER_PLAN_SETTINGS, 0.0125, 'BASIC'],
  ])('estimates %s', (_case, overrides, settings, usd, tier) => {
    // Prepare
    const profile = source(overrides);

    // Act
    const estimate = estimateCost(planEncoding(profile, ladder, settings), profile.durationSeconds, MEDIACONVERT_PRICES);

    // Assess
    expect(estimate.usd).toBeCloseTo(usd, 6);
    expect(estimate.tier).toBe(tier);
    expect(estimate.pricesAsOf).toBe(MEDIACONVERT_PRICES.asOf);
  });
});

describe('cost report', () => {
  it('costs every corpus source less per minute than the old fixed job with PREFERRED acceleration', () => {
    // Act
    const rows = costRows();

    // Assess
    expect(rows.map((r) => r.label)).toEqual(COST_CORPUS.map((c) => c.label));
    for (const row of rows) expect(row.ratio).toBeLessThan(1);
  });

  it('shows the starting point (31d5fa9) from the frozen table for every corpus source', () => {
    for (const row of costRows()) expect(row.startPerMinute).toEqual(expect.any(Number));
  });

  it('prints what the HDR ladder adds for the HDR10 fixture: its two HEVC rungs at the Professional rate', () => {
    expect(formatHdrLadderTable()).toContain(
      '| HDR10 768x432 (the hdr10-pq fixture), 1 min | $0.0375 | $0.1575 (2 HEVC rungs, PROFESSIONAL) | 4.20 |',
    );
  });

  it('prints a Markdown table with the price date', () => {
    expect(formatCostTable(costRows())).toMatch(
      /^\| source \|[\s\S]*\| 1080p60, 5 min \| \$0\.1200 \| \$0\.1350 \| \$0\.4050 \| 0\.89 \| 0\.30 \|[\s\S]*as of 2024-09/,
    );
  });
});

describe('billedOutputsOf', () => {
  it('lists every output with a duration, frame captures told apart by their .jpg files', () => {
    // Prepare
    const groups = [
      {
        type: 'HLS_GROUP',
        playlistFilePaths: ['s3://out/a/hls/a.m3u8'],
        outputDetails: [
          { outputFilePaths: ['s3://out/a/hls/a_720p.m3u8'], durationInMs: 60_000, videoDetails: { widthInPx: 1280, heightInPx: 720 } },
        ],
      },
      {
        type: 'FILE_GROUP',
        playlistFilePaths: [],
        outputDetails: [
          { outputFilePaths: ['s3://out/a/mp4/a_720p.mp4'], durationInMs: 60_000, videoDetails: { widthInPx: 1280, heightInPx: 720 } },
          {
            outputFilePaths: ['s3://out/a/thumbnails/a_thumb.0000011.jpg'],
            durationInMs: 61_000,
            videoDetails: { widthInPx: 640, heightInPx: 360 },
          },
          { outputFilePaths: ['s3://out/a/thumbnails/a_poster.0000001.jpg'] },
        ],
      },
    ];

    // Act
    const outputs = billedOutputsOf(groups);

    // Assess
    expect(outputs).toEqual([
      { durationMs: 60_000, width: 1280, height: 720, frameCapture: false },
      { durationMs: 60_000, width: 1280, height: 720, frameCapture: false },
      { durationMs: 61_000, frameCapture: true },
    ]);
  });
});

describe('billedOutputsOf a CMAF group (the HDR ladder)', () => {
  it('bills its video renditions and leaves its audio-only rendition out', () => {
    // Prepare
    const groups = [
      {
        type: 'CMAF_GROUP',
        playlistFilePaths: ['s3://out/a/hls/a.m3u8'],
        outputDetails: [
          { outputFilePaths: ['s3://out/a/hls/a_480p.m3u8'], durationInMs: 1_000, videoDetails: { widthInPx: 768, heightInPx: 432 } },
          { outputFilePaths: ['s3://out/a/hls/a_hdr432p.m3u8'], durationInMs: 1_000, videoDetails: { widthInPx: 768, heightInPx: 432 } },
          { outputFilePaths: ['s3://out/a/hls/a_audio.m3u8'], durationInMs: 1_000 },
        ],
      },
    ];
    // Act
    const outputs = billedOutputsOf(groups);
    // Assess
    expect(outputs).toHaveLength(2);
    expect(outputs.every((o) => o.width === 768 && !o.frameCapture)).toBe(true);
  });
});

describe('estimateCompletedJobCost', () => {
  const video = (width: number, height: number, seconds: number): BilledOutput => ({
    durationMs: seconds * 1000,
    width,
    height,
    frameCapture: false,
  });
  const capture = (seconds: number): BilledOutput => ({ durationMs: seconds * 1000, frameCapture: true });
  const ladder1080 = (seconds: number) => [
    video(1920, 1080, seconds),
    video(1280, 720, seconds),
    video(854, 480, seconds),
    video(640, 360, seconds),
    video(1920, 1080, seconds),
    capture(seconds),
    capture(seconds),
  ];

  it.each<[string, BilledOutput[], BillingTier, number | undefined, { outputMinutes: number; normalizedMinutes: number; usd: number }]>([
    // 3 HD (x2) + 2 SD + 2 captures = 10 normalized minutes per minute.
    ['the default 1080p30 ladder for 10 min', ladder1080(600), 'BASIC', 30, { outputMinutes: 70, normalizedMinutes: 100, usd: 0.75 }],
    // 95.5 s is billed as 96 s = 1.6 min.
    [
      'a fractional minute, rounded up to the second',
      [video(1280, 720, 95.5)],
      'BASIC',
      30,
      { outputMinutes: 1.6, normalizedMinutes: 3.2, usd: 0.024 },
    ],
    // Video outputs x2 above 30 fps; captures are not.
    [
      'a 60 fps job: video outputs count twice',
      [video(1280, 720, 60), capture(60)],
      'BASIC',
      60,
      { outputMinutes: 2, normalizedMinutes: 5, usd: 0.0375 },
    ],
    ['29.97 fps stays at the normal rate', [video(1280, 720, 60)], 'BASIC', 29.97, { outputMinutes: 1, normalizedMinutes: 2, usd: 0.015 }],
    ['a UHD output counts four times', [video(3840, 2160, 60)], 'BASIC', 30, { outputMinutes: 1, normalizedMinutes: 4, usd: 0.03 }],
    ['a portrait 720x1280 output is HD', [video(720, 1280, 60)], 'BASIC', 30, { outputMinutes: 1, normalizedMinutes: 2, usd: 0.015 }],
    [
      'a Professional-tier job: every output at the Pro rate',
      [video(1280, 720, 60), capture(60)],
      'PROFESSIONAL',
      30,
      { outputMinutes: 2, normalizedMinutes: 3, usd: 0.0675 },
    ],
    [
      'a 3 s output is billed as 10 s',
      [video(640, 360, 3)],
      'BASIC',
      30,
      { outputMinutes: 10 / 60, normalizedMinutes: 10 / 60, usd: 0.00125 },
    ],
    [
      'a video output without a size counts as HD',
      [{ durationMs: 60_000, frameCapture: false }],
      'BASIC',
      30,
      { outputMinutes: 1, normalizedMinutes: 2, usd: 0.015 },
    ],
    [
      'an unknown frame rate counts at the normal rate',
      [video(1280, 720, 60)],
      'BASIC',
      undefined,
      { outputMinutes: 1, normalizedMinutes: 2, usd: 0.015 },
    ],
  ])('estimates %s', (_case, outputs, tier, fps, expected) => {
    // Act
    const cost = estimateCompletedJobCost(outputs, { tier, fps }, MEDIACONVERT_PRICES);

    // Assess
    expect(cost.outputMinutes).toBeCloseTo(expected.outputMinutes, 6);
    expect(cost.normalizedMinutes).toBeCloseTo(expected.normalizedMinutes, 6);
    expect(cost.usd).toBeCloseTo(expected.usd, 8);
    expect(cost.tier).toBe(tier);
  });

  it('prices with the table it is given', () => {
    // Prepare
    const prices = { ...MEDIACONVERT_PRICES, basicPerNormalizedMinute: 0.01 };

    // Act
    const cost = estimateCompletedJobCost([video(1280, 720, 60)], { tier: 'BASIC', fps: 30 }, prices);

    // Assess
    expect(cost.usd).toBeCloseTo(0.02, 8);
  });
});

describe('billingTierOf', () => {
  it.each([
    ['DISABLED', 'BASIC'],
    ['ENABLED', 'PROFESSIONAL'],
    ['PREFERRED', 'PROFESSIONAL'],
  ] as const)('bills a job with acceleration %s at the %s tier', (mode, tier) => {
    expect(billingTierOf(mode)).toBe(tier);
  });
});

describe('planFeatures', () => {
  it.each<[string, Partial<SourceProfile>, typeof BASIC_TIER_PLAN_SETTINGS, string[], string]>([
    [
      'a 1080p30 source',
      {},
      BASIC_TIER_PLAN_SETTINGS,
      [
        'H.264 QVBR, SINGLE_PASS_HQ',
        'image-based trick play (HLS)',
        'adaptive deinterlacer (every probed job)',
        'HE-AAC audio (weak-network rung)',
      ],
      'BASIC',
    ],
    [
      'an HLG source, accelerated',
      { hdr: 'HLG', bitDepth: 10 },
      { acceleration: { mode: 'PREFERRED', minSourceMinutes: 0 } },
      [
        'H.264 QVBR, SINGLE_PASS_HQ',
        'image-based trick play (HLS)',
        'accelerated transcoding (ENABLED or PREFERRED)',
        'adaptive deinterlacer (every probed job)',
        'HDR-to-SDR tone mapping (ColorCorrector)',
        'HE-AAC audio (weak-network rung)',
      ],
      'PROFESSIONAL',
    ],
  ])(
    'names the tier of every feature %s uses, and lists the unconfirmed ones as assumptions',
    (_case, overrides, settings, features, tier) => {
      const plan = planEncoding(source(overrides), ladder, settings);

      const estimate = estimateCost(plan, 600, MEDIACONVERT_PRICES);

      expect(planFeatures(plan).map((f) => f.feature)).toEqual(features);
      expect(estimate.tier).toBe(tier);
      expect(estimate.assumptions).toEqual(
        planFeatures(plan)
          .filter((f) => !f.confirmed)
          .map((f) => `${f.feature} billed at ${f.tier}`),
      );
    },
  );

  it('refuses a Professional rate below the Basic one instead of assuming a multiplier', () => {
    const result = PriceTableSchema.safeParse({ basicPerNormalizedMinute: 0.0075, professionalPerNormalizedMinute: 0.005 });

    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toMatch(/must not be below basicPerNormalizedMinute/);
  });
});
