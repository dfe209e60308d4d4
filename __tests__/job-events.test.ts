import { MEDIACONVERT_PRICES } from '../contracts/pricing';
import { jobStateChangePattern } from '../contracts/functions/job-events';
import { TEST_ENVIRONMENT, synthPipeline } from './support/pipeline';
import { Template, refOf } from '../testing';
import { functionRolePolicies } from './support/iam/function-roles';
import { decide } from './support/iam/simulate';
import { boundaryPolicy } from './support/iam/ci-roles';

const completionPolicy = (t: Template) => t.statementsOf(t.resource('aws_iam_role_policy', 'JobEventsFunction').policy);

describe('JobEvents', () => {
  const { template, stack } = synthPipeline(TEST_ENVIRONMENT);

  it("matches MediaConvert state changes of this pipeline's jobs on this pipeline's queue only", () => {
    const rule = template.resource('aws_cloudwatch_event_rule', 'JobEvents');

    expect(JSON.parse(String(rule.event_pattern))).toEqual({
      source: ['aws.mediaconvert'],
      'detail-type': ['MediaConvert Job State Change'],
      detail: {
        status: ['PROGRESSING', 'COMPLETE', 'ERROR', 'CANCELED'],
        queue: [refOf(stack.transcoding.queue, 'arn')],
        userMetadata: { pipeline: ['vod-test'] },
      },
    });
  });

  it('scopes the pattern to the pipeline id and queue it is given', () => {
    expect(jobStateChangePattern('vod-prod', 'arn:queue')).toEqual(
      expect.objectContaining({ detail: expect.objectContaining({ queue: ['arn:queue'], userMetadata: { pipeline: ['vod-prod'] } }) }),
    );
  });

  it('targets the completion function with a retry policy and an encrypted dead-letter queue', () => {
    // Act
    const target = template.resource('aws_cloudwatch_event_target', 'JobEvents');

    // Assess
    expect(target).toEqual(
      expect.objectContaining({
        rule: refOf(stack.jobEvents.rule, 'name'),
        arn: refOf(stack.jobEvents.completionFunction.fn, 'arn'),
        retry_policy: { maximum_event_age_in_seconds: 3600, maximum_retry_attempts: 10 },
        dead_letter_config: { arn: refOf(stack.jobEvents.ruleDeadLetterQueue, 'arn') },
      }),
    );
    expect(template.resource('aws_sqs_queue', 'RuleDeadLetterQueue').sqs_managed_sse_enabled).toBe(true);
  });

  it('lets only this rule send to its dead-letter queue', () => {
    const policy = template.onlyResource('aws_sqs_queue_policy');

    expect(template.statement(policy.policy, 'AllowRuleDeadLetters')).toEqual(
      expect.objectContaining({
        principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
        actions: ['sqs:SendMessage'],
        condition: [{ test: 'ArnEquals', variable: 'aws:SourceArn', values: [refOf(stack.jobEvents.rule, 'arn')] }],
      }),
    );
  });

  it('lets only this rule invoke the completion function', () => {
    expect(template.resource('aws_lambda_permission', 'JobEvents')).toEqual(
      expect.objectContaining({
        principal: 'events.amazonaws.com',
        source_arn: refOf(stack.jobEvents.rule, 'arn'),
      }),
    );
  });

  it('encrypts the notification topic with KMS', () => {
    expect(template.resource('aws_sns_topic', 'JobEvents')).toEqual(
      expect.objectContaining({ name: 'vod-test-job-notifications', kms_master_key_id: 'alias/aws/sns' }),
    );
  });

  it('gives the completion function only sns:Publish on its topic, item updates on its table and storyboard writes', () => {
    const statements = completionPolicy(template).filter(
      (s) => !['WriteOwnLogs', 'SendToOwnDeadLetterQueue', 'WriteTraces'].includes(String(s.sid)),
    );

    expect(statements).toEqual([
      {
        sid: 'PublishJobNotifications',
        effect: 'Allow',
        actions: ['sns:Publish'],
        resources: [refOf(stack.jobEvents.topic, 'arn')],
      },
      {
        sid: 'RecordJobStatus',
        effect: 'Allow',
        actions: ['dynamodb:UpdateItem'],
        resources: [refOf(stack.jobsTable.table, 'arn')],
      },
      {
        sid: 'WriteStoryboards',
        effect: 'Allow',
        actions: ['s3:PutObject'],
        resources: [`${refOf(stack.storage.outputBucket.bucket, 'arn')}/*/hls/storyboard.vtt`],
      },
    ]);
    expect(completionPolicy(template).map((s) => s.sid)).toEqual([
      'WriteOwnLogs',
      'SendToOwnDeadLetterQueue',
      'WriteTraces',
      'PublishJobNotifications',
      'RecordJobStatus',
      'WriteStoryboards',
    ]);
  });

  it('tells the completion function where outputs are served from, and its claim TTL and request timeout', () => {
    const variables = (template.resource('aws_lambda_function', 'JobEventsFunction').environment as { variables: Record<string, string> })
      .variables;

    expect(variables).toEqual({
      PIPELINE_ID: 'vod-test',
      QUEUE_ARN: refOf(stack.transcoding.queue, 'arn'),
      JOBS_TABLE: refOf(stack.jobsTable.table, 'name'),
      TOPIC_ARN: refOf(stack.jobEvents.topic, 'arn'),
      OUTPUT_BUCKET: refOf(stack.storage.outputBucket.bucket, 'bucket'),
      DISTRIBUTION_DOMAIN: refOf(stack.delivery.distribution, 'domain_name'),
      CLAIM_TTL_SECONDS: '60',
      REQUEST_TIMEOUT_MS: '10000',
      PRICE_TABLE: JSON.stringify(MEDIACONVERT_PRICES),
    });
  });

  it('subscribes an e-mail address only when configured', () => {
    expect(template.resources('aws_sns_topic_subscription')).toEqual({});

    const { template: withEmail } = synthPipeline({ ...TEST_ENVIRONMENT, notifications: { email: 'ops@example.com' } });
    expect(withEmail.onlyResource('aws_sns_topic_subscription')).toEqual(
      expect.objectContaining({ protocol: 'email', endpoint: 'ops@example.com' }),
    );
  });

  describe('the storyboard write, as IAM decides it (simulator)', () => {
    const policy = functionRolePolicies(TEST_ENVIRONMENT)['job-events']!;
    const role = { arn: 'arn:aws:iam::123456789012:role/vod-test-job-events', account: '123456789012', policies: [policy] };
    const outputBucket = String(
      (template.json.resource as Record<string, Record<string, { bucket?: string }>>).aws_s3_bucket![
        stack.storage.outputBucket.bucket.friendlyUniqueId
      ]!.bucket,
    ).replace(/\$\{data\.aws_caller_identity\.\w+\.account_id\}/g, '123456789012');

    it.each<[string, string, string, 'Allowed' | 'ImplicitlyDenied']>([
      ['writes an asset’s storyboard', 's3:PutObject', 'my-trip-3f2a9c0d1e4b/hls/storyboard.vtt', 'Allowed'],
      ['does not overwrite a rendition', 's3:PutObject', 'my-trip-3f2a9c0d1e4b/hls/my-trip.m3u8', 'ImplicitlyDenied'],
      [
        'does not write a storyboard-named file elsewhere',
        's3:PutObject',
        'my-trip-3f2a9c0d1e4b/analysis/storyboard.vtt',
        'ImplicitlyDenied',
      ],
      ['does not write at the bucket root', 's3:PutObject', 'storyboard.vtt', 'ImplicitlyDenied'],
      ['does not read the storyboard back', 's3:GetObject', 'my-trip-3f2a9c0d1e4b/hls/storyboard.vtt', 'ImplicitlyDenied'],
      ['does not delete it', 's3:DeleteObject', 'my-trip-3f2a9c0d1e4b/hls/storyboard.vtt', 'ImplicitlyDenied'],
    ])('%s (%s %s): %s', async (_, action, key, expected) => {
      // Act
      const decision = await decide(role, { action, resource: `arn:aws:s3:::${outputBucket}/${key}` });

      // Assess
      expect(decision).toBe(expected);
    });

    it('writes storyboards under the example CI roles’ permissions boundary too', async () => {
      expect(
        await decide(
          { ...role, boundary: boundaryPolicy('test') },
          { action: 's3:PutObject', resource: `arn:aws:s3:::${outputBucket}/my-trip-3f2a9c0d1e4b/hls/storyboard.vtt` },
        ),
      ).toBe('Allowed');
    });

    it('writes no storyboard into another bucket', async () => {
      expect(await decide(role, { action: 's3:PutObject', resource: 'arn:aws:s3:::someone-else/a1/hls/storyboard.vtt' })).toBe(
        'ImplicitlyDenied',
      );
    });
  });
});
