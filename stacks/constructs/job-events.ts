import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { jobStateChangePattern, toEnvironment } from '../../contracts/functions/job-events';
import { EVENTBRIDGE_TARGET_LIMITS, SQS_MAX_RETENTION_SECONDS } from '../../contracts/aws-limits';
import { EVENT_TARGET_RETRY_DEFAULTS } from '../../contracts/defaults';
import { checkIntegerProp } from '../lib/prop-validation';
import { MEDIACONVERT_PRICES, PriceTable } from '../../contracts/pricing';
import { requestTimeoutMsFor } from '../../contracts/time-budget';
import { FunctionSettings, NodeFunction, resolveFunctionSettings } from './node-function';
import { JobsTable } from './jobs-table';
import { PolicyDocument } from '../lib/policy';
import { STORYBOARD_KEY_PATTERN } from '../../contracts/storage-layout';
import { EncryptionKey } from './encryption-key';

export interface JobEventsProps {
  /** Pipeline id, e.g. `vod-dev`: jobs whose UserMetadata carries another id are never delivered. */
  readonly pipelineId: string;
  /** This pipeline's MediaConvert queue: only its jobs' events are delivered (metadata alone can be forged). */
  readonly queueArn: string;
  /** Table the function records each job state change in. */
  readonly jobsTable: JobsTable;
  /** Output bucket name, to recognise output paths. */
  readonly outputBucketName: string;
  /**
   * Output bucket ARN: the function may write storyboards (`<assetId>/hls/storyboard.vtt`) there and nothing else.
   * @default - `arn:aws:s3:::<outputBucketName>` (the aws partition)
   */
  readonly outputBucketArn?: string;
  /** CloudFront domain the notification's URLs use. */
  readonly distributionDomain: string;
  /**
   * E-mail address subscribed to notifications (needs confirming by mail).
   * @default - no subscription
   */
  readonly notificationEmail?: string;
  /**
   * How long and how often EventBridge retries delivery to the function before the DLQ.
   * @default { maximumEventAgeSeconds: 3600, maximumRetryAttempts: 10 }
   */
  readonly targetRetry?: { readonly maximumEventAgeSeconds: number; readonly maximumRetryAttempts: number };
  /**
   * The MediaConvert price table of the function's cost estimates (contracts/pricing.ts).
   * @default MEDIACONVERT_PRICES
   */
  readonly prices?: PriceTable;
  /**
   * Packaging, memory, timeout, concurrency, retries and log retention of the function.
   * @default - the defaults of NodeFunction (FUNCTION_DEFAULTS)
   */
  readonly functionSettings?: FunctionSettings;
  /**
   * A customer-managed key for the topic, the dead-letter queues and the log group (EventBridge
   * is granted its use for this rule's dead letters).
   * @default - the AWS managed SNS key and SSE-SQS
   */
  readonly encryptionKey?: EncryptionKey;
}

/**
 * Job state changes → completion function → jobs table and an encrypted SNS topic.
 * Every hop has a retry policy and a dead-letter queue.
 */
export class JobEvents extends Construct {
  readonly topic: SnsTopic;
  readonly rule: CloudwatchEventRule;
  readonly ruleDeadLetterQueue: SqsQueue;
  readonly completionFunction: NodeFunction;

