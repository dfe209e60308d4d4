import { DEFAULT_UPLOAD_LIMITS, uploadLimitsCodec } from '../contracts/upload-limits';
import { checkPlannedSource, checkSourceSize, clipTimecode } from '../lambda-src/jobs/upload-limits';
import { parsePipelineConfig } from '../stacks/config';
import { DEFAULT_RUNGS, EncodingLadderSchema } from '../contracts/ladder';
import { planEncoding } from '../lambda-src/encoding/encoding-plan';
import { buildJobSettings, outputDestinations } from '../lambda-src/encoding/job-settings';

const LIMITS = { maxSourceBytes: 1_000, maxSourceMinutes: 60, maxEstimatedCostUsd: 5 };

describe('upload limits', () => {
  it.each([
    [999, undefined],
    [1_000, undefined],
    [1_001, 'SOURCE_TOO_LARGE'],
  ])('a source of %i bytes under maxSourceBytes 1000 → %s', (size, reason) => {
    expect(checkSourceSize({ key: 'a.mp4', size }, LIMITS)?.reason).toBe(reason);
  });

  it.each([
    [{ durationSeconds: 3_600, estimatedCostUsd: 5 }, undefined],
    [{ durationSeconds: 3_601, estimatedCostUsd: 1 }, 'SOURCE_TOO_LONG'],
    [{ durationSeconds: 60, estimatedCostUsd: 5.0001 }, 'COST_OVER_LIMIT'],
    [{ durationSeconds: 7_200, estimatedCostUsd: 50 }, 'SOURCE_TOO_LONG'],
    [{ estimatedCostUsd: 4 }, undefined],
    [{}, undefined],
  ])('a planned source %j → %s', (planned, reason) => {
    expect(checkPlannedSource('a.mp4', planned, LIMITS)?.reason).toBe(reason);
  });

  it('names the limit, the value and what to do in the error, with the reason as its name', () => {
    const error = checkSourceSize({ key: 'uploads/big.mov', size: 2 * 1024 ** 3 }, LIMITS)!;

    expect(error.name).toBe('SOURCE_TOO_LARGE');
    expect(error.message).toBe(
      's3 object "uploads/big.mov" is 2147483648 bytes (2 GiB); limits.maxSourceBytes is 1000. Raise the limit in the environment\'s config to accept it.',
    );
  });

  it.each([
    [60, '00:01:00:00'],
    [14_400, '04:00:00:00'],
    [90.7, '00:01:30:00'],
  ])('clips an unknown-length source at %p seconds with EndTimecode %s', (seconds, timecode) => {
    expect(clipTimecode(seconds)).toBe(timecode);
  });

  it('clips the input of a bounded fallback job at the length limit, and only that job', () => {
    // Prepare
    const ladder = EncodingLadderSchema.parse({ rungs: [...DEFAULT_RUNGS] });
    const fallback = planEncoding(undefined, ladder, { acceleration: { mode: 'DISABLED', minSourceMinutes: 0 } });
    const destinations = outputDestinations('out', 'asset', 'clip');

    // Act
    const bounded = buildJobSettings({ ...fallback, maxInputSeconds: 240 * 60 }, ladder, 's3://in/clip.xyz', destinations);
    const unbounded = buildJobSettings(fallback, ladder, 's3://in/clip.xyz', destinations);

    // Assess
    expect(bounded.Inputs?.[0]?.InputClippings).toEqual([{ EndTimecode: '04:00:00:00' }]);
    expect(unbounded.Inputs?.[0]).not.toHaveProperty('InputClippings');
  });

  it('round-trips the limits through the environment and refuses a malformed value naming the field', () => {
    expect(uploadLimitsCodec.decode(uploadLimitsCodec.encode(LIMITS))).toEqual(LIMITS);
    expect(() => uploadLimitsCodec.decode('{"maxSourceBytes":0,"maxSourceMinutes":1,"maxEstimatedCostUsd":1}')).toThrow(
      /maxSourceBytes is 0; expected a number from 1/,
    );
  });

  it('defaults every limit in the config, and refuses a limit out of range with the field and the bound', () => {
    const base = { environment: 'dev', backend: { type: 'local' } };

    expect(parsePipelineConfig(base, 'test').limits).toEqual(DEFAULT_UPLOAD_LIMITS);
    expect(() => parsePipelineConfig({ ...base, limits: { maxSourceMinutes: 2_000 } }, 'test')).toThrow(
      /limits\.maxSourceMinutes: must be at most 1440 minutes/,
    );
  });
});
