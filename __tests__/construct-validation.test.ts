import { Construct } from 'constructs';
import { Testing } from 'cdktf';
import { DEFAULT_RUNGS, EncodingLadderSchema } from '../contracts/ladder';
import { Delivery } from '../stacks/constructs/delivery';
import { Ingest, IngestProps } from '../stacks/constructs/ingest';
import { JobEvents } from '../stacks/constructs/job-events';
import { JobsTable } from '../stacks/constructs/jobs-table';
import { NodeFunction, NodeFunctionProps } from '../stacks/constructs/node-function';
import { SecureBucket } from '../stacks/constructs/secure-bucket';
import { Storage, StorageProps } from '../stacks/constructs/storage';
import { Transcoding } from '../stacks/constructs/transcoding';
import { InvalidPropsError } from '../stacks/lib/prop-validation';

// Users compose the constructs directly, bypassing the config schema: each construct checks its own props.

const synth = (build: (scope: Construct) => void) => () => Testing.synthScope(build);

function buildIngest(scope: Construct, props: Partial<IngestProps>): void {
  const sourceBucket = new SecureBucket(scope, 'Source', { bucketName: 'source' });
  const outputBucket = new SecureBucket(scope, 'Output', { bucketName: 'output' });
  new Ingest(scope, 'Ingest', {
    pipelineId: 'vod-test',
    sourceBucket,
    outputBucket,
    transcoding: new Transcoding(scope, 'Transcoding', { name: 'vod-test', sourceBucket, outputBucket }),
    jobsTable: new JobsTable(scope, 'Jobs', { tableName: 'jobs' }),
    ladder: EncodingLadderSchema.parse({ rungs: [...DEFAULT_RUNGS] }),
    notificationTopicArn: 'arn:aws:sns:us-east-1:111122223333:vod-test-job-notifications',
    functionSettings: { packaging: 'zip' },
    ...props,
  });
}

describe('NodeFunction validates its props at synth', () => {
  it.each<[string, Partial<NodeFunctionProps>, RegExp]>([
    [
      '5 async retries',
      { retryAttempts: 5 },
      /Fn: 'retryAttempts' is 5; Lambda retries an asynchronous event at most twice\. Use an integer from 0 to 2\./,
    ],
    ['a 3 s timeout', { timeoutSeconds: 3 }, /'timeoutSeconds' is 3; .*Use an integer from 10 to 900/],
    [
      'a retention CloudWatch does not offer',
      { logRetentionDays: 10 },
      /'logRetentionDays' is 10; CloudWatch Logs accepts only fixed retention periods\. Use one of 1, 3, 5/,
    ],
    ['64 MB of memory', { memorySize: 64 }, /'memorySize' is 64; .*from 128 to 10240/],
    ['an event age of 7 hours', { maximumEventAgeSeconds: 25_200 }, /'maximumEventAgeSeconds' is 25200; .*from 60 to 21600/],
    ['zero reserved concurrency', { reservedConcurrency: 0 }, /'reservedConcurrency' is 0/],
    ['a name with a space', { functionName: 'my function' }, /'functionName' is "my function"; Lambda function names are 1-64 letters/],
  ])('rejects %s, naming the construct path, the prop and the fix', (_case, props, message) => {
    const act = synth((scope) => new NodeFunction(scope, 'Fn', { functionName: 'f', entry: 'submit-job', packaging: 'zip', ...props }));

    expect(act).toThrow(InvalidPropsError);
    expect(act).toThrow(message);
  });
});

describe('Delivery validates its props at synth', () => {
  const buckets = (scope: Construct) => ({
    originBucket: new SecureBucket(scope, 'Output', { bucketName: 'output' }),
    logBucket: new SecureBucket(scope, 'Logs', { bucketName: 'logs', receivesAccessLogs: true }),
  });

  it.each([
    [
      'an origin with a path',
      ['https://player.example.com/app'],
      /'corsAllowedOrigins' is "https:\/\/player\.example\.com\/app"; use "\*" or an origin/,
    ],
    ['no origins', [], /'corsAllowedOrigins' is empty/],
  ])('rejects CORS with %s', (_case, corsAllowedOrigins, message) => {
    const act = synth((scope) => new Delivery(scope, 'Delivery', { name: 'vod-test', corsAllowedOrigins, ...buckets(scope) }));

    expect(act).toThrow(message);
  });

  it('rejects a price class CloudFront does not have', () => {
    const act = synth(
      (scope) =>
        new Delivery(scope, 'Delivery', {
          name: 'vod-test',
          priceClass: 'PriceClass_50' as never,
          ...buckets(scope),
        }),
    );

    expect(act).toThrow(/'priceClass' is "PriceClass_50"; it is a CloudFront price class\. Use one of PriceClass_100/);
  });
});

describe('Storage validates its props at synth', () => {
  it.each<[string, Partial<StorageProps>, RegExp]>([
    ['a transition after 10 days', { sourceTransitionDays: 10 }, /'sourceTransitionDays' is 10; S3 keeps objects 30 days in STANDARD/],
    ['an unknown storage class', { sourceColdStorageClass: 'ICE' as never }, /'sourceColdStorageClass' is "ICE"/],
    ['log expiry after 0 days', { accessLogExpirationDays: 0 }, /'accessLogExpirationDays' is 0/],
  ])('rejects %s', (_case, props, message) => {
    const act = synth(
      (scope) => new Storage(scope, 'Storage', { name: 'vod-test', accountId: '123456789012', region: 'eu-west-1', ...props }),
    );

    expect(act).toThrow(message);
  });
});

describe('Ingest and JobEvents validate their props at synth', () => {
  it.each<[string, Partial<IngestProps>, RegExp]>([
    [
      'an acceleration mode CreateJob lacks',
      { accelerationMode: 'FAST' as never },
      /Ingest: 'accelerationMode' is "FAST"; .*Use one of DISABLED, ENABLED, PREFERRED/,
    ],
    ['an HDR mode the submit function lacks', { hdr: 'keep' as never }, /Ingest: 'hdr' is "keep"; .*Use one of tone-map, hevc-ladder/],
    ['a status interval CreateJob lacks', { statusUpdateInterval: 'SECONDS_7' as never }, /'statusUpdateInterval' is "SECONDS_7"/],
    [
      'function settings Lambda rejects',
      { functionSettings: { packaging: 'zip', retryAttempts: 3 } },
      /Ingest\/SubmitJob: 'retryAttempts' is 3/,
    ],
  ])('Ingest rejects %s', (_case, props, message) => {
    expect(synth((scope) => buildIngest(scope, props))).toThrow(message);
  });

  it('JobEvents rejects a target retry EventBridge does not allow', () => {
    const act = synth(
      (scope) =>
        new JobEvents(scope, 'JobEvents', {
          pipelineId: 'vod-test',
          queueArn: 'arn:aws:mediaconvert:us-east-1:111122223333:queues/vod-test',
          jobsTable: new JobsTable(scope, 'Jobs', { tableName: 'jobs' }),
          outputBucketName: 'output',
          distributionDomain: 'd1.cloudfront.net',
          targetRetry: { maximumEventAgeSeconds: 3600, maximumRetryAttempts: 200 },
          functionSettings: { packaging: 'zip' },
        }),
    );

    expect(act).toThrow(/JobEvents: 'targetRetry.maximumRetryAttempts' is 200; EventBridge retries a target at most 185 times/);
  });
});
