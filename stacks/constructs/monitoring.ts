import { Construct } from 'constructs';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { METRIC_NAMESPACE, metricDimensions } from '../../contracts/metrics';
import { MONITORING_DEFAULTS, MONITORING_RANGES } from '../../contracts/defaults';
import { accountIdOf, partitionOf } from '../lib/account';
import { buildDashboardBody, errorRateQueries } from '../lib/dashboard-body';
import { checkIntegerProp, checkNumberProp } from '../lib/prop-validation';
import { AlarmTopic } from './alarm-topic';
import { NodeFunction } from './node-function';
import { EncryptionKey } from './encryption-key';

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

export { MONITORING_DEFAULTS } from '../../contracts/defaults';

export interface MonitoringProps {
  /** Pipeline id, e.g. `vod-dev`: names the topic, the dashboard and the alarms, and is the `Pipeline` dimension of the functions' metrics. */
  readonly name: string;
  /** Region of the dashboard's widgets (the pipeline's region). */
  readonly region: string;
  /**
   * Dead-letter queues by a stable name (e.g. `submit-job`): any message in one is a lost event
   * to look at. The name is the alarm's construct id, so reordering never recreates an alarm.
   */
  readonly deadLetterQueues: Readonly<Record<string, SqsQueue>>;
  /** Functions whose errors and throttles raise alarms, by a stable name (the alarm's construct id). */
  readonly functions: Readonly<Record<string, NodeFunction>>;
  /**
   * Alarms on other metrics, by a stable name (the alarm's construct id); each fires at a value of 1 or more.
   * @default {}
   */
  readonly metricAlarms?: Readonly<Record<string, MetricAlarmSpec>>;
  /** The pipeline's MediaConvert queue: the dashboard shows AWS/MediaConvert's metrics of it. */
  readonly mediaconvertQueueArn: string;
  /**
   * The account whose CloudWatch alarms may use the alarm topic's key.
   * @default - the stack provider's account (aws_caller_identity)
   */
  readonly accountId?: string;
  /**
   * An e-mail address subscribed to the alarm topic (needs confirming by mail).
   * @default - no subscription
   */
  readonly alarmEmail?: string;
  /**
   * Alarm when more than this percent of finished jobs ended in ERROR within `errorRatePeriodMinutes` (0..100).
   * @default 10
   */
  readonly errorRateThresholdPercent?: number;
  /**
   * The window of the job error rate, in minutes (1..1440).
   * @default 60
   */
  readonly errorRatePeriodMinutes?: number;
  /**
   * Alarm when the estimated MediaConvert cost of one UTC day's completed jobs exceeds this, in USD.
   * @default 50
   */
  readonly dailyCostBudgetUsd?: number;
  /**
   * Show the content-analysis widget on the dashboard.
   * @default false
   */
  readonly contentAnalysis?: boolean;
  /**
   * The environment's customer-managed key, for the alarm topic instead of a key of its own.
   * @default - the alarm topic gets its own key
   */
  readonly encryptionKey?: EncryptionKey;
}

/**
 * What an on-call engineer watches: an alarm per dead-letter queue, per function (errors and
 * throttles) and per given metric, the job error rate and the estimated cost per day, all sent
 * to an alarm topic under its own KMS key; and a dashboard of the pipeline (stacks/lib/dashboard-body).
 */
export class Monitoring extends Construct {
  readonly alarmTopic: SnsTopic;
  /** The alarm topic's key (its own, or the environment's customer key): CloudWatch alarms of the account may use it. */
  readonly alarmKey: KmsKey;
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const errorRateThresholdPercent = props.errorRateThresholdPercent ?? MONITORING_DEFAULTS.errorRateThresholdPercent;
    const errorRatePeriodMinutes = props.errorRatePeriodMinutes ?? MONITORING_DEFAULTS.errorRatePeriodMinutes;
    const dailyCostBudgetUsd = props.dailyCostBudgetUsd ?? MONITORING_DEFAULTS.dailyCostBudgetUsd;
    checkNumberProp(
      this,
      'errorRateThresholdPercent',
      errorRateThresholdPercent,
      MONITORING_RANGES.errorRateThresholdPercent,
      'it is a percentage of finished jobs',
    );
    checkIntegerProp(
      this,
      'errorRatePeriodMinutes',
      errorRatePeriodMinutes,
      MONITORING_RANGES.errorRatePeriodMinutes,
      'an alarm looks back at most one day',
    );
    checkNumberProp(this, 'dailyCostBudgetUsd', dailyCostBudgetUsd, MONITORING_RANGES.dailyCostBudgetUsd, 'it is a budget in USD per day');

