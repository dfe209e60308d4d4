import { Construct } from 'constructs';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { PolicyDocument } from '../lib/policy';
import { EncryptionKey } from './encryption-key';

export interface AlarmTopicProps {
  /** Topic name, e.g. `vod-dev-alarms`; also the key's alias (`alias/<topicName>`). */
  readonly topicName: string;
  /** The account that owns the key and whose alarms publish to the topic. */
  readonly accountId: string;
  /** The AWS partition of the account (`aws`, `aws-cn`…), for the account's root ARN. */
  readonly partition: string;
  /**
   * An e-mail address subscribed to every alarm (needs confirming by mail).
   * @default - no subscription
   */
  readonly email?: string;
  /**
   * The environment's customer-managed key: the topic uses it (CloudWatch alarms are granted its
   * use) instead of a key of its own, so an environment has one key, not two.
   * @default - a key of the topic's own
   */
  readonly encryptionKey?: EncryptionKey;
}

/**
 * An SNS topic for alarms, encrypted with its own KMS key. CloudWatch cannot publish to a topic
 * under the AWS managed `alias/aws/sns` key (its key policy admits no service principal), so the
 * alarms would fire into nothing; this key lets CloudWatch alarms of this account use it, and
 * rotates yearly.
 */
export class AlarmTopic extends Construct {
  readonly topic: SnsTopic;
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.key = props.encryptionKey ? this.useEnvironmentKey(props.encryptionKey) : this.createOwnKey(props);
    this.topic = new SnsTopic(this, 'Topic', { name: props.topicName, kmsMasterKeyId: this.key.arn });
    if (props.email !== undefined) {
      new SnsTopicSubscription(this, 'EmailSubscription', { topicArn: this.topic.arn, protocol: 'email', endpoint: props.email });
    }
  }

  private useEnvironmentKey(key: EncryptionKey): KmsKey {
    key.allowCloudWatchAlarms();
    return key.key;
  }

  private createOwnKey(props: AlarmTopicProps): KmsKey {
    const policy = new PolicyDocument(this, 'KeyPolicy', [
      {
        sid: 'AccountAdministersTheKey',
        effect: 'Allow',
        principals: [{ type: 'AWS', identifiers: [`arn:${props.partition}:iam::${props.accountId}:root`] }],
        actions: ['kms:*'],
        resources: ['*'],
      },
      {
        sid: 'CloudWatchAlarmsPublish',
        effect: 'Allow',
        principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [props.accountId] }],
      },
    ]);
    const key = new KmsKey(this, 'Key', {
      description: `Encrypts the ${props.topicName} SNS topic; CloudWatch alarms of this account may use it`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policy.json,
    });
    new KmsAlias(this, 'KeyAlias', { name: `alias/${props.topicName}`, targetKeyId: key.keyId });
    return key;
  }
}
