import { parsePipelineConfig } from '../stacks/config';
import { EncryptionKey } from '../stacks/constructs/encryption-key';
import { SecureBucket } from '../stacks/constructs/secure-bucket';
import { Template, refOf } from '../testing';
import { KEY_ID, stackPolicies } from './support/iam/function-roles';
import { Decision, Principal, decide } from './support/iam/simulate';
import { TEST_ENVIRONMENT, synthPipeline } from './support/pipeline';

type Block = Record<string, unknown>;
const CUSTOMER = { ...TEST_ENVIRONMENT, encryption: { kmsKey: 'customer' }, contentAnalysis: { enabled: true } } as const;
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';

describe('encryption.kmsKey in the config', () => {
  it('defaults to aws-managed', () => {
    expect(parsePipelineConfig(TEST_ENVIRONMENT, 'test').encryption).toEqual({ kmsKey: 'aws-managed' });
  });

  it('refuses a mode it does not know, naming the field', () => {
    expect(() => parsePipelineConfig({ ...TEST_ENVIRONMENT, encryption: { kmsKey: 'hsm' } }, 'test')).toThrow(/encryption\.kmsKey/);
  });
});

describe('aws-managed keys (the default)', () => {
  const { template } = synthPipeline(TEST_ENVIRONMENT);

  it('creates no environment key: SSE-S3 buckets, and only the alarm topic has a key of its own', () => {
    const keys = Object.keys(template.resources('aws_kms_key'));
    const algorithms = Object.values(template.resources('aws_s3_bucket_server_side_encryption_configuration')).map(
      (c) => ((c.rule as Block[])[0]!.apply_server_side_encryption_by_default as Block).sse_algorithm,
    );

    expect(keys).toEqual([expect.stringMatching(/^Monitoring_Alarms_Key_/)]);
    expect(new Set(algorithms)).toEqual(new Set(['AES256']));
  });
});

describe("customer-managed key ('customer')", () => {
  const { template, stack } = synthPipeline(CUSTOMER);
  const keyArn = refOf(stack.encryptionKey!.key, 'arn');

  it('is one key per environment, rotated, with an alias and a 30-day deletion window; the alarm topic uses it too', () => {
    expect(Object.keys(template.resources('aws_kms_key'))).toHaveLength(1);
    expect(template.onlyResource('aws_kms_key')).toEqual(
      expect.objectContaining({ enable_key_rotation: true, deletion_window_in_days: 30 }),
    );
    expect(template.onlyResource('aws_kms_alias')).toEqual(
      expect.objectContaining({ name: 'alias/vod-test-key', target_key_id: refOf(stack.encryptionKey!.key, 'key_id') }),
    );
    expect(template.resource('aws_sns_topic', 'Monitoring_Alarms').kms_master_key_id).toBe(keyArn);
  });

  it('encrypts the source and output buckets with SSE-KMS and a bucket key; the access-log bucket stays SSE-S3', () => {
    const byBucket = (idPart: string) =>
      (template.resource('aws_s3_bucket_server_side_encryption_configuration', idPart).rule as Block[])[0];

    for (const bucket of ['SourceBucket', 'OutputBucket']) {
      expect(byBucket(bucket)).toEqual({
        apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: keyArn },
        bucket_key_enabled: true,
      });
    }
    expect(byBucket('LogBucket')).toEqual(
      expect.objectContaining({ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }),
    );
  });

  it('encrypts the table, every topic, every queue and every log group with the key', () => {
    expect(template.onlyResource('aws_dynamodb_table').server_side_encryption).toEqual({ enabled: true, kms_key_arn: keyArn });
    for (const type of ['aws_sns_topic', 'aws_sqs_queue']) {
      const blocks = Object.values(template.resources(type));
      expect(blocks.map((b) => b.kms_master_key_id)).toEqual(blocks.map(() => keyArn));
      expect(blocks.filter((b) => b.sqs_managed_sse_enabled !== undefined)).toEqual([]);
    }
    const logGroups = Object.values(template.resources('aws_cloudwatch_log_group'));
    expect(logGroups.map((g) => g.kms_key_id)).toEqual(logGroups.map(() => keyArn));
  });

  it("grants CloudWatch Logs the key only for the stack's own log groups (the encryption context is the log group's ARN)", () => {
    const statement = template.statement(template.onlyResource('aws_kms_key').policy, 'CloudWatchLogsEncryptOwnLogGroups');
    const logGroupArns = Object.values(template.resources('aws_cloudwatch_log_group')).map(
      (g) =>
        `arn:\${data.aws_partition.Partition.partition}:logs:us-east-1:\${data.aws_caller_identity.CallerIdentity.account_id}:log-group:${String(g.name)}`,
    );

    expect(statement.principals).toEqual([{ type: 'Service', identifiers: ['logs.us-east-1.amazonaws.com'] }]);
    expect(statement.condition).toEqual([
      { test: 'ArnEquals', variable: 'kms:EncryptionContext:aws:logs:arn', values: expect.arrayContaining(logGroupArns) },
    ]);
    expect((statement.condition as { values: string[] }[])[0]!.values).toHaveLength(logGroupArns.length);
  });
});

