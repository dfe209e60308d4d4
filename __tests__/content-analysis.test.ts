import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { CONTENT_ANALYSIS_VARIABLES, fromEnvironment } from '../contracts/functions/content-analysis';
import { ContentAnalysis, ContentAnalysisProps } from '../stacks/constructs/content-analysis';
import { JobsTable } from '../stacks/constructs/jobs-table';
import { SecureBucket } from '../stacks/constructs/secure-bucket';
import { Template, refOf } from '../testing';
import { TEST_ENVIRONMENT, synthPipeline } from './support/pipeline';

/** The analysis construct with the pieces it takes from the rest of the pipeline. */
function synthAnalysis(props: Partial<ContentAnalysisProps> = {}) {
  return Template.synthBuilt((scope) => {
    const jobsTable = new JobsTable(scope, 'JobsTable', { tableName: 'vod-test-jobs' });
    const outputBucket = new SecureBucket(scope, 'Output', { bucketName: 'vod-test-output' });
    const notificationTopic = new SnsTopic(scope, 'Notifications', { name: 'vod-test-job-notifications' });
    const analysis = new ContentAnalysis(scope, 'ContentAnalysis', {
      pipelineId: 'vod-test',
      queueArn: 'arn:aws:mediaconvert:us-east-1:111122223333:queues/vod-test',
      jobsTable,
      outputBucket,
      distributionDomain: 'd111111abcdef8.cloudfront.net',
      notificationTopic,
      accountId: '111122223333',
      functionSettings: { packaging: 'zip' },
      ...props,
    });
    return { analysis, jobsTable, outputBucket, notificationTopic };
  });
}

describe('ContentAnalysis', () => {
  const { template, built } = synthAnalysis();
  const { analysis, outputBucket, jobsTable, notificationTopic } = built;
  const functionPolicy = () => template.statementsOf(template.resource('aws_iam_role_policy', 'AnalysisFunction').policy);
  const statement = (sid: string) => functionPolicy().find((s) => s.sid === sid);

  it('sends only COMPLETE jobs of this pipeline to the analysis function', () => {
    // Act
    const rule = template.resource('aws_cloudwatch_event_rule', 'CompletedJobRule');

    // Assess
    expect(JSON.parse(String(rule.event_pattern))).toEqual({
      source: ['aws.mediaconvert'],
      'detail-type': ['MediaConvert Job State Change'],
      detail: {
        status: ['COMPLETE'],
        queue: ['arn:aws:mediaconvert:us-east-1:111122223333:queues/vod-test'],
        userMetadata: { pipeline: ['vod-test'] },
      },
    });
  });

  it('lets Rekognition publish completions to its topic and nothing else', () => {
    // Prepare
    const role = template.resource('aws_iam_role', 'RekognitionRole');
    const policy = template.resource('aws_iam_role_policy', 'RekognitionRolePolicy');

    // Act
    const trust = template.statementsOf(role.assume_role_policy);
    const statements = template.statementsOf(policy.policy);

    // Assess
    expect(trust).toEqual([
      expect.objectContaining({
        principals: [{ type: 'Service', identifiers: ['rekognition.amazonaws.com'] }],
        actions: ['sts:AssumeRole'],
        condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111122223333'] }],
      }),
    ]);
    expect(statements).toEqual([
      { sid: 'PublishCompletions', effect: 'Allow', actions: ['sns:Publish'], resources: [refOf(analysis.analysisTopic, 'arn')] },
    ]);
  });

  it('lets the function read only MP4 renditions and write only analysis/', () => {
    // Act
    const s3Statements = functionPolicy().filter((s) => (s.actions as string[]).some((a) => a.startsWith('s3:')));

    // Assess
    expect(s3Statements).toEqual([
      expect.objectContaining({
        sid: 'ReadMp4Renditions',
        actions: ['s3:GetObject'],
        resources: [`${refOf(outputBucket.bucket, 'arn')}/*/mp4/*`],
      }),
      expect.objectContaining({
        sid: 'WriteLabels',
        actions: ['s3:PutObject'],
        resources: [`${refOf(outputBucket.bucket, 'arn')}/*/analysis/*`],
      }),
    ]);
  });

  it('lets the function pass the Rekognition role to Rekognition only', () => {
    expect(statement('PassRekognitionRole')).toEqual(
      expect.objectContaining({
        actions: ['iam:PassRole'],
        resources: [refOf(analysis.rekognitionRole, 'arn')],
        condition: [{ test: 'StringEquals', variable: 'iam:PassedToService', values: ['rekognition.amazonaws.com'] }],
      }),
    );
  });

  it('accepts Publish on the completion topic only from the role Rekognition assumes', () => {
    // Act
    const policy = template.onlyResource('aws_sns_topic_policy');

    // Assess
    expect(policy.arn).toBe(refOf(analysis.analysisTopic, 'arn'));
    expect(template.statementsOf(policy.policy)).toEqual([
      {
        sid: 'AllowRekognitionRolePublish',
        effect: 'Allow',
        principals: [{ type: 'AWS', identifiers: [refOf(analysis.rekognitionRole, 'arn')] }],
        actions: ['sns:Publish'],
        resources: [refOf(analysis.analysisTopic, 'arn')],
      },
      {
        sid: 'DenyPublishByAnyoneElse',
        effect: 'Deny',
        principals: [{ type: 'AWS', identifiers: ['*'] }],
        actions: ['sns:Publish'],
        resources: [refOf(analysis.analysisTopic, 'arn')],
        condition: [{ test: 'ArnNotEquals', variable: 'aws:PrincipalArn', values: [refOf(analysis.rekognitionRole, 'arn')] }],
      },
    ]);
  });

  it('grants the function nothing beyond labels, its record, its notification and its own basics', () => {
    // Act
    const grants = functionPolicy().map((s) => `${s.sid}: ${(s.actions as string[]).join(',')} on ${(s.resources as string[]).join(',')}`);

    // Assess
    expect(grants).toEqual([
      expect.stringMatching(/^WriteOwnLogs: logs:CreateLogStream,logs:PutLogEvents on /),
      expect.stringMatching(/^SendToOwnDeadLetterQueue: sqs:SendMessage on /),
      'WriteTraces: xray:PutTraceSegments,xray:PutTelemetryRecords on *',
      'DetectLabels: rekognition:StartLabelDetection,rekognition:GetLabelDetection on *',
      `PassRekognitionRole: iam:PassRole on ${refOf(analysis.rekognitionRole, 'arn')}`,
      `ReadMp4Renditions: s3:GetObject on ${refOf(outputBucket.bucket, 'arn')}/*/mp4/*`,
      `WriteLabels: s3:PutObject on ${refOf(outputBucket.bucket, 'arn')}/*/analysis/*`,
      `RecordAnalysis: dynamodb:GetItem,dynamodb:UpdateItem on ${refOf(jobsTable.table, 'arn')}`,
      `PublishAnalysisNotifications: sns:Publish on ${refOf(notificationTopic, 'arn')}`,
    ]);
  });

  it('brings completions back through the topic, and both deliveries retry into a dead-letter queue', () => {
    // Act
    const subscription = template.resource('aws_sns_topic_subscription', 'CompletionSubscription');
    const target = template.resource('aws_cloudwatch_event_target', 'CompletedJobTarget');

    // Assess
    expect(subscription).toEqual(
      expect.objectContaining({
        topic_arn: refOf(analysis.analysisTopic, 'arn'),
        protocol: 'lambda',
        endpoint: refOf(analysis.analysisFunction.fn, 'arn'),
      }),
    );
    expect(JSON.parse(String(subscription.redrive_policy))).toEqual({
      deadLetterTargetArn: refOf(analysis.deliveryDeadLetterQueue, 'arn'),
    });
    expect(target).toEqual(
      expect.objectContaining({
        arn: refOf(analysis.analysisFunction.fn, 'arn'),
        retry_policy: { maximum_event_age_in_seconds: 3600, maximum_retry_attempts: 10 },
        dead_letter_config: { arn: refOf(analysis.deliveryDeadLetterQueue, 'arn') },
      }),
    );
  });

  it('lets only its rule and its topic invoke the function', () => {
    // Act
    const permissions = Object.values(template.resources('aws_lambda_permission')).map((p) => [p.principal, p.source_arn]);

    // Assess
    expect(permissions).toEqual([
      ['events.amazonaws.com', refOf(analysis.rule, 'arn')],
      ['sns.amazonaws.com', refOf(analysis.analysisTopic, 'arn')],
    ]);
  });

  it('encrypts the completion topic', () => {
    expect(template.resource('aws_sns_topic', 'AnalysisTopic').kms_master_key_id).toBe('alias/aws/sns');
  });

  it('writes the environment the handler reads', () => {
    // Act
    const fn = template.resource('aws_lambda_function', 'AnalysisFunction');
    const variables = (fn.environment as { variables: Record<string, string> }).variables;

    // Assess
    expect(Object.keys(variables).sort()).toEqual(
      Object.values(CONTENT_ANALYSIS_VARIABLES)
        .map((v) => v.name)
        .sort(),
    );
    expect(fromEnvironment({ ...variables, AWS_REGION: 'us-east-1' })).toEqual(
      expect.objectContaining({
        pipeline: 'vod-test',
        minConfidence: 70,
        topLabels: 10,
        analysisRoleArn: refOf(analysis.rekognitionRole, 'arn'),
      }),
    );
  });

  it.each([
    [{ minConfidence: 101 }, /'minConfidence' is 101; Rekognition takes a confidence in percent\. Use an integer from 0 to 100\./],
    [{ topLabels: 0 }, /'topLabels' is 0/],
  ])('refuses %p at synth, naming the construct', (props, message) => {
    expect(() => synthAnalysis(props)).toThrow(message);
  });
});

