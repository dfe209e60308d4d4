import { MEDIACONVERT_PRICES } from '../contracts/pricing';
import { InvalidEnvironmentError, MissingEnvironmentError } from '../contracts/errors';
import { DEFAULT_RUNGS, EncodingLadderSchema } from '../contracts/ladder';
import { SUBMIT_JOB_VARIABLES, SubmitSettings, fromEnvironment, toEnvironment } from '../contracts/functions/submit-job';
import { TEST_ENVIRONMENT, synthPipeline } from './support/pipeline';

const SETTINGS: SubmitSettings = {
  pipeline: 'vod-dev',
  queueArn: 'arn:aws:mediaconvert:us-east-1:111122223333:queues/vod-dev',
  roleArn: 'arn:aws:iam::111122223333:role/vod-dev-mediaconvert',
  outputBucket: 'vod-dev-output',
  jobsTable: 'vod-dev-jobs',
  ladder: EncodingLadderSchema.parse({ rungs: [...DEFAULT_RUNGS], mp4Rung: '720p' }),
  statusUpdateInterval: 'SECONDS_30',
  accelerationMode: 'PREFERRED',
  accelerationMinSourceMinutes: 20,
  hdr: 'hevc-ladder',
  claimTtlSeconds: 120,
  requestTimeoutMs: 10_000,
  prices: MEDIACONVERT_PRICES,
  limits: { maxSourceBytes: 1_000_000, maxSourceMinutes: 12.5, maxEstimatedCostUsd: 3 },
  topicArn: 'arn:aws:sns:us-east-1:111122223333:vod-dev-job-notifications',
};

describe('submit-job contract', () => {
  it('round-trips every setting: construct environment → handler settings', () => {
    // Act
    const environment = toEnvironment(SETTINGS);

    // Assess
    expect(fromEnvironment(environment)).toEqual(SETTINGS);
  });

  it('is what the Ingest construct synthesizes into the function: claim TTL = function timeout, request timeout well inside it', () => {
    // Prepare
    const template = synthPipeline({ ...TEST_ENVIRONMENT, lambda: { packaging: 'zip', timeoutSeconds: 45 } }).template;

    // Act
    const variables = (template.resource('aws_lambda_function', 'SubmitJob').environment as { variables: Record<string, string> })
      .variables;

    // Assess
    expect(Object.keys(variables).sort()).toEqual(
      Object.values(SUBMIT_JOB_VARIABLES)
        .map((v) => v.name)
        .sort(),
    );
    expect(fromEnvironment(variables)).toEqual(
      expect.objectContaining({ pipeline: 'vod-test', claimTtlSeconds: 45, requestTimeoutMs: 7_500, accelerationMode: 'DISABLED' }),
    );
    expect(template.resource('aws_lambda_function', 'SubmitJob').timeout).toBe(45);
  });

  it.each(Object.values(SUBMIT_JOB_VARIABLES).map((v) => v.name))('fails naming %s when it is missing, never falling back', (name) => {
    expect(() => fromEnvironment({ ...toEnvironment(SETTINGS), [name]: undefined })).toThrow(MissingEnvironmentError);
    expect(() => fromEnvironment({ ...toEnvironment(SETTINGS), [name]: '' })).toThrow(
      new RegExp(`Environment variable ${name} is not set`),
    );
  });

  it.each([
    ['ACCELERATION_MODE', 'TURBO', /ACCELERATION_MODE is invalid: "TURBO" is not one of DISABLED, ENABLED, PREFERRED/],
    ['STATUS_UPDATE_INTERVAL', 'SECONDS_7', /STATUS_UPDATE_INTERVAL is invalid: "SECONDS_7" is not one of SECONDS_10/],
    ['CLAIM_TTL_SECONDS', '60s', /CLAIM_TTL_SECONDS is invalid: "60s" is not an integer from 1 to 900/],
    ['CLAIM_TTL_SECONDS', '0', /CLAIM_TTL_SECONDS is invalid/],
    ['REQUEST_TIMEOUT_MS', '10', /REQUEST_TIMEOUT_MS is invalid: "10" is not an integer from 50 to 60000/],
    ['ENCODING_LADDER', '{"rungs":[]}', /ENCODING_LADDER is invalid: the ladder is invalid:\n {2}- rungs: declare at least one rung/],
    ['ENCODING_LADDER', '{not json', /ENCODING_LADDER is invalid: the ladder is not valid JSON/],
  ])('rejects %s=%p at cold start, naming the variable and the problem', (name, value, message) => {
    const act = () => fromEnvironment({ ...toEnvironment(SETTINGS), [name]: value });

    expect(act).toThrow(InvalidEnvironmentError);
    expect(act).toThrow(message);
  });
});
