import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { MIN_CONFIDENCE_RANGE, TOP_LABELS_RANGE, completedJobPattern, toEnvironment } from '../../contracts/functions/content-analysis';
import { SQS_MAX_RETENTION_SECONDS } from '../../contracts/aws-limits';
import { CONTENT_ANALYSIS_DEFAULTS, EVENT_TARGET_RETRY_DEFAULTS } from '../../contracts/defaults';
import { OUTPUT_FOLDERS } from '../../contracts/storage-layout';
import { METRIC_NAMESPACE, metricDimensions } from '../../contracts/metrics';
import { checkIntegerProp } from '../lib/prop-validation';
import { PolicyDocument, serviceTrust } from '../lib/policy';
import { JobsTable } from './jobs-table';
import { MetricAlarmSpec } from './monitoring';
import { FunctionSettings, NodeFunction } from './node-function';
import { SecureBucket } from './secure-bucket';
import { EncryptionKey } from './encryption-key';

export { CONTENT_ANALYSIS_DEFAULTS } from '../../contracts/defaults';

export interface ContentAnalysisProps {
  /** Pipeline id, e.g. `vod-dev`: only this pipeline's COMPLETE jobs are analysed. */
  readonly pipelineId: string;
  /** This pipeline's MediaConvert queue: only its jobs are analysed (metadata alone can be forged). */
  readonly queueArn: string;
  /** The analysis summary goes on the job's record here. */
  readonly jobsTable: JobsTable;
  /** Where the MP4 renditions are read and `<assetId>/analysis/labels.json` is written. */
  readonly outputBucket: SecureBucket;
  /** CloudFront domain of the labels' URL in the notification. */
  readonly distributionDomain: string;
  /** The job notifications topic: the analysis notification is published there too. */
  readonly notificationTopic: SnsTopic;
  /**
   * The account Rekognition may act for when it assumes the publishing role (confused-deputy guard).
   * @default - no aws:SourceAccount condition on the role's trust policy
   */
  readonly accountId?: string;
  /**
   * Labels below this confidence (whole percent, 0..100) are not returned.
   * @default 70
   */
  readonly minConfidence?: number;
  /**
   * How many labels the record and the notification summarize (1..50); labels.json has all.
   * @default 10
   */
  readonly topLabels?: number;
  /**
   * Packaging, memory, timeout, concurrency, retries and log retention of the analysis function.
   * @default - the defaults of NodeFunction (FUNCTION_DEFAULTS)
   */
  readonly functionSettings?: FunctionSettings;
  /**
   * The customer-managed key of the output bucket, the table and the topics: the analysis topic,
   * the delivery dead-letter queue and the log group are encrypted with it too.
   * @default - AWS managed keys
   */
  readonly encryptionKey?: EncryptionKey;
}

/**
 * Rekognition Video label detection of each completed job's MP4. A rule sends this pipeline's
 * COMPLETE events to the analysis function, which starts `StartLabelDetection` with an SNS
 * notification channel (a topic, and a role that may publish to it and nothing else); the topic
 * brings Rekognition's completion back to the function, which stores every label as
 * `<assetId>/analysis/labels.json`, records the top labels on the job's record and announces
 * them on the job notifications topic. The function reads only `*\/mp4/*` and writes only
 * `*\/analysis/*` of the output bucket. Both deliveries retry into one dead-letter queue.
 */
export class ContentAnalysis extends Construct {
  readonly analysisFunction: NodeFunction;
  /** Rekognition's completion channel. */
  readonly analysisTopic: SnsTopic;
  /** The role Rekognition publishes to `analysisTopic` with. */
  readonly rekognitionRole: IamRole;
  readonly rule: CloudwatchEventRule;
  /** Where COMPLETE events and completion messages go when delivery to the function fails. */
  readonly deliveryDeadLetterQueue: SqsQueue;
  /** The failed-analysis alarm, by a stable name, for the Monitoring construct. */
  readonly metricAlarms: Readonly<Record<string, MetricAlarmSpec>>;

