import { JOB_SWEEP_VARIABLES, JobSweepSettings, SWEEP_METRICS, fromEnvironment, toEnvironment } from '../contracts/functions/job-sweep';
import { InvalidEnvironmentError } from '../contracts/errors';
import { TEST_ENVIRONMENT, synthPipeline } from './support/pipeline';
import { Template, refOf } from '../testing';

const sweepPolicy = (t: Template) => t.statementsOf(t.resource('aws_iam_role_policy', 'JobSweep').policy);
const sweepAlarms = (t: Template) =>
  Object.values(t.resources('aws_cloudwatch_metric_alarm')).filter(
    (a) => a.namespace === 'VideoPipeline' && (Object.values(SWEEP_METRICS) as unknown[]).includes(a.metric_name),
  );

describe('JobSweep', () => {
  const { template, stack } = synthPipeline(TEST_ENVIRONMENT);

  it('runs the sweep function every 5 minutes, invocable only by its schedule', () => {
    expect(template.resource('aws_cloudwatch_event_rule', 'JobSweep')).toEqual(
      expect.objectContaining({ name: 'vod-test-job-sweep', schedule_expression: 'rate(5 minutes)' }),
    );
    expect(template.resource('aws_cloudwatch_event_target', 'JobSweep')).toEqual(
      expect.objectContaining({
        rule: refOf(stack.jobSweep.schedule, 'name'),
        arn: refOf(stack.jobSweep.sweepFunction.fn, 'arn'),
      }),
    );
    expect(template.resource('aws_lambda_permission', 'JobSweep')).toEqual(
      expect.objectContaining({
        principal: 'events.amazonaws.com',
        source_arn: refOf(stack.jobSweep.schedule, 'arn'),
      }),
    );
  });

  it('may only query the open-records index of the jobs table', () => {
    const statements = sweepPolicy(template).filter(
      (s) => !['WriteOwnLogs', 'SendToOwnDeadLetterQueue', 'WriteTraces'].includes(String(s.sid)),
    );

    expect(statements).toEqual([
      {
        sid: 'ReadOpenRecords',
        effect: 'Allow',
        actions: ['dynamodb:Query'],
        resources: [`${refOf(stack.jobsTable.table, 'arn')}/index/open-records`],
      },
    ]);
  });

  it('flags a claim stuck past the submit function’s retry window plus one sweep, and jobs overdue after the configured minutes', () => {
    // Prepare: 30 s functions with one retry: 2 × 30 + 60 = 120 s, plus a 10-minute sweep.
    const configured = synthPipeline({
      ...TEST_ENVIRONMENT,
      lambda: { packaging: 'zip', timeoutSeconds: 30, retryAttempts: 1 },
      monitoring: { overdueJobMinutes: 90, sweepIntervalMinutes: 10 },
    });

    // Act
    const variables = (configured.template.resource('aws_lambda_function', 'JobSweep').environment as { variables: Record<string, string> })
      .variables;

    // Assess
    expect(fromEnvironment(variables)).toEqual({
      pipeline: 'vod-test',
      jobsTable: refOf(configured.stack.jobsTable.table, 'name'),
      stuckSubmissionSeconds: 120 + 600,
      overdueJobMinutes: 90,
      unnotifiedOutcomeSeconds: 120 + 600,
    });
    expect(configured.template.resource('aws_cloudwatch_event_rule', 'JobSweep').schedule_expression).toBe('rate(10 minutes)');
  });

  it('alarms on each sweep metric, and on a sweep that stopped reporting stuck submissions', () => {
    const summary = sweepAlarms(template).map((a) => [a.metric_name, a.treat_missing_data, a.period, a.statistic, a.threshold]);

    expect(summary.sort()).toEqual([
      ['OverdueJobs', 'notBreaching', 600, 'Maximum', 1],
      ['StuckSubmissions', 'breaching', 600, 'Maximum', 1],
      ['UnnotifiedOutcomes', 'notBreaching', 600, 'Maximum', 1],
    ]);
    for (const alarm of sweepAlarms(template)) {
      expect(alarm).toEqual(
        expect.objectContaining({
          dimensions: { Pipeline: 'vod-test' },
          alarm_actions: [refOf(stack.monitoring.alarmTopic, 'arn')],
          alarm_description: expect.stringMatching(/vod-test-job-sweep|dead-letter queue/),
        }),
      );
    }
  });
});

describe('job-sweep contract', () => {
  const SETTINGS: JobSweepSettings = {
    pipeline: 'vod-dev',
    jobsTable: 'vod-dev-jobs',
    stuckSubmissionSeconds: 720,
    overdueJobMinutes: 240,
    unnotifiedOutcomeSeconds: 720,
  };

  it('round-trips every setting: construct environment → handler settings', () => {
    expect(fromEnvironment(toEnvironment(SETTINGS))).toEqual(SETTINGS);
  });

  it('is what the JobSweep construct synthesizes into the function', () => {
    const { template } = synthPipeline(TEST_ENVIRONMENT);
    const variables = (template.resource('aws_lambda_function', 'JobSweep').environment as { variables: Record<string, string> }).variables;

    expect(Object.keys(variables).sort()).toEqual(
      Object.values(JOB_SWEEP_VARIABLES)
        .map((v) => v.name)
        .sort(),
    );
  });

  it('rejects an overdue threshold that is not a whole number of minutes, naming the variable', () => {
    expect(() => fromEnvironment({ ...toEnvironment(SETTINGS), OVERDUE_JOB_MINUTES: '1.5' })).toThrow(InvalidEnvironmentError);
    expect(() => fromEnvironment({ ...toEnvironment(SETTINGS), OVERDUE_JOB_MINUTES: '1.5' })).toThrow(/OVERDUE_JOB_MINUTES is invalid/);
  });
});