describe('EncryptionKey and SecureBucket validate their props at synth', () => {
  it('refuses a deletion window KMS does not allow', () => {
    expect(() =>
      Template.synth(
        (scope) =>
          new EncryptionKey(scope, 'Key', { name: 'vod-x', accountId: ACCOUNT, partition: 'aws', region: REGION, deletionWindowInDays: 3 }),
      ),
    ).toThrow(/Key: 'deletionWindowInDays' is 3; KMS waits 7 to 30 days/);
  });

  it('refuses a customer key on a bucket that receives access logs (S3 delivers them only to SSE-S3 buckets)', () => {
    expect(() =>
      Template.synth((scope) => {
        const key = new EncryptionKey(scope, 'Key', { name: 'vod-x', accountId: ACCOUNT, partition: 'aws', region: REGION });
        new SecureBucket(scope, 'Logs', { bucketName: 'log-bucket', receivesAccessLogs: true, encryptionKey: key });
      }),
    ).toThrow(/Logs: 'encryptionKey' is set on a bucket with 'receivesAccessLogs'/);
  });
});

// The IAM simulator evaluates each call against the role's synthesized policy AND the key policy,
// as KMS does: a role can do its job with the key, and nothing else.
describe('who may use the customer key (IAM simulator)', () => {
  const policies = stackPolicies(CUSTOMER, ACCOUNT, REGION);
  const keyArn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KEY_ID}`;
  const source = policies.arn('aws_s3_bucket', 'SourceBucket');
  const output = policies.arn('aws_s3_bucket', 'OutputBucket');
  const via = (service: string) => ({ 'kms:ViaService': `${service}.${REGION}.amazonaws.com` });
  const inBucket = (bucket: string) => ({ ...via('s3'), 'kms:EncryptionContext:aws:s3:arn': bucket });
  const roleNamed = (name: string): Principal => ({
    arn: `arn:aws:iam::${ACCOUNT}:role/vod-test-${name}`,
    account: ACCOUNT,
    policies: [policies.roles[`vod-test-${name}`]!],
  });
  const ask = (principal: Principal, action: string, context: Record<string, string>) =>
    decide(principal, { action, resource: keyArn, context, resourcePolicy: policies.keyPolicy });

  it.each<[string, string, string, Record<string, string>]>([
    ['mediaconvert', 'reads sources', 'kms:Decrypt', inBucket(source)],
    ['mediaconvert', 'writes outputs', 'kms:GenerateDataKey', inBucket(output)],
    ['mediaconvert', 'completes multipart outputs', 'kms:Decrypt', inBucket(output)],
    ['submit-job', 'reads source headers and Probe', 'kms:Decrypt', inBucket(source)],
    ['submit-job', 'claims the record', 'kms:Decrypt', via('dynamodb')],
    ['submit-job', 'announces a refused upload', 'kms:GenerateDataKey', via('sns')],
    ['submit-job', 'dead-letters an event', 'kms:GenerateDataKey', via('sqs')],
    ['job-events', 'records a state', 'kms:Decrypt', via('dynamodb')],
    ['job-events', 'publishes the outcome', 'kms:GenerateDataKey', via('sns')],
    ['job-events', 'writes the storyboard into the output bucket', 'kms:GenerateDataKey', inBucket(output)],
    ['job-sweep', 'reads open records', 'kms:Decrypt', via('dynamodb')],
    ['content-analysis', 'lets Rekognition read the MP4', 'kms:Decrypt', inBucket(output)],
    ['content-analysis', 'writes labels.json', 'kms:GenerateDataKey', inBucket(output)],
    ['content-analysis', 'records the analysis', 'kms:Decrypt', via('dynamodb')],
    ['rekognition', 'publishes the completion', 'kms:GenerateDataKey', via('sns')],
  ])('%s %s: %s is allowed', async (role, _job, action, context) => {
    await expect(ask(roleNamed(role), action, context)).resolves.toBe('Allowed');
  });

  it.each<[string, string, string, Record<string, string>]>([
    ['mediaconvert', 'cannot write into the source bucket', 'kms:GenerateDataKey', inBucket(source)],
    ['mediaconvert', 'cannot read the table', 'kms:Decrypt', via('dynamodb')],
    ['mediaconvert', 'cannot decrypt directly', 'kms:Decrypt', {}],
    ['submit-job', 'cannot read outputs', 'kms:Decrypt', inBucket(output)],
    ['submit-job', 'cannot decrypt directly', 'kms:Decrypt', {}],
    ['job-events', 'cannot read sources', 'kms:Decrypt', inBucket(source)],
    ['job-events', 'cannot read outputs', 'kms:Decrypt', inBucket(output)],
    ['job-events', 'cannot write into the source bucket', 'kms:GenerateDataKey', inBucket(source)],
    ['job-sweep', 'cannot publish', 'kms:GenerateDataKey', via('sns')],
    ['content-analysis', 'cannot read sources', 'kms:Decrypt', inBucket(source)],
    ['rekognition', 'cannot read objects', 'kms:Decrypt', inBucket(output)],
  ])('%s %s (%s denied)', async (role, _what, action, context) => {
    expect(await ask(roleNamed(role), action, context)).not.toBe('Allowed');
  });

  it.each(['mediaconvert', 'submit-job', 'job-events', 'job-sweep', 'content-analysis', 'rekognition'])(
    '%s cannot administer the key: ScheduleKeyDeletion, PutKeyPolicy, CreateGrant and DisableKey are denied',
    async (role) => {
      const decisions = await Promise.all(
        ['kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy', 'kms:CreateGrant', 'kms:DisableKey'].map((action) =>
          ask(roleNamed(role), action, {}),
        ),
      );

      expect(decisions.filter((d: Decision) => d === 'Allowed')).toEqual([]);
    },
  );

  const service = (name: string): Principal => ({ arn: name, account: ACCOUNT, policies: [] });
  const distribution = policies.arn('aws_cloudfront_distribution', 'Delivery');

  it.each<[string, string, string, Record<string, string>, Decision | 'denied']>([
    ['cloudfront.amazonaws.com', 'this distribution decrypts through OAC', 'kms:Decrypt', { 'aws:SourceArn': distribution }, 'Allowed'],
    [
      'cloudfront.amazonaws.com',
      'another distribution cannot',
      'kms:Decrypt',
      { 'aws:SourceArn': `arn:aws:cloudfront::${ACCOUNT}:distribution/EOTHER` },
      'denied',
    ],
    ['cloudfront.amazonaws.com', 'CloudFront cannot encrypt', 'kms:GenerateDataKey', { 'aws:SourceArn': distribution }, 'denied'],
    [
      'logs.us-east-1.amazonaws.com',
      "CloudWatch Logs encrypts the submit function's log group",
      'kms:GenerateDataKey',
      { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/vod-test-submit-job` },
      'Allowed',
    ],
    [
      'logs.us-east-1.amazonaws.com',
      'but no other log group',
      'kms:GenerateDataKey',
      { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/someone-else` },
      'denied',
    ],
    [
      'events.amazonaws.com',
      "EventBridge dead-letters the job-state rule's events",
      'kms:GenerateDataKey',
      { 'aws:SourceArn': policies.arn('aws_cloudwatch_event_rule', 'JobStateChangeRule') },
      'Allowed',
    ],
    [
      'events.amazonaws.com',
      "but not another rule's",
      'kms:GenerateDataKey',
      { 'aws:SourceArn': `arn:aws:events:${REGION}:${ACCOUNT}:rule/someone-else` },
      'denied',
    ],
    [
      'sns.amazonaws.com',
      "SNS dead-letters the analysis topic's deliveries",
      'kms:GenerateDataKey',
      { 'aws:SourceArn': policies.arn('aws_sns_topic', 'AnalysisTopic') },
      'Allowed',
    ],
    [
      'sns.amazonaws.com',
      "but not another topic's",
      'kms:GenerateDataKey',
      { 'aws:SourceArn': `arn:aws:sns:${REGION}:${ACCOUNT}:someone-else` },
      'denied',
    ],
    ['cloudwatch.amazonaws.com', "this account's alarms publish", 'kms:GenerateDataKey', { 'aws:SourceAccount': ACCOUNT }, 'Allowed'],
    ['cloudwatch.amazonaws.com', "another account's cannot", 'kms:GenerateDataKey', { 'aws:SourceAccount': '210987654321' }, 'denied'],
  ])('key policy: %s — %s', async (principal, _what, action, context, expected) => {
    const decision = await ask(service(principal), action, context);

    if (expected === 'denied') expect(decision).not.toBe('Allowed');
    else expect(decision).toBe(expected);
  });

  it('no service may administer the key', async () => {
    const services = ['cloudfront.amazonaws.com', 'logs.us-east-1.amazonaws.com', 'events.amazonaws.com', 'sns.amazonaws.com'];

    const decisions = await Promise.all(services.map((s) => ask(service(s), 'kms:ScheduleKeyDeletion', { 'aws:SourceAccount': ACCOUNT })));

    expect(decisions.filter((d) => d === 'Allowed')).toEqual([]);
  });
});
