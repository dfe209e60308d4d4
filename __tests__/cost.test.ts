import { estimateCost, resolutionClass } from '../lambda-src/lib/cost';
import { BASIC_TIER_PLAN_SETTINGS, planEncoding } from '../lambda-src/lib/encoding-plan';
import { DEFAULT_RUNGS, EncodingLadderSchema } from '../lambda-src/lib/ladder';
import { MEDIACONVERT_PRICES } from '../lambda-src/lib/pricing';
import { SourceProfile, describeSource } from '../lambda-src/lib/source-profile';
import { COST_CORPUS, costRows, formatCostTable } from '../scripts/lib/cost-report';

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
    // 1080p30, 10 min: HD 1080p+720p+MP4 (3 x 2) + SD 480p+360p (2) + 2 captures = 10 normalized per minute.
    ['a 1080p30 source for 10 min on Basic', {}, BASIC_TIER_PLAN_SETTINGS, 0.75, 'BASIC'],
    [
      'a 1080p60 source: video outputs count twice',
      { frameRate: { numerator: 60, denominator: 1 } },
      BASIC_TIER_PLAN_SETTINGS,
      1.35,
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

  it('prints a Markdown table with the price date', () => {
    expect(formatCostTable(costRows())).toMatch(
      /^\| source \|[\s\S]*\| 1080p60, 5 min \| \$0\.1350 \| \$0\.4050 \| 0\.33 \|[\s\S]*as of 2024-09/,
    );
  });
});