    const alarms = new AlarmTopic(this, 'Alarms', {
      topicName: `${props.name}-alarms`,
      accountId: props.accountId ?? accountIdOf(this),
      partition: partitionOf(this),
      ...(props.alarmEmail !== undefined ? { email: props.alarmEmail } : {}),
      ...(props.encryptionKey ? { encryptionKey: props.encryptionKey } : {}),
    });
    this.alarmTopic = alarms.topic;
    this.alarmKey = alarms.key;
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
        alarmDescription: `Events were dead-lettered to ${queue.name}: read them (aws sqs receive-message), fix the cause the function logged, then invoke the function again with each event (docs/operating.md, Redrive a dead-letter queue).`,
        namespace: 'AWS/SQS',
        metricName: 'ApproximateNumberOfMessagesVisible',
        statistic: 'Maximum',
        dimensions: { QueueName: queue.name },
      });
    }
    for (const [name, fn] of Object.entries(props.functions)) {
      const functionName = fn.fn.functionName;
      new CloudwatchMetricAlarm(this, `FunctionErrorAlarm-${name}`, {
        ...common,
        alarmName: `${functionName}-errors`,
        alarmDescription: `${functionName} failed; its async retries may end in its DLQ. Its log group names the record and the error.`,
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        statistic: 'Sum',
        dimensions: { FunctionName: functionName },
      });
      new CloudwatchMetricAlarm(this, `FunctionThrottleAlarm-${name}`, {
        ...common,
        alarmName: `${functionName}-throttles`,
        alarmDescription: `${functionName} was throttled at its reserved concurrency: events wait for Lambda's retries. Raise lambda.reservedConcurrency if it persists.`,
        namespace: 'AWS/Lambda',
        metricName: 'Throttles',
        statistic: 'Sum',
        dimensions: { FunctionName: functionName },
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

    const rate = errorRateQueries(props.name, errorRatePeriodMinutes * 60);
    new CloudwatchMetricAlarm(this, 'JobErrorRateAlarm', {
      alarmName: `${props.name}-job-error-rate`,
      alarmDescription: `More than ${errorRateThresholdPercent}% of the jobs that finished in ${errorRatePeriodMinutes} minutes ended in ERROR. Read error.code and error.message in the ERROR notifications or the jobs table; 1010/1030: the job cannot read the source, 1040: unsupported input, 3450: it cannot write the outputs.`,
      evaluationPeriods: 1,
      threshold: errorRateThresholdPercent,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
      alarmActions: [this.alarmTopic.arn],
      metricQuery: [
        ...rate.counts.map((c) => ({
          id: c.id,
          returnData: false,
          metric: { namespace: METRIC_NAMESPACE, metricName: c.name, dimensions: c.dimensions, period: c.period, stat: 'Sum' },
        })),
        { id: rate.id, expression: rate.expression, label: rate.label, returnData: true },
      ],
    });
    new CloudwatchMetricAlarm(this, 'DailyCostAlarm', {
      alarmName: `${props.name}-daily-cost`,
      alarmDescription: `The estimated MediaConvert cost of today's completed jobs (UTC) is above the budget of $${dailyCostBudgetUsd}. Check "Source minutes per day" on the dashboard (a burst of uploads?) and whether acceleration bills jobs at Professional rates; npm run estimate prices a source.`,
      evaluationPeriods: 1,
      period: 86_400,
      threshold: dailyCostBudgetUsd,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
      alarmActions: [this.alarmTopic.arn],
      namespace: METRIC_NAMESPACE,
      metricName: 'EstimatedCostUSD',
      statistic: 'Sum',
      dimensions: metricDimensions('EstimatedCostUSD', props.name),
    });

    this.dashboard = new CloudwatchDashboard(this, 'Dashboard', {
      dashboardName: props.name,
      dashboardBody: JSON.stringify(
        buildDashboardBody({
          pipeline: props.name,
          region: props.region,
          functions: Object.fromEntries(Object.entries(props.functions).map(([name, fn]) => [name, fn.fn.functionName])),
          deadLetterQueues: Object.fromEntries(Object.entries(props.deadLetterQueues).map(([name, queue]) => [name, queue.name])),
          mediaconvertQueueArn: props.mediaconvertQueueArn,
          dailyCostBudgetUsd,
          errorRateThresholdPercent,
          contentAnalysis: props.contentAnalysis ?? false,
          externalMetrics: Object.values(props.metricAlarms ?? {}).map((spec) => ({
            label: spec.metricName,
            namespace: spec.namespace,
            metricName: spec.metricName,
            dimensions: spec.dimensions,
          })),
        }),
      ),
    });
  }
}
