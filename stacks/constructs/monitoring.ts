import { Construct } from 'constructs';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { NodeFunction } from './node-function';

/** An alarm on a metric another construct emits (e.g. the job sweep's), raised by Monitoring with the rest. */
export interface MetricAlarmSpec {
  /** The alarm's name in CloudWatch. */
  readonly alarmName: string;
  /** What it means and what to do: the text the on-call person reads. */
  readonly description: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** Seconds per evaluation period (a multiple of 60). */
  readonly period: number;
  /** `breaching` when no data means the emitter stopped, which is itself worth an alarm. */
  readonly treatMissingData: 'breaching' | 'notBreaching';
}

export interface MonitoringProps {
  /** Resource name prefix, e.g. `vod-dev`. */
  readonly name: string;
  /**
   * Dead-letter queues by a stable name (e.g. `submit-job`): any message in one is a lost event
   * to look at. The name is the alarm's construct id, so reordering never recreates an alarm.
   */
  readonly deadLetterQueues: Readonly<Record<string, SqsQueue>>;
  /** Functions whose errors raise an alarm, by a stable name (the alarm's construct id). */
  readonly functions: Readonly<Record<string, NodeFunction>>;
  /**
   * Alarms on other metrics, by a stable name (the alarm's construct id); each fires at a value of 1 or more.
   * @default {}
   */
  readonly metricAlarms?: Readonly<Record<string, MetricAlarmSpec>>;
}

/** An alarm per dead-letter queue, per function and per given metric, sent to an encrypted alarm topic. */
export class Monitoring extends Construct {
  readonly alarmTopic: SnsTopic;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.alarmTopic = new SnsTopic(this, 'AlarmTopic', { name: `${props.name}-alarms`, kmsMasterKeyId: 'alias/aws/sns' });
    const common = {
      evaluationPeriods: 1,
      period: 300,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
      alarmActions: [this.alarmTopic.arn],
    };
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      new CloudwatchMetricAlarm(this, `DeadLetterAlarm-${name}`, {
        ...common,
        alarmName: `${queue.name}-not-empty`,
        alarmDescription: `Events were dead-lettered to ${queue.name}: inspect and redrive them.`,
        namespace: 'AWS/SQS',
        metricName: 'ApproximateNumberOfMessagesVisible',
        statistic: 'Maximum',
        dimensions: { QueueName: queue.name },
      });
    }
    for (const [name, fn] of Object.entries(props.functions)) {
      new CloudwatchMetricAlarm(this, `FunctionErrorAlarm-${name}`, {
        ...common,
        alarmName: `${fn.fn.functionName}-errors`,
        alarmDescription: `${fn.fn.functionName} failed; its async retries may end in its DLQ.`,
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        statistic: 'Sum',
        dimensions: { FunctionName: fn.fn.functionName },
      });
    }
    for (const [name, spec] of Object.entries(props.metricAlarms ?? {})) {
      new CloudwatchMetricAlarm(this, `MetricAlarm-${name}`, {
        ...common,
        alarmName: spec.alarmName,
        alarmDescription: spec.description,
        namespace: spec.namespace,
        metricName: spec.metricName,
        dimensions: { ...spec.dimensions },
        statistic: 'Maximum',
        period: spec.period,
        treatMissingData: spec.treatMissingData,
      });
    }
  }
}