describe('content analysis in the pipeline stack', () => {
  /** Resource types only the analysis adds. */
  const analysisResources = (template: Template) =>
    Object.keys(template.json.resource as Record<string, Record<string, unknown>>).flatMap((type) =>
      Object.keys(template.resources(type))
        .filter((id) => id.startsWith('ContentAnalysis'))
        .map((id) => `${type}.${id}`),
    );

  it('is off by default: no function, topic, role, rule or queue of it', () => {
    // Act
    const { template, stack } = synthPipeline(TEST_ENVIRONMENT);

    // Assess
    expect(stack.contentAnalysis).toBeUndefined();
    expect(analysisResources(template)).toEqual([]);
    expect(JSON.stringify(template.json)).not.toMatch(/rekognition/i);
  });

  it('when enabled, analyses the pipeline jobs and announces on its notification topic', () => {
    // Act
    const { template, stack } = synthPipeline({ ...TEST_ENVIRONMENT, contentAnalysis: { enabled: true, minConfidence: 80, topLabels: 5 } });
    const variables = (template.resource('aws_lambda_function', 'AnalysisFunction').environment as { variables: Record<string, string> })
      .variables;

    // Assess
    expect(analysisResources(template).length).toBeGreaterThan(10);
    expect(variables).toEqual(
      expect.objectContaining({
        PIPELINE_ID: 'vod-test',
        TOPIC_ARN: refOf(stack.jobEvents.topic, 'arn'),
        OUTPUT_BUCKET: refOf(stack.storage.outputBucket.bucket, 'bucket'),
        MIN_CONFIDENCE: '80',
        TOP_LABELS: '5',
      }),
    );
  });
});
