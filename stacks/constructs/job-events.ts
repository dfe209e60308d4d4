import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { FunctionSettings, NodeFunction } from './node-function';
import { JobsTable } from './jobs-table';
import { PolicyDocument } from '../lib/policy';

/** Job states the rule forwards: progress, plus the three terminal states. */
export const FORWARDED_JOB_STATUSES = ['PROGRESSING', 'COMPLETE', 'ERROR', 'CANCELED'] as const;

/** The EventBridge pattern: MediaConvert state changes of this pipeline's jobs only. */
export function jobStateChangePattern(pipelineId: string): Record<string, unknown> {
  return {
    source: ['aws.mediaconvert'],
    'detail-type': ['MediaConvert Job State Change'],
    detail: {
      status: [...FORWARDED_JOB_STATUSES],
      userMetadata: { pipeline: [pipelineId] },
    },
  };
}

export interface JobEventsProps {
  /** Pipeline id, e.g. `vod-dev`: jobs whose UserMetadata carries another id are never delivered. */
  readonly pipelineId: string;
  readonly jobsTable: JobsTable;
  /** Output bucket name, to recognise output paths. */
  readonly outputBucketName: string;
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
  /** Packaging, memory, timeout, concurrency, retries and log retention of the function. */
  readonly functionSettings?: FunctionSettings;
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
    const targetRetry = props.targetRetry ?? { maximumEventAgeSeconds: 3600, maximumRetryAttempts: 10 };
    const name = props.pipelineId;

    this.topic = new SnsTopic(this, 'Topic', { name: `${name}-job-notifications`, kmsMasterKeyId: 'alias/aws/sns' });
    if (props.notificationEmail) {
      new SnsTopicSubscription(this, 'EmailSubscription', {
        topicArn: this.topic.arn,
        protocol: 'email',
        endpoint: props.notificationEmail,
      });
    }

    this.completionFunction = new NodeFunction(this, 'JobEventsFunction', {
      ...props.functionSettings,
      functionName: `${name}-job-events`,
      entry: 'job-events',
      environment: {
        PIPELINE_ID: props.pipelineId,
        JOBS_TABLE: props.jobsTable.table.name,
        TOPIC_ARN: this.topic.arn,
        OUTPUT_BUCKET: props.outputBucketName,
        DISTRIBUTION_DOMAIN: props.distributionDomain,
      },
      statements: [
        { sid: 'PublishJobNotifications', effect: 'Allow', actions: ['sns:Publish'], resources: [this.topic.arn] },
        { sid: 'RecordJobStatus', effect: 'Allow', actions: ['dynamodb:UpdateItem'], resources: [props.jobsTable.table.arn] },
      ],
    });

    this.rule = new CloudwatchEventRule(this, 'JobStateChangeRule', {
      name: `${name}-job-state-change`,
      description: `MediaConvert job state changes of pipeline ${props.pipelineId}`,
      eventPattern: JSON.stringify(jobStateChangePattern(props.pipelineId)),
    });
    this.ruleDeadLetterQueue = new SqsQueue(this, 'RuleDeadLetterQueue', {
      name: `${name}-job-events-rule-dlq`,
      // EventBridge cannot use the AWS managed SQS KMS key: SSE-SQS instead.
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: 1_209_600,
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
