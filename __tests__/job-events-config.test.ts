import { MissingEnvironmentError } from '../lambda-src/lib/errors';
import { normalizeDistributionDomain, readJobEventsConfig } from '../lambda-src/lib/job-events-config';

const ENV = {
  PIPELINE_ID: 'vod-dev',
  JOBS_TABLE: 'vod-dev-jobs',
  TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:vod-dev-job-notifications',
  OUTPUT_BUCKET: 'vod-dev-output',
  DISTRIBUTION_DOMAIN: 'd111111abcdef8.cloudfront.net',
  AWS_REGION: 'us-east-1',
};

describe('readJobEventsConfig', () => {
  it('reads every variable the JobEvents construct sets, plus the Lambda region', () => {
    expect(readJobEventsConfig(ENV)).toEqual({
      pipeline: 'vod-dev',
      table: 'vod-dev-jobs',
      topicArn: ENV.TOPIC_ARN,
      outputBucket: 'vod-dev-output',
      distributionDomain: 'd111111abcdef8.cloudfront.net',
      region: 'us-east-1',
    });
  });

  it.each(Object.keys(ENV))('fails naming %s when it is missing or empty', (name) => {
    expect(() => readJobEventsConfig({ ...ENV, [name]: undefined })).toThrow(MissingEnvironmentError);
    expect(() => readJobEventsConfig({ ...ENV, [name]: '' })).toThrow(new RegExp(`Environment variable ${name} is not set`));
  });
});

describe('normalizeDistributionDomain', () => {
  it.each([
    ['d1.cloudfront.net', 'd1.cloudfront.net'],
    ['https://d1.cloudfront.net/', 'd1.cloudfront.net'],
    [' media.example.com ', 'media.example.com'],
  ])('accepts %p as %p', (value, expected) => {
    expect(normalizeDistributionDomain(value)).toBe(expected);
  });

  it.each(['https://d1.cloudfront.net/videos', 'd1.cloudfront.net?x=1', 'https://'])('rejects %p, which is not a host name', (value) => {
    expect(() => normalizeDistributionDomain(value)).toThrow(/DISTRIBUTION_DOMAIN is .*set the distribution's host name/);
  });
});
