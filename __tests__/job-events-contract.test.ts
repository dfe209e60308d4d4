import { MEDIACONVERT_PRICES } from '../contracts/pricing';
import { InvalidEnvironmentError, MissingEnvironmentError } from '../contracts/errors';
import { parseJobStateEvent } from '../lambda-src/jobs/job-event';
import {
  FORWARDED_JOB_STATUSES,
  JOB_EVENTS_VARIABLES,
  JobEventsSettings,
  fromEnvironment,
  jobStateChangePattern,
  normalizeDistributionDomain,
  toEnvironment,
} from '../contracts/functions/job-events';
import { QUEUE_ARN, jobStateChange } from './fixtures/mediaconvert-events';
import { TEST_ENVIRONMENT, synthPipeline } from './support/pipeline';

const SETTINGS: JobEventsSettings = {
  pipeline: 'vod-dev',
  queueArn: 'arn:aws:mediaconvert:us-east-1:111122223333:queues/vod-dev',
  table: 'vod-dev-jobs',
  topicArn: 'arn:aws:sns:us-east-1:111122223333:vod-dev-job-notifications',
  outputBucket: 'vod-dev-output',
  distributionDomain: 'd111111abcdef8.cloudfront.net',
  claimTtlSeconds: 60,
  requestTimeoutMs: 10_000,
  prices: MEDIACONVERT_PRICES,
};
const LAMBDA_RUNTIME = { AWS_REGION: 'us-east-1' };

describe('job-events contract', () => {
  it('round-trips every setting: construct environment → handler settings', () => {
    // Act
    const environment = toEnvironment(SETTINGS);

    // Assess
    expect(fromEnvironment({ ...environment, ...LAMBDA_RUNTIME })).toEqual({ ...SETTINGS, region: 'us-east-1' });
  });

  it('is what the JobEvents construct synthesizes into the function', () => {
    // Prepare
    const { template } = synthPipeline(TEST_ENVIRONMENT);
    const fn = template.resource('aws_lambda_function', 'JobEventsFunction');

    // Act
    const variables = (fn.environment as { variables: Record<string, string> }).variables;

    // Assess
    expect(Object.keys(variables).sort()).toEqual(
      Object.values(JOB_EVENTS_VARIABLES)
        .map((v) => v.name)
        .sort(),
    );
    expect(fromEnvironment({ ...variables, ...LAMBDA_RUNTIME })).toEqual(
      expect.objectContaining({ pipeline: 'vod-test', claimTtlSeconds: fn.timeout, requestTimeoutMs: 10_000 }),
    );
  });

  it.each([...Object.values(JOB_EVENTS_VARIABLES).map((v) => v.name), 'AWS_REGION'])(
    'fails naming %s when it is missing or empty',
    (name) => {
      const environment = { ...toEnvironment(SETTINGS), ...LAMBDA_RUNTIME };

      expect(() => fromEnvironment({ ...environment, [name]: undefined })).toThrow(MissingEnvironmentError);
      expect(() => fromEnvironment({ ...environment, [name]: '' })).toThrow(new RegExp(`Environment variable ${name} is not set`));
    },
  );

  it('builds the rule pattern from the constants the handler checks', () => {
    // Prepare
    const pattern = jobStateChangePattern('vod-dev', QUEUE_ARN) as {
      source: string[];
      'detail-type': string[];
      detail: { status: string[] };
    };

    // Act: events as MediaConvert sends them (fixtures shaped like the user guide's samples)
    const events = pattern.detail.status.map((status) => jobStateChange(status, {}, { pipeline: 'vod-dev' }));
    const plans = events.map((event) => parseJobStateEvent(event, 'vod-dev', QUEUE_ARN));

    // Assess: the pattern admits them, and every forwarded status is recorded, none skipped
    for (const event of events) {
      expect(pattern.source).toContain(event.source);
      expect(pattern['detail-type']).toContain(event['detail-type']);
    }
    expect(pattern.detail.status).toEqual([...FORWARDED_JOB_STATUSES]);
    expect(plans.map((p) => p.action)).toEqual(FORWARDED_JOB_STATUSES.map(() => 'record'));
  });
});

describe('normalizeDistributionDomain', () => {
  it.each([
    ['d1.cloudfront.net', 'd1.cloudfront.net'],
    ['https://d1.cloudfront.net/', 'd1.cloudfront.net'],
    [' media.example.com ', 'media.example.com'],
    ['http://127.0.0.1:8443/', 'http://127.0.0.1:8443'],
  ])('accepts %p as %p', (value, expected) => {
    expect(normalizeDistributionDomain(value)).toBe(expected);
  });

  it.each(['https://d1.cloudfront.net/videos', 'd1.cloudfront.net?x=1', 'https://', 'http://127.0.0.1:8443/videos'])(
    'rejects %p, which is not a host name',
    (value) => {
      expect(() => fromEnvironment({ ...toEnvironment(SETTINGS), ...LAMBDA_RUNTIME, DISTRIBUTION_DOMAIN: value })).toThrow(
        InvalidEnvironmentError,
      );
      expect(() => normalizeDistributionDomain(value)).toThrow(/is not a host name; use the distribution's domain/);
    },
  );
});
