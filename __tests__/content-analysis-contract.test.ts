import {
  CONTENT_ANALYSIS_VARIABLES,
  ContentAnalysisSettings,
  completedJobPattern,
  fromEnvironment,
  toEnvironment,
} from '../contracts/functions/content-analysis';

const SETTINGS: ContentAnalysisSettings = {
  pipeline: 'vod-dev',
  queueArn: 'arn:aws:mediaconvert:us-east-1:111122223333:queues/vod-dev',
  jobsTable: 'vod-dev-jobs',
  outputBucket: 'vod-dev-output',
  distributionDomain: 'd111111abcdef8.cloudfront.net',
  notificationTopicArn: 'arn:aws:sns:us-east-1:111122223333:vod-dev-job-notifications',
  analysisTopicArn: 'arn:aws:sns:us-east-1:111122223333:vod-dev-rekognition',
  analysisRoleArn: 'arn:aws:iam::111122223333:role/vod-dev-rekognition',
  minConfidence: 70,
  topLabels: 10,
};

describe('content-analysis contract', () => {
  it('round-trips every setting: construct environment → handler settings', () => {
    expect(fromEnvironment({ ...toEnvironment(SETTINGS), AWS_REGION: 'us-east-1' })).toEqual({ ...SETTINGS, region: 'us-east-1' });
  });

  it.each([...Object.values(CONTENT_ANALYSIS_VARIABLES).map((v) => v.name), 'AWS_REGION'])(
    'fails the cold start without %s, naming it',
    (name) => {
      // Prepare
      const env: Record<string, string | undefined> = { ...toEnvironment(SETTINGS), AWS_REGION: 'us-east-1' };
      delete env[name];

      // Act & Assess
      expect(() => fromEnvironment(env)).toThrow(new RegExp(`Environment variable ${name} is not set`));
    },
  );

  it.each([
    ['MIN_CONFIDENCE', '101', /MIN_CONFIDENCE is invalid: "101" is not an integer from 0 to 100/],
    ['TOP_LABELS', '0', /TOP_LABELS is invalid/],
    ['DISTRIBUTION_DOMAIN', 'https://d1.cloudfront.net/path', /DISTRIBUTION_DOMAIN is invalid/],
  ])('refuses %s=%s', (name, value, message) => {
    expect(() => fromEnvironment({ ...toEnvironment(SETTINGS), AWS_REGION: 'us-east-1', [name]: value })).toThrow(message);
  });

  it("matches COMPLETE jobs of the pipeline's own id on its own queue only", () => {
    expect(completedJobPattern('vod-prod', 'arn:queue')).toEqual(
      expect.objectContaining({ detail: { status: ['COMPLETE'], queue: ['arn:queue'], userMetadata: { pipeline: ['vod-prod'] } } }),
    );
  });
});