  constructor(scope: Construct, id: string, props: ContentAnalysisProps) {
    super(scope, id);
    const minConfidence = props.minConfidence ?? CONTENT_ANALYSIS_DEFAULTS.minConfidence;
    const topLabels = props.topLabels ?? CONTENT_ANALYSIS_DEFAULTS.topLabels;
    checkIntegerProp(this, 'minConfidence', minConfidence, MIN_CONFIDENCE_RANGE, 'Rekognition takes a confidence in percent');
    checkIntegerProp(this, 'topLabels', topLabels, TOP_LABELS_RANGE, 'the summary rides on the record and the notification');
    const name = props.pipelineId;
    const bucketArn = props.outputBucket.bucketArn;
    const key = props.encryptionKey;
    const analysisTopicName = `${name}-rekognition`;
    const ruleName = `${name}-content-analysis`;

    this.analysisTopic = new SnsTopic(this, 'AnalysisTopic', { name: analysisTopicName, kmsMasterKeyId: key?.arn ?? 'alias/aws/sns' });
    this.rekognitionRole = new IamRole(this, 'RekognitionRole', {
      name: `${name}-rekognition`,
      description: 'Assumed by Rekognition Video to publish label-detection completions of this pipeline',
      assumeRolePolicy: new PolicyDocument(this, 'RekognitionTrust', [serviceTrust('rekognition.amazonaws.com', props.accountId)]).json,
    });
    new IamRolePolicy(this, 'RekognitionRolePolicy', {
      name: 'publish-completions',
      role: this.rekognitionRole.id,
      policy: new PolicyDocument(this, 'RekognitionPolicy', [
        { sid: 'PublishCompletions', effect: 'Allow', actions: ['sns:Publish'], resources: [this.analysisTopic.arn] },
        ...(key ? [key.statement('PublishUnderTopicKey', 'sns', ['kms:GenerateDataKey', 'kms:Decrypt'])] : []),
      ]).json,
    });
    // Identity policies in the account could otherwise let any principal publish a forged completion:
    // the topic denies Publish to everyone but the role Rekognition assumes.
    new SnsTopicPolicy(this, 'AnalysisTopicPolicy', {
      arn: this.analysisTopic.arn,
      policy: new PolicyDocument(this, 'AnalysisTopicPolicyDocument', [
        {
          sid: 'AllowRekognitionRolePublish',
          effect: 'Allow',
          principals: [{ type: 'AWS', identifiers: [this.rekognitionRole.arn] }],
          actions: ['sns:Publish'],
          resources: [this.analysisTopic.arn],
        },
        {
          sid: 'DenyPublishByAnyoneElse',
          effect: 'Deny',
          principals: [{ type: 'AWS', identifiers: ['*'] }],
          actions: ['sns:Publish'],
          resources: [this.analysisTopic.arn],
          condition: [{ test: 'ArnNotEquals', variable: 'aws:PrincipalArn', values: [this.rekognitionRole.arn] }],
        },
      ]).json,
    });

    this.analysisFunction = new NodeFunction(this, 'AnalysisFunction', {
      ...props.functionSettings,
      functionName: `${name}-content-analysis`,
      entry: 'content-analysis',
      encryptionKey: key,
      environment: toEnvironment({
        pipeline: name,
        queueArn: props.queueArn,
        jobsTable: props.jobsTable.table.name,
        outputBucket: props.outputBucket.bucketName,
        distributionDomain: props.distributionDomain,
        notificationTopicArn: props.notificationTopic.arn,
        analysisTopicArn: this.analysisTopic.arn,
        analysisRoleArn: this.rekognitionRole.arn,
        minConfidence,
        topLabels,
      }),
      statements: [
        // Rekognition Video's Start/Get actions have no resource-level permissions.
        {
          sid: 'DetectLabels',
          effect: 'Allow',
          actions: ['rekognition:StartLabelDetection', 'rekognition:GetLabelDetection'],
          resources: ['*'],
        },
        {
          sid: 'PassRekognitionRole',
          effect: 'Allow',
          actions: ['iam:PassRole'],
          resources: [this.rekognitionRole.arn],
          condition: [{ test: 'StringEquals', variable: 'iam:PassedToService', values: ['rekognition.amazonaws.com'] }],
        },
        // Rekognition reads the video with the caller's permissions.
        { sid: 'ReadMp4Renditions', effect: 'Allow', actions: ['s3:GetObject'], resources: [`${bucketArn}/*/${OUTPUT_FOLDERS.mp4}/*`] },
        { sid: 'WriteLabels', effect: 'Allow', actions: ['s3:PutObject'], resources: [`${bucketArn}/*/${OUTPUT_FOLDERS.analysis}/*`] },
        // GetItem: a completion message is checked against the record before anything is read or written.
        {
          sid: 'RecordAnalysis',
          effect: 'Allow',
          actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
          resources: [props.jobsTable.table.arn],
        },
        { sid: 'PublishAnalysisNotifications', effect: 'Allow', actions: ['sns:Publish'], resources: [props.notificationTopic.arn] },
        ...props.jobsTable.keyStatements(),
        ...(key
          ? [
              // Rekognition reads the MP4 with this role's permissions; labels.json is written under the bucket's key.
              key.statement('ReadAndWriteOutputObjects', 's3', ['kms:Decrypt', 'kms:GenerateDataKey'], {
                key: 'aws:s3:arn',
                values: [bucketArn],
              }),
              key.statement('PublishUnderTopicKey', 'sns', ['kms:GenerateDataKey', 'kms:Decrypt']),
            ]
          : []),
      ],
    });
    const fn = this.analysisFunction.fn;

    this.rule = new CloudwatchEventRule(this, 'CompletedJobRule', {
      name: ruleName,
      description: `COMPLETE MediaConvert jobs of pipeline ${name}, for content analysis`,
      eventPattern: JSON.stringify(completedJobPattern(name, props.queueArn)),
    });
    key?.allowEventBridgeRule(ruleName);
    key?.allowSnsTopic(analysisTopicName);
    this.deliveryDeadLetterQueue = new SqsQueue(this, 'DeliveryDeadLetterQueue', {
      name: `${name}-content-analysis-delivery-dlq`,
      // EventBridge and SNS cannot use the AWS managed SQS KMS key: SSE-SQS, or the customer key that grants them.
      ...(key ? { kmsMasterKeyId: key.arn } : { sqsManagedSseEnabled: true }),
      messageRetentionSeconds: SQS_MAX_RETENTION_SECONDS,
    });
    new SqsQueuePolicy(this, 'DeliveryDeadLetterQueuePolicy', {
      queueUrl: this.deliveryDeadLetterQueue.url,
      policy: new PolicyDocument(this, 'DeliveryDeadLetterQueuePolicyDocument', [
        {
          sid: 'AllowRuleDeadLetters',
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
          actions: ['sqs:SendMessage'],
          resources: [this.deliveryDeadLetterQueue.arn],
          condition: [{ test: 'ArnEquals', variable: 'aws:SourceArn', values: [this.rule.arn] }],
        },
        {
          sid: 'AllowSubscriptionDeadLetters',
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: ['sns.amazonaws.com'] }],
          actions: ['sqs:SendMessage'],
          resources: [this.deliveryDeadLetterQueue.arn],
          condition: [{ test: 'ArnEquals', variable: 'aws:SourceArn', values: [this.analysisTopic.arn] }],
        },
      ]).json,
    });
    new LambdaPermission(this, 'AllowRuleInvoke', {
      statementId: 'AllowCompletedJobRule',
      action: 'lambda:InvokeFunction',
      functionName: fn.functionName,
      principal: 'events.amazonaws.com',
      sourceArn: this.rule.arn,
    });
    new CloudwatchEventTarget(this, 'CompletedJobTarget', {
      rule: this.rule.name,
      targetId: 'content-analysis-function',
      arn: fn.arn,
      retryPolicy: {
        maximumEventAgeInSeconds: EVENT_TARGET_RETRY_DEFAULTS.maximumEventAgeSeconds,
        maximumRetryAttempts: EVENT_TARGET_RETRY_DEFAULTS.maximumRetryAttempts,
      },
      deadLetterConfig: { arn: this.deliveryDeadLetterQueue.arn },
    });
    new LambdaPermission(this, 'AllowTopicInvoke', {
      statementId: 'AllowRekognitionCompletions',
      action: 'lambda:InvokeFunction',
      functionName: fn.functionName,
      principal: 'sns.amazonaws.com',
      sourceArn: this.analysisTopic.arn,
    });
    new SnsTopicSubscription(this, 'CompletionSubscription', {
      topicArn: this.analysisTopic.arn,
      protocol: 'lambda',
      endpoint: fn.arn,
      redrivePolicy: JSON.stringify({ deadLetterTargetArn: this.deliveryDeadLetterQueue.arn }),
    });

    this.metricAlarms = {
      'failed-analyses': {
        alarmName: `${name}-failed-analyses`,
        description: `Rekognition could not analyse a completed job's MP4, or refused to start. The job itself is fine; the record's analysis.error and the ANALYSIS_FAILED notification say why (video too large or unreadable, an IAM change); see docs/operating.md.`,
        namespace: METRIC_NAMESPACE,
        metricName: 'AnalysesFailed',
        dimensions: metricDimensions('AnalysesFailed', name),
        period: 300,
        treatMissingData: 'notBreaching',
      },
    };
  }
}
