import { MEDIACONVERT_PRICES } from '../contracts/pricing';
import { ConfigError, PipelineConfigInput, parsePipelineConfig, pipelineId } from '../stacks/config';

const minimal: PipelineConfigInput = { environment: 'test', backend: { type: 'local' } };

describe('parsePipelineConfig', () => {
  it('fills secure defaults for everything not given', () => {
    // Act
    const config = parsePipelineConfig(minimal, 'test');

    // Assess
    expect(config).toEqual(
      expect.objectContaining({
        namePrefix: 'vod',
        region: 'us-east-1',
        forceDestroy: false,
        logRetentionDays: 90,
      }),
    );
    expect(config.delivery).toEqual({
      priceClass: 'PriceClass_100',
      waitForDeployment: true,
      responseHeadersPolicy: true,
    });
    expect(config.lambda.packaging).toBe('archive');
    expect(config.transcoding.ladder.rungs.map((r) => r.name)).toEqual(['1080p', '720p', '480p', '360p', '234p']);
    // HDR is tone-mapped to SDR unless an environment opts into the (Professional-tier) HEVC ladder.
    expect(config.transcoding.hdr).toBe('tone-map');
    expect(config.contentAnalysis).toEqual({ enabled: false, minConfidence: 70, topLabels: 10 });
    expect(config.pricing).toEqual(MEDIACONVERT_PRICES);
    expect(config.monitoring).toEqual(
      expect.objectContaining({
        errorRateThresholdPercent: 10,
        errorRatePeriodMinutes: 60,
        dailyCostBudgetUsd: 50,
        overdueJobMinutes: 240,
      }),
    );
  });

  it('takes a price override and keeps the rest of the documented table', () => {
    expect(parsePipelineConfig({ ...minimal, pricing: { basicPerNormalizedMinute: 0.0085 } }, 'test').pricing).toEqual({
      ...MEDIACONVERT_PRICES,
      basicPerNormalizedMinute: 0.0085,
    });
  });

  it.each([
    ['an invalid price class', { delivery: { priceClass: 'PriceClass_Cheap' } }, /delivery\.priceClass: Invalid option/],
    ['a log retention CloudWatch does not accept', { logRetentionDays: 10 }, /logRetentionDays: must be one of the CloudWatch Logs values/],
    ['a name prefix with capitals', { namePrefix: 'Video' }, /namePrefix: use 2-13 lowercase letters/],
    ['a region that is not a region', { region: 'europe' }, /region: must be an AWS region/],
    ['an HDR mode that does not exist', { transcoding: { hdr: 'keep' } }, /transcoding\.hdr: Invalid option/],
    [
      'an odd ladder width',
      { transcoding: { ladder: { rungs: [{ name: 'x', width: 853, height: 480, qvbrQualityLevel: 7, maxBitrate: 1_500_000 }] } } },
      /transcoding\.ladder\.rungs\.0\.width: must be even/,
    ],
    [
      'a ladder bitrate above the MediaConvert maximum',
      { transcoding: { ladder: { rungs: [{ name: 'x', width: 640, height: 360, qvbrQualityLevel: 7, maxBitrate: 2_000_000_000 }] } } },
      /transcoding\.ladder\.rungs\.0\.maxBitrate: must be at most 1152000000/,
    ],
    [
      'duplicate rung names',
      {
        transcoding: {
          ladder: {
            rungs: [
              { name: 'a', width: 640, height: 360, qvbrQualityLevel: 7, maxBitrate: 800_000 },
              { name: 'a', width: 640, height: 360, qvbrQualityLevel: 7, maxBitrate: 800_000 },
            ],
          },
        },
      },
      /transcoding\.ladder\.rungs\.1\.name: duplicate rung name "a"/,
    ],
    ['a 3 s Lambda timeout', { lambda: { timeoutSeconds: 3 } }, /lambda\.timeoutSeconds: must be at least 10/],
    ['an unknown field (a typo)', { forceDestory: true }, /Unrecognized key: "forceDestory"/],
    [
      'a negative price',
      { pricing: { professionalPerNormalizedMinute: -1 } },
      /pricing\.professionalPerNormalizedMinute: professionalPerNormalizedMinute must be a positive number/,
    ],
    ['an error rate above 100%', { monitoring: { errorRateThresholdPercent: 150 } }, /monitoring\.errorRateThresholdPercent/],
    ['a zero daily budget', { monitoring: { dailyCostBudgetUsd: 0 } }, /monitoring\.dailyCostBudgetUsd/],
    ['an alarm e-mail that is not one', { monitoring: { alarmEmail: 'oncall' } }, /monitoring\.alarmEmail: must be an e-mail address/],
    ['a fractional confidence', { contentAnalysis: { enabled: true, minConfidence: 70.5 } }, /contentAnalysis\.minConfidence/],
    ['too many top labels', { contentAnalysis: { topLabels: 500 } }, /contentAnalysis\.topLabels/],
    ['an S3 backend without a bucket', { backend: { type: 's3', region: 'us-east-1', keyPrefix: 'p' } }, /backend\.bucket/],
    [
      "CORS '*' in a production environment",
      { production: true, delivery: { corsAllowedOrigins: ['*'] } },
      /delivery\.corsAllowedOrigins: "\*" is refused in a production environment: any site could embed your videos/,
    ],
    [
      'a CORS origin with a path',
      { delivery: { corsAllowedOrigins: ['https://player.example.com/app'] } },
      /delivery\.corsAllowedOrigins\.0: use "\*" or an origin/,
    ],
  ])('fails on %s with a message naming the field', (_case, override, message) => {
    // Act
    const parse = () => parsePipelineConfig({ ...minimal, ...override }, 'environment "test"');

    // Assess
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(message);
    expect(parse).toThrow(/Invalid pipeline config \(environment "test"\)[\s\S]*Fix these fields where the environment is declared/);
  });

  it('lists every invalid field, not only the first', () => {
    const parse = () => parsePipelineConfig({ ...minimal, region: 'x', logRetentionDays: 2 }, 'test');

    expect(parse).toThrow(/region:[\s\S]*logRetentionDays:/);
  });
});

describe('pipelineId', () => {
  it('joins the name prefix and the environment', () => {
    expect(pipelineId({ namePrefix: 'vod', environment: 'dev' })).toBe('vod-dev');
  });
});
