import { Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { checkIntegerProp } from '../lib/prop-validation';
import { PolicyDocument, PolicyStatement } from '../lib/policy';

/** KMS waits 7 to 30 days before it deletes a key scheduled for deletion. */
export const KEY_DELETION_WINDOW_DAYS = { min: 7, max: 30 } as const;

/** The services whose calls a role's KMS statement is limited to (`kms:ViaService`). */
export type KeyUsingService = 's3' | 'dynamodb' | 'sns' | 'sqs';

export interface EncryptionKeyProps {
  /** Pipeline id, e.g. `vod-dev`: the key's alias is `alias/<name>-key`. */
  readonly name: string;
  /** The account that owns the key: its root administers it (AWS requires an administrator in the key policy). */
  readonly accountId: string;
  /** The partition of the account (`aws`, `aws-cn`…). */
  readonly partition: string;
  /** The region of the key and of every resource it encrypts. */
  readonly region: string;
  /**
   * Days KMS waits before deleting the key once deletion is scheduled: the window to cancel it.
   * @default 30
   */
  readonly deletionWindowInDays?: number;
}

/** A condition-scoped grant of the key to an AWS service principal, collected until synth. */
interface ServiceGrant {
  readonly values: string[];
}

/**
 * One customer-managed KMS key per environment, rotated yearly, with an alias and a deletion window.
 * The key policy lets the account administer the key (the root statement AWS requires, which
 * also lets IAM policies of the account grant its use) and lets AWS services use it only as
 * named here: each construct that encrypts with the key adds the service grant it needs
 * (CloudWatch Logs for its log groups, CloudFront for its distribution, EventBridge and SNS
 * for their dead-letter queues, CloudWatch alarms for the alarm topic). Roles get
 * {@link statement}s through `kms:ViaService`, so the key is usable only through the service
 * that stores the data.
 */
export class EncryptionKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;
  private readonly policy: PolicyDocument;
  private readonly grants = new Map<string, ServiceGrant>();
  private readonly props: EncryptionKeyProps;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const deletionWindowInDays = props.deletionWindowInDays ?? KEY_DELETION_WINDOW_DAYS.max;
    checkIntegerProp(this, 'deletionWindowInDays', deletionWindowInDays, KEY_DELETION_WINDOW_DAYS, 'KMS waits 7 to 30 days');
    this.props = props;

    this.policy = new PolicyDocument(this, 'KeyPolicy', [
      {
        sid: 'AccountAdministersTheKey',
        effect: 'Allow',
        principals: [{ type: 'AWS', identifiers: [`arn:${props.partition}:iam::${props.accountId}:root`] }],
        actions: ['kms:*'],
        resources: ['*'],
      },
    ]);
    this.key = new KmsKey(this, 'Key', {
      description: `Encrypts the data of the ${props.name} video pipeline: buckets, jobs table, topics, queues, log groups`,
      enableKeyRotation: true,
      deletionWindowInDays,
      policy: this.policy.json,
    });
    this.alias = new KmsAlias(this, 'Alias', { name: `alias/${props.name}-key`, targetKeyId: this.key.keyId });
  }

  /** The key's ARN, for `kms_key_id`, `kms_master_key_id` and SSE settings. */
  get arn(): string {
    return this.key.arn;
  }

  /**
   * A role statement: `actions` on this key, only through `service` in the key's region, and with
   * `encryptionContext` when given (e.g. `aws:s3:arn` = one bucket: with bucket keys, the bucket's ARN).
   */
  statement(
    sid: string,
    service: KeyUsingService,
    actions: string[],
    encryptionContext?: { readonly key: string; readonly values: string[] },
  ): PolicyStatement {
    return {
      sid,
      effect: 'Allow',
      actions,
      resources: [this.key.arn],
      condition: [
        { test: 'StringEquals', variable: 'kms:ViaService', values: [`${service}.${this.props.region}.amazonaws.com`] },
        ...(encryptionContext
          ? [{ test: 'ArnEquals', variable: `kms:EncryptionContext:${encryptionContext.key}`, values: encryptionContext.values }]
          : []),
      ],
    };
  }

  /** CloudWatch Logs may encrypt and decrypt this log group's events (its ARN is the encryption context). */
  allowLogGroup(logGroupName: string): void {
    const { partition, region, accountId } = this.props;
    this.allowService(
      'CloudWatchLogsEncryptOwnLogGroups',
      `logs.${region}.amazonaws.com`,
      ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      { test: 'ArnEquals', variable: 'kms:EncryptionContext:aws:logs:arn' },
      `arn:${partition}:logs:${region}:${accountId}:log-group:${logGroupName}`,
    );
  }

  /** CloudFront may decrypt objects it fetches through Origin Access Control for this distribution only. */
  allowCloudFrontDistribution(distributionArn: string): void {
    this.allowService(
      'CloudFrontDecryptForOwnDistribution',
      'cloudfront.amazonaws.com',
      ['kms:Decrypt'],
      { test: 'StringEquals', variable: 'aws:SourceArn' },
      distributionArn,
    );
  }

  /** EventBridge may write dead letters of this rule to a queue under the key. */
  allowEventBridgeRule(ruleName: string): void {
    const { partition, region, accountId } = this.props;
    this.allowService(
      'EventBridgeDeadLettersOfOwnRules',
      'events.amazonaws.com',
      ['kms:Decrypt', 'kms:GenerateDataKey'],
      { test: 'ArnEquals', variable: 'aws:SourceArn' },
      `arn:${partition}:events:${region}:${accountId}:rule/${ruleName}`,
    );
  }

  /** SNS may write this topic's undeliverable messages to a queue under the key (subscription redrive). */
  allowSnsTopic(topicName: string): void {
    const { partition, region, accountId } = this.props;
    this.allowService(
      'SnsDeadLettersOfOwnTopics',
      'sns.amazonaws.com',
      ['kms:Decrypt', 'kms:GenerateDataKey'],
      { test: 'ArnEquals', variable: 'aws:SourceArn' },
      `arn:${partition}:sns:${region}:${accountId}:${topicName}`,
    );
  }

  /**
   * CloudWatch alarms of the account may publish to a topic under the key. CloudWatch names the
   * account (`aws:SourceAccount`); the alarm topic's policy, not the key, limits which topic.
   */
  allowCloudWatchAlarms(): void {
    this.allowService(
      'CloudWatchAlarmsPublish',
      'cloudwatch.amazonaws.com',
      ['kms:Decrypt', 'kms:GenerateDataKey*'],
      { test: 'StringEquals', variable: 'aws:SourceAccount' },
      this.props.accountId,
    );
  }

  /**
   * Adds `value` to the grant `sid` (one statement per service, its condition values collected
   * until synth), creating the statement on first use.
   */
  private allowService(
    sid: string,
    service: string,
    actions: string[],
    condition: { readonly test: string; readonly variable: string },
    value: string,
  ): void {
    const existing = this.grants.get(sid);
    if (existing) {
      if (!existing.values.includes(value)) existing.values.push(value);
      return;
    }
    const grant: ServiceGrant = { values: [value] };
    this.grants.set(sid, grant);
    this.policy.addStatements({
      sid,
      effect: 'Allow',
      principals: [{ type: 'Service', identifiers: [service] }],
      actions,
      resources: ['*'],
      condition: [{ test: condition.test, variable: condition.variable, values: Lazy.listValue({ produce: () => grant.values }) }],
    });
  }
}
