import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { BASIC_TIER_PLAN_SETTINGS } from '../lambda-src/encoding/encoding-plan';
import { DEFAULT_RUNGS, EncodingLadderSchema } from '../contracts/ladder';
import { MEDIACONVERT_PRICES } from '../contracts/pricing';
import { EstimateBasis, EstimateOptions, estimateSource, formatEstimate, parseEstimateArgs, profileOf } from '../scripts/lib/estimate';
import { PROJECT_ROOT } from '../stacks/lib/project-paths';

const BASIS: EstimateBasis = {
  environment: undefined,
  ladder: EncodingLadderSchema.parse({ rungs: [...DEFAULT_RUNGS] }),
  planSettings: BASIC_TIER_PLAN_SETTINGS,
  prices: MEDIACONVERT_PRICES,
};
const options = (overrides: Partial<EstimateOptions> = {}): EstimateOptions => ({
  minutes: 10,
  height: 720,
  fps: 30,
  portrait: false,
  hdr: false,
  ...overrides,
});

describe('parseEstimateArgs', () => {
  it.each<[string[], EstimateOptions]>([
    [['--minutes', '10', '--height', '720', '--fps', '30'], options()],
    [
      ['--minutes', '2.5', '--height', '1080', '--fps', '29.97', '--portrait', '--hdr', '--env', 'prod'],
      options({ minutes: 2.5, height: 1080, fps: 29.97, portrait: true, hdr: true, env: 'prod' }),
    ],
    [['--minutes=1', '--height=2160', '--fps=60'], options({ minutes: 1, height: 2160, fps: 60 })],
  ])('reads %j', (argv, expected) => {
    expect(parseEstimateArgs(argv)).toEqual(expected);
  });

  it.each<[string[], RegExp]>([
    [['--height', '720', '--fps', '30'], /--minutes is required/],
    [['--minutes', 'ten', '--height', '720', '--fps', '30'], /--minutes ten: expected a length in minutes/],
    [['--minutes', '0', '--height', '720', '--fps', '30'], /--minutes 0/],
    [['--minutes', '10', '--height', '720.5', '--fps', '30'], /--height 720\.5: expected whole lines/],
    [['--minutes', '10', '--height', '720', '--fps', '500'], /--fps 500/],
    [['--minutes', '10', '--height', '720', '--fps', '30', '--width', '1280'], /Unknown option '--width'/],
    [['--minutes', '10', '--height', '720', '--fps', '30', 'extra'], /positional/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseEstimateArgs(argv)).toThrow(message);
  });
});

describe('estimateSource', () => {
  it.each<[string, Partial<EstimateOptions>, EstimateBasis, { size: string; perMinute: number; tier: string }]>([
    // 720p30: 720p + MP4 HD (2 x 2) + 480p, 360p and two captures SD (4) = 8 normalized per minute.
    ['a 720p30 source', {}, BASIS, { size: '1280x720', perMinute: 0.06, tier: 'BASIC' }],
    // 2.5 min = 150 s: no rounding; the same 8 per minute.
    ['fractional minutes', { minutes: 2.5 }, BASIS, { size: '1280x720', perMinute: 0.06, tier: 'BASIC' }],
    // 1080p60: 1080p, 720p, MP4 HD x2 (12) + 480p, 360p SD x2 (4) + captures (2) = 18.
    // Above 540 lines at 59.94 (x2), 540 lines and below at 29.97 (Apple's table), one capture output.
    ['a 1080p source above 30 fps', { height: 1080, fps: 59.94 }, BASIS, { size: '1920x1080', perMinute: 0.12, tier: 'BASIC' }],
    // A 4K source gets the ladder's top, 1080p: never more than the ladder.
    ['a UHD source', { height: 2160 }, BASIS, { size: '3840x2160', perMinute: 0.075, tier: 'BASIC' }],
    ['a portrait phone video', { portrait: true }, BASIS, { size: '720x1280', perMinute: 0.06, tier: 'BASIC' }],
    [
      'an environment that accelerates: Professional tier',
      {},
      { ...BASIS, planSettings: { acceleration: { mode: 'PREFERRED', minSourceMinutes: 0 } } },
      { size: '1280x720', perMinute: 0.18, tier: 'PROFESSIONAL' },
    ],
  ])('prices %s', (_case, overrides, basis, expected) => {
    // Act
    const { profile, cost } = estimateSource(options(overrides), basis);

    // Assess
    expect(`${profile.displayWidth}x${profile.displayHeight}`).toBe(expected.size);
    expect(cost.usd / (profile.durationSeconds / 60)).toBeCloseTo(expected.perMinute, 6);
    expect(cost.tier).toBe(expected.tier);
  });

  it('describes HDR as 10-bit HLG and fractional rates as a fraction', () => {
    expect(profileOf(options({ hdr: true, fps: 29.97 }))).toEqual(
      expect.objectContaining({ hdr: 'HLG', bitDepth: 10, frameRate: { numerator: 29970, denominator: 1000 } }),
    );
  });
});

describe('formatEstimate', () => {
  it('prints every output with its size and class, the tier, and the cost per minute and in total', () => {
    // Act
    const text = formatEstimate(options(), BASIS);

    // Assess
    expect(text).toMatch(/^Source: 10 min, 1280x720, 30 fps$/m);
    expect(text).toMatch(/BASIC tier \(acceleration DISABLED\)/);
    expect(text).toMatch(/^ {2}720p +1280x720 +HD +\$0\.0150 +QVBR 8, max 3 Mb\/s, 30 fps, level 3\.1, AAC-LC 128 kb\/s$/m);
    expect(text).toMatch(/^ {2}234p +416x234 +SD +\$0\.0075 +QVBR 6, max 0\.4 Mb\/s, 30 fps, level 1\.3, HE-AAC 64 kb\/s$/m);
    expect(text).toMatch(/^ {2}thumbnails .*the poster is one of them/m);
    expect(text).toMatch(/^ {2}mp4 720p +1280x720 +HD/m);
    expect(text).toMatch(/^Estimated cost: \$0\.0600 per source minute, \$0\.6000 for 10 min/m);
  });
});

describe('npm run estimate', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/estimate.ts', ...args], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
    });

  it("prints the plan and cost of an environment's config", () => {
    // Act
    const result = run('--minutes', '10', '--height', '720', '--fps', '30', '--env', 'prod');

    // Assess
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Config: environment prod; prices of 2024-09/m);
    expect(result.stdout).toMatch(/\$0\.6000 for 10 min/);
  });

  it.each([
    [['--minutes', '10'], /--height is required/],
    [
      ['--minutes', '10', '--height', '720', '--fps', '30', '--env', 'staging'],
      /--env staging: no such environment; use one of dev, prod, local/,
    ],
  ])('answers %j with what is wrong and the usage, exit code 2', (args, message) => {
    // Act
    const result = run(...args);

    // Assess
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/Usage: npm run estimate -- --minutes <n>/);
    expect(result.stdout).toBe('');
  });
});
