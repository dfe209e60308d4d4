import { VIDEO_EXTENSIONS } from '../contracts/storage-layout';
import { parseLadder } from '../contracts/ladder';
import { videoSuffixes } from '../stacks/constructs/ingest';
import { TEST_ENVIRONMENT, synthPipeline } from './support/pipeline';
import { Template, refOf } from '../testing';

type Block = Record<string, unknown>;
const submitPolicy = (t: Template) => t.statementsOf(t.resource('aws_iam_role_policy', 'SubmitJob').policy);

describe('Ingest', () => {
  const { template, stack } = synthPipeline(TEST_ENVIRONMENT);

  it('notifies the submit function for every video suffix in lower and upper case', () => {
    // Act
    const rules = template.onlyResource('aws_s3_bucket_notification').lambda_function as Block[];

    // Assess
    expect(rules.map((r) => r.filter_suffix).sort()).toEqual(VIDEO_EXTENSIONS.flatMap((e) => [`.${e}`, `.${e.toUpperCase()}`]).sort());
    for (const rule of rules) {
      expect(rule.events).toEqual(['s3:ObjectCreated:*']);
      expect(rule.lambda_function_arn).toBe(refOf(stack.ingest.submitFunction.fn, 'arn'));
    }
  });

  it('has no two suffix rules where one is a suffix of another (S3 rejects overlaps)', () => {
    const suffixes = videoSuffixes();

    for (const a of suffixes) for (const b of suffixes) if (a !== b) expect(b.endsWith(a)).toBe(false);
  });

  it('saves the notification only after the invoke permission exists', () => {
    const notification = template.onlyResource('aws_s3_bucket_notification');

    expect(notification.bucket).toBe(refOf(stack.storage.sourceBucket.bucket, 'id'));
    expect(notification.depends_on).toEqual([
      `aws_lambda_permission.${Object.keys(template.resources('aws_lambda_permission')).find((id) => id.includes('Ingest'))}`,
    ]);
  });

  it('lets only the source bucket of this account invoke the submit function', () => {
    expect(template.resource('aws_lambda_permission', 'Ingest')).toEqual(
      expect.objectContaining({
        principal: 's3.amazonaws.com',
        action: 'lambda:InvokeFunction',
        source_arn: refOf(stack.storage.sourceBucket.bucket, 'arn'),
        source_account: '${data.aws_caller_identity.CallerIdentity.account_id}',
      }),
    );
  });

  it('grants exactly CreateJob and SearchJobs on its queue, GetJob, PassRole of the MediaConvert role, its table, Publish on the notification topic, Probe, and reads of source objects', () => {
    const statements = submitPolicy(template).filter(
      (s) => !['WriteOwnLogs', 'SendToOwnDeadLetterQueue', 'WriteTraces'].includes(String(s.sid)),
    );

    expect(statements).toEqual([
      {
        sid: 'CreateJobsOnOwnQueue',
        effect: 'Allow',
        actions: ['mediaconvert:CreateJob'],
        resources: [refOf(stack.transcoding.queue, 'arn')],
      },
      {
        sid: 'PassServiceRoleToMediaConvert',
        effect: 'Allow',
        actions: ['iam:PassRole'],
        resources: [refOf(stack.transcoding.role, 'arn')],
        condition: [{ test: 'StringEquals', variable: 'iam:PassedToService', values: ['mediaconvert.amazonaws.com'] }],
      },
      {
        sid: 'FindEarlierJobsOnOwnQueue',
        effect: 'Allow',
        actions: ['mediaconvert:SearchJobs'],
        resources: [refOf(stack.transcoding.queue, 'arn')],
      },
      {
        sid: 'ReadEarlierJobs',
        effect: 'Allow',
        actions: ['mediaconvert:GetJob'],
        resources: [`\${replace(${refOf(stack.transcoding.queue, 'arn').slice(2, -1)}, "/:queues/.*$/", ":jobs/*")}`],
      },
      {
        sid: 'ClaimAndRecordJobs',
        effect: 'Allow',
        actions: ['dynamodb:UpdateItem'],
        resources: [refOf(stack.jobsTable.table, 'arn')],
      },
      { sid: 'AnnounceFailedUploads', effect: 'Allow', actions: ['sns:Publish'], resources: [refOf(stack.jobEvents.topic, 'arn')] },
      { sid: 'ProbeSources', effect: 'Allow', actions: ['mediaconvert:Probe'], resources: ['*'] },
      {
        sid: 'ReadSourceObjects',
        effect: 'Allow',
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [`${refOf(stack.storage.sourceBucket.bucket, 'arn')}/*`],
      },
    ]);
  });

  it('tells the submit function its upload limits as compact JSON, and where to announce refused uploads', () => {
    const variables = (template.resource('aws_lambda_function', 'SubmitJob').environment as { variables: Record<string, string> })
      .variables;

    expect(JSON.parse(variables.UPLOAD_LIMITS!)).toEqual({
      maxSourceBytes: 20 * 1024 ** 3,
      maxSourceMinutes: 240,
      maxEstimatedCostUsd: 25,
    });
    expect(variables.TOPIC_ARN).toBe(refOf(stack.jobEvents.topic, 'arn'));
  });

  it('lets the submit function read source objects only, not the output bucket', () => {
    const read = submitPolicy(template).find((s) => s.sid === 'ReadSourceObjects');

    expect(read?.resources).toEqual([`${refOf(stack.storage.sourceBucket.bucket, 'arn')}/*`]);
    expect(JSON.stringify(submitPolicy(template))).not.toContain(refOf(stack.storage.outputBucket.bucket, 'arn'));
  });

  it('uses no wildcard action in any IAM policy of the stack', () => {
    // A KMS key policy is a resource policy: its account statement (kms:* on the key itself) is what keeps the key manageable.
    const keyPolicies = Object.values(template.resources('aws_kms_key')).map((key) => String(key.policy));
    const identityPolicies = Object.entries(template.dataSources('aws_iam_policy_document'))
      .filter(([id]) => !keyPolicies.includes(`\${data.aws_iam_policy_document.${id}.json}`))
      .map(([, document]) => document);
    expect(keyPolicies).toHaveLength(1);
    for (const document of identityPolicies) {
      for (const statement of document.statement as Block[]) {
        if (statement.effect === 'Deny') continue;
        for (const action of statement.actions as string[]) expect(action).not.toContain('*');
      }
    }
  });

  it('passes the ladder as compact, valid JSON in ENCODING_LADDER, so a change reads as a plan diff', () => {
    // Act
    const variables = (template.resource('aws_lambda_function', 'SubmitJob').environment as { variables: Record<string, string> })
      .variables;

    // Assess
    expect(variables.ENCODING_LADDER).not.toMatch(/\n/);
    expect(parseLadder(variables.ENCODING_LADDER).rungs.map((r) => r.name)).toEqual(['1080p', '720p', '480p', '360p', '234p']);
    expect(variables).toEqual(
      expect.objectContaining({
        PIPELINE_ID: 'vod-test',
        MEDIACONVERT_QUEUE_ARN: refOf(stack.transcoding.queue, 'arn'),
        MEDIACONVERT_ROLE_ARN: refOf(stack.transcoding.role, 'arn'),
        JOBS_TABLE: refOf(stack.jobsTable.table, 'name'),
        ACCELERATION_MODE: 'DISABLED',
        CLAIM_TTL_SECONDS: '60',
      }),
    );
  });

  it('reflects a ladder change in the function environment', () => {
    const { template: changed } = synthPipeline({
      ...TEST_ENVIRONMENT,
      transcoding: { ladder: { rungs: [{ name: '540p', width: 960, height: 540, qvbrQualityLevel: 7, maxBitrate: 2_000_000 }] } },
    });

    const variables = (changed.resource('aws_lambda_function', 'SubmitJob').environment as { variables: Record<string, string> }).variables;
    expect(JSON.parse(variables.ENCODING_LADDER!).rungs).toEqual([
      { name: '540p', width: 960, height: 540, qvbrQualityLevel: 7, maxBitrate: 2_000_000 },
    ]);
  });

  it('retries failed uploads twice, then dead-letters them', () => {
    expect(template.resource('aws_lambda_function_event_invoke_config', 'SubmitJob')).toEqual(
      expect.objectContaining({ maximum_retry_attempts: 2, maximum_event_age_in_seconds: 21_600 }),
    );
    expect(template.resource('aws_lambda_function', 'SubmitJob').dead_letter_config).toEqual({
      target_arn: refOf(stack.ingest.submitFunction.deadLetterQueue, 'arn'),
    });
  });

  it('keeps submit logs for the configured retention', () => {
    const { template: short } = synthPipeline({ ...TEST_ENVIRONMENT, logRetentionDays: 7 });

    expect(short.resource('aws_cloudwatch_log_group', 'SubmitJob').retention_in_days).toBe(7);
  });

  it('keeps jobs in an encrypted table with point-in-time recovery', () => {
    expect(template.onlyResource('aws_dynamodb_table')).toEqual(
      expect.objectContaining({
        name: 'vod-test-jobs',
        hash_key: 'assetId',
        billing_mode: 'PAY_PER_REQUEST',
        point_in_time_recovery: { enabled: true },
        server_side_encryption: { enabled: true },
        deletion_protection_enabled: true,
      }),
    );
  });

  it('indexes the open records for the sweep, sparse, with only what the sweep reads', () => {
    const table = template.onlyResource('aws_dynamodb_table');

    expect(table.attribute).toEqual(
      expect.arrayContaining([
        { name: 'openShard', type: 'S' },
        { name: 'openSince', type: 'N' },
      ]),
    );
    expect(table.global_secondary_index).toEqual([
      {
        name: 'open-records',
        hash_key: 'openShard',
        range_key: 'openSince',
        projection_type: 'INCLUDE',
        non_key_attributes: ['status', 'jobId', 'submittedAt', 'completedAt', 'updatedAt', 'notifiedAt'],
      },
    ]);
  });
});