  constructor(scope: Construct, id: string, props: JobEventsProps) {
    super(scope, id);
    const targetRetry = props.targetRetry ?? EVENT_TARGET_RETRY_DEFAULTS;
    checkIntegerProp(
      this,
      'targetRetry.maximumEventAgeSeconds',
      targetRetry.maximumEventAgeSeconds,
      EVENTBRIDGE_TARGET_LIMITS.maximumEventAgeSeconds,
      'EventBridge keeps an event from 1 minute to 24 hours',
    );
    checkIntegerProp(
      this,
      'targetRetry.maximumRetryAttempts',
      targetRetry.maximumRetryAttempts,
      EVENTBRIDGE_TARGET_LIMITS.maximumRetryAttempts,
      'EventBridge retries a target at most 185 times',
    );
    const name = props.pipelineId;
    const key = props.encryptionKey;
    const ruleName = `${name}-job-state-change`;

    this.topic = new SnsTopic(this, 'Topic', { name: `${name}-job-notifications`, kmsMasterKeyId: key?.arn ?? 'alias/aws/sns' });
    if (props.notificationEmail) {
      new SnsTopicSubscription(this, 'EmailSubscription', {
        topicArn: this.topic.arn,
        protocol: 'email',
        endpoint: props.notificationEmail,
      });
    }

    const functionSettings = resolveFunctionSettings(props.functionSettings);
    const outputBucketArn = props.outputBucketArn ?? `arn:aws:s3:::${props.outputBucketName}`;
    this.completionFunction = new NodeFunction(this, 'JobEventsFunction', {
      ...functionSettings,
      functionName: `${name}-job-events`,
      entry: 'job-events',
      encryptionKey: key,
      environment: toEnvironment({
        pipeline: props.pipelineId,
        queueArn: props.queueArn,
        table: props.jobsTable.table.name,
        topicArn: this.topic.arn,
        outputBucket: props.outputBucketName,
        distributionDomain: props.distributionDomain,
        // A publish claim older than one invocation belongs to a timed-out attempt.
        claimTtlSeconds: functionSettings.timeoutSeconds,
        requestTimeoutMs: requestTimeoutMsFor(functionSettings.timeoutSeconds),
        prices: props.prices ?? MEDIACONVERT_PRICES,
      }),
      statements: [
        { sid: 'PublishJobNotifications', effect: 'Allow', actions: ['sns:Publish'], resources: [this.topic.arn] },
        { sid: 'RecordJobStatus', effect: 'Allow', actions: ['dynamodb:UpdateItem'], resources: [props.jobsTable.table.arn] },
        // Scrubbing previews: the storyboard WebVTT of each asset, and no other key of the bucket.
        {
          sid: 'WriteStoryboards',
          effect: 'Allow',
          actions: ['s3:PutObject'],
          resources: [`${outputBucketArn}/${STORYBOARD_KEY_PATTERN}`],
        },
        ...props.jobsTable.keyStatements(),
        // SNS encrypts each published message with a data key of the topic's key, as the publisher.
        ...(key ? [key.statement('PublishUnderTopicKey', 'sns', ['kms:GenerateDataKey', 'kms:Decrypt'])] : []),
        // With bucket keys, a PutObject under the customer key asks KMS for a data key of the output bucket.
        ...(key
          ? [
              key.statement('WriteStoryboardsUnderBucketKey', 's3', ['kms:GenerateDataKey'], {
                key: 'aws:s3:arn',
                values: [outputBucketArn],
              }),
            ]
          : []),
      ],
    });

    this.rule = new CloudwatchEventRule(this, 'JobStateChangeRule', {
      name: ruleName,
      description: `MediaConvert job state changes of pipeline ${props.pipelineId}`,
      eventPattern: JSON.stringify(jobStateChangePattern(props.pipelineId, props.queueArn)),
    });
    key?.allowEventBridgeRule(ruleName);
    this.ruleDeadLetterQueue = new SqsQueue(this, 'RuleDeadLetterQueue', {
      name: `${name}-job-events-rule-dlq`,
      // EventBridge cannot use the AWS managed SQS KMS key: SSE-SQS, or the customer key that grants it.
      ...(key ? { kmsMasterKeyId: key.arn } : { sqsManagedSseEnabled: true }),
      messageRetentionSeconds: SQS_MAX_RETENTION_SECONDS,
    });
    new SqsQueuePolicy(this, 'RuleDeadLetterQueuePolicy', {
      queueUrl: this.ruleDeadLetterQueue.url,
      policy: new PolicyDocument(this, 'RuleDeadLetterQueuePolicyDocument', [
        {
          sid: 'AllowRuleDeadLetters',
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
          actions: ['sqs:SendMessage'],
          resources: [this.ruleDeadLetterQueue.arn],
          condition: [{ test: 'ArnEquals', variable: 'aws:SourceArn', values: [this.rule.arn] }],
        },
      ]).json,
    });
    new LambdaPermission(this, 'AllowRuleInvoke', {
      statementId: 'AllowJobStateChangeRule',
      action: 'lambda:InvokeFunction',
      functionName: this.completionFunction.fn.functionName,
      principal: 'events.amazonaws.com',
      sourceArn: this.rule.arn,
    });
    new CloudwatchEventTarget(this, 'JobStateChangeTarget', {
      rule: this.rule.name,
      targetId: 'job-events-function',
      arn: this.completionFunction.fn.arn,
      retryPolicy: { maximumEventAgeInSeconds: targetRetry.maximumEventAgeSeconds, maximumRetryAttempts: targetRetry.maximumRetryAttempts },
      deadLetterConfig: { arn: this.ruleDeadLetterQueue.arn },
    });
  }
}
