import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import {
  SWEEP_METRICS,
  SWEEP_METRIC_DIMENSION,
  SWEEP_METRIC_NAMESPACE,
  SweepMetric,
  toEnvironment,
} from '../../contracts/functions/job-sweep';
import { OPEN_RECORDS_INDEX } from '../../contracts/jobs-table';
import { asyncRetryWindowSeconds } from '../../contracts/time-budget';
import { checkIntegerProp } from '../lib/prop-validation';
import { JobsTable } from './jobs-table';
import { MetricAlarmSpec } from './monitoring';
import { FUNCTION_DEFAULTS, JOB_SWEEP_DEFAULTS, JOB_SWEEP_RANGES } from '../../contracts/defaults';
import { FunctionSettings, NodeFunction } from './node-function';
import { EncryptionKey } from './encryption-key';

export { JOB_SWEEP_DEFAULTS } from '../../contracts/defaults';

export interface JobSweepProps {
  /** Pipeline id, e.g. `vod-dev`: names the function and is the metrics' `Pipeline` dimension. */
  readonly pipelineId: string;
  /** The table whose open-records index the sweep reads. */
  readonly jobsTable: JobsTable;
  /**
   * Timeout and async retries of the submit and job-events functions: together with Lambda's
   * retry delays they bound how long a record may legitimately stay SUBMITTING or unnotified.
   * @default - FUNCTION_DEFAULTS (60 s, 2 retries: a 7-minute window)
   */
  readonly watchedFunctions?: Pick<FunctionSettings, 'timeoutSeconds' | 'retryAttempts'>;
  /**
   * A job without a terminal state this many minutes after submission counts as overdue.
   * @default 240
   */
  readonly overdueJobMinutes?: number;
  /**
   * Minutes between sweeps (1..60).
   * @default 5
   */
  readonly intervalMinutes?: number;
  /**
   * Packaging, memory, timeout, concurrency, retries and log retention of the sweep function.
   * @default - the defaults of NodeFunction (FUNCTION_DEFAULTS)
   */
  readonly functionSettings?: FunctionSettings;
  /**
   * A customer-managed key for the function's log group and dead-letter queue.
   * @default - the log group's service key and SSE-SQS
   */
  readonly encryptionKey?: EncryptionKey;
}

/**
 * A scheduled sweep over the jobs table's open records. Each run emits three counts as
 * metrics (stuck submissions, overdue jobs, unnotified outcomes) and logs each record past its
 * threshold. `metricAlarms` are for Monitoring: the stuck-submission alarm treats missing data as
 * breaching, so a sweep that stops running is an alarm too.
 */
export class JobSweep extends Construct {
  readonly sweepFunction: NodeFunction;
  readonly schedule: CloudwatchEventRule;
  /** One alarm per metric, by a stable name, for the Monitoring construct. */
  readonly metricAlarms: Readonly<Record<string, MetricAlarmSpec>>;

  constructor(scope: Construct, id: string, props: JobSweepProps) {
    super(scope, id);
    const watched = {
      timeoutSeconds: props.watchedFunctions?.timeoutSeconds ?? FUNCTION_DEFAULTS.timeoutSeconds,
      retryAttempts: props.watchedFunctions?.retryAttempts ?? FUNCTION_DEFAULTS.retryAttempts,
    };
    const overdueJobMinutes = props.overdueJobMinutes ?? JOB_SWEEP_DEFAULTS.overdueJobMinutes;
    const intervalMinutes = props.intervalMinutes ?? JOB_SWEEP_DEFAULTS.intervalMinutes;
    checkIntegerProp(this, 'intervalMinutes', intervalMinutes, JOB_SWEEP_RANGES.intervalMinutes, 'a sweep runs every 1 to 60 minutes');
    checkIntegerProp(this, 'overdueJobMinutes', overdueJobMinutes, JOB_SWEEP_RANGES.overdueJobMinutes, 'a job may run for up to a week');
    // Past the window plus one sweep, no attempt of the event is left to finish the record.
    const graceSeconds = asyncRetryWindowSeconds(watched) + intervalMinutes * 60;
    const table = props.jobsTable.table;
    const functionName = `${props.pipelineId}-job-sweep`;

    this.sweepFunction = new NodeFunction(this, 'SweepFunction', {
      ...props.functionSettings,
      functionName,
      entry: 'job-sweep',
      encryptionKey: props.encryptionKey,
      environment: toEnvironment({
        pipeline: props.pipelineId,
        jobsTable: table.name,
        stuckSubmissionSeconds: graceSeconds,
        overdueJobMinutes,
        unnotifiedOutcomeSeconds: graceSeconds,
      }),
      statements: [
        {
          sid: 'ReadOpenRecords',
          effect: 'Allow',
          actions: ['dynamodb:Query'],
          resources: [`${table.arn}/index/${OPEN_RECORDS_INDEX.name}`],
        },
        ...props.jobsTable.keyStatements(),
      ],
    });

    this.schedule = new CloudwatchEventRule(this, 'Schedule', {
      name: `${props.pipelineId}-job-sweep`,
      description: `Sweeps the open job records of pipeline ${props.pipelineId}`,
      scheduleExpression: intervalMinutes === 1 ? 'rate(1 minute)' : `rate(${intervalMinutes} minutes)`,
    });
    new LambdaPermission(this, 'AllowScheduleInvoke', {
      statementId: 'AllowJobSweepSchedule',
      action: 'lambda:InvokeFunction',
      functionName: this.sweepFunction.fn.functionName,
      principal: 'events.amazonaws.com',
      sourceArn: this.schedule.arn,
    });
    new CloudwatchEventTarget(this, 'ScheduleTarget', {
      rule: this.schedule.name,
      targetId: 'job-sweep-function',
      arn: this.sweepFunction.fn.arn,
      // A missed run is superseded by the next one; the stuck alarm treats missing data as breaching.
      retryPolicy: { maximumEventAgeInSeconds: intervalMinutes * 60, maximumRetryAttempts: 2 },
    });

    const alarm = (
      name: string,
      metric: SweepMetric,
      description: string,
      treatMissingData: MetricAlarmSpec['treatMissingData'],
    ): [string, MetricAlarmSpec] => [
      name,
      {
        alarmName: `${props.pipelineId}-${name}`,
        description,
        namespace: SWEEP_METRIC_NAMESPACE,
        metricName: SWEEP_METRICS[metric],
        dimensions: { [SWEEP_METRIC_DIMENSION]: props.pipelineId },
        // Two sweeps per period, so one late run does not read as missing data.
        period: 2 * intervalMinutes * 60,
        treatMissingData,
      },
    ];
    this.metricAlarms = Object.fromEntries([
      alarm(
        'stuck-submissions',
        'stuckSubmissions',
        `An upload has been SUBMITTING or RETRYABLE longer than its retries can take (${graceSeconds} s), or the sweep stopped running. Find it in the ${functionName} logs, then the submit function's dead-letter queue.`,
        'breaching',
      ),
      alarm(
        'overdue-jobs',
        'overdueJobs',
        `A job has no terminal state ${overdueJobMinutes} minutes after submission. Find it in the ${functionName} logs and check it in the MediaConvert console.`,
        'notBreaching',
      ),
      alarm(
        'unnotified-outcomes',
        'unnotifiedOutcomes',
        `A job ended but its notification was not published within ${graceSeconds} s. Redrive the job-events dead-letter queue: the record publishes once.`,
        'notBreaching',
      ),
    ]);
  }
}
