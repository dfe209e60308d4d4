import { SWEEP_METRICS } from '../contracts/functions/job-sweep';
import { Template, refOf } from '../testing';
import { unpublishedMetricLines } from './support/dashboard-metrics';
import { SynthesizedPipeline, TEST_ENVIRONMENT, synthPipeline } from './support/pipeline';

type Block = Record<string, unknown>;
const alarms = (t: Template) => Object.values(t.resources('aws_cloudwatch_metric_alarm'));
const alarmNamed = (t: Template, suffix: string) => alarms(t).find((a) => String(a.alarm_name).endsWith(suffix));

/** The dashboard's body, parsed, and the dimension values that are this stack's own resources. */
function dashboardOf({ template, stack }: SynthesizedPipeline) {
  const body = JSON.parse(String(template.onlyResource('aws_cloudwatch_dashboard').dashboard_body)) as Parameters<
    typeof unpublishedMetricLines
  >[0];
  const functions = [stack.ingest.submitFunction, stack.jobEvents.completionFunction, stack.jobSweep.sweepFunction];
  if (stack.contentAnalysis) functions.push(stack.contentAnalysis.analysisFunction);
  const queues = [
    ...functions.map((f) => f.deadLetterQueue),
    stack.jobEvents.ruleDeadLetterQueue,
    ...(stack.contentAnalysis ? [stack.contentAnalysis.deliveryDeadLetterQueue] : []),
  ];
  const context = {
    pipeline: 'vod-test',
    dimensionValues: {
      FunctionName: functions.map((f) => refOf(f.fn, 'function_name')),
      QueueName: queues.map((q) => refOf(q, 'name')),
      Queue: [refOf(stack.transcoding.queue, 'arn')],
    },
    externalMetrics: Object.values(SWEEP_METRICS).map((metricName) => ({
      namespace: 'VideoPipeline',
      metricName,
      dimensions: { Pipeline: 'vod-test' },
    })),
  };
  return { body, context };
}

describe('Monitoring', () => {
  const pipeline = synthPipeline(TEST_ENVIRONMENT);
  const { template, stack } = pipeline;
  const topicArn = refOf(stack.monitoring.alarmTopic, 'arn');

  it('raises an alarm when any dead-letter queue holds a message', () => {
    const dlqAlarms = alarms(template).filter((a) => a.namespace === 'AWS/SQS');

    expect(dlqAlarms.map((a) => a.alarm_name).sort()).toEqual([
      expect.stringMatching(/^\$\{aws_sqs_queue\.Ingest_SubmitJob_DeadLetterQueue_\w+\.name\}-not-empty$/),
      expect.stringMatching(/^\$\{aws_sqs_queue\.JobEvents_JobEventsFunction_DeadLetterQueue_\w+\.name\}-not-empty$/),
      expect.stringMatching(/^\$\{aws_sqs_queue\.JobEvents_RuleDeadLetterQueue_\w+\.name\}-not-empty$/),
      expect.stringMatching(/^\$\{aws_sqs_queue\.JobSweep_SweepFunction_DeadLetterQueue_\w+\.name\}-not-empty$/),
    ]);
    for (const alarm of dlqAlarms) {
      expect(alarm).toEqual(
        expect.objectContaining({
          metric_name: 'ApproximateNumberOfMessagesVisible',
          statistic: 'Maximum',
          threshold: 1,
          comparison_operator: 'GreaterThanOrEqualToThreshold',
          alarm_actions: [topicArn],
        }),
      );
    }
  });

  it('raises an alarm on errors and on throttles of each function', () => {
    // Act
    const lambdaAlarms = alarms(template)
      .filter((a) => a.namespace === 'AWS/Lambda')
      .map((a) => [a.metric_name, (a.dimensions as Record<string, string>).FunctionName, a.statistic, a.threshold, a.alarm_actions]);

    // Assess
    const functions = [stack.ingest.submitFunction, stack.jobEvents.completionFunction, stack.jobSweep.sweepFunction];
    expect(lambdaAlarms).toEqual(
      expect.arrayContaining(
        functions.flatMap((f) => [
          ['Errors', refOf(f.fn, 'function_name'), 'Sum', 1, [topicArn]],
          ['Throttles', refOf(f.fn, 'function_name'), 'Sum', 1, [topicArn]],
        ]),
      ),
    );
    expect(lambdaAlarms).toHaveLength(6);
  });

  it('alarms on the job error rate: errored over finished jobs, above the configured percent', () => {
    // Act
    const alarm = alarmNamed(template, '-job-error-rate')!;
    const queries = alarm.metric_query as Block[];

    // Assess
    expect(alarm).toEqual(
      expect.objectContaining({
        threshold: 10,
        comparison_operator: 'GreaterThanThreshold',
        evaluation_periods: 1,
        alarm_actions: [topicArn],
      }),
    );
    expect(
      queries
        .filter((q) => q.metric)
        .map((q) => [q.id, (q.metric as Block).metric_name, (q.metric as Block).dimensions, (q.metric as Block).period]),
    ).toEqual([
      ['errored', 'JobsErrored', { Pipeline: 'vod-test', service: 'job-events' }, 3600],
      ['completed', 'JobsCompleted', { Pipeline: 'vod-test', service: 'job-events' }, 3600],
      ['canceled', 'JobsCanceled', { Pipeline: 'vod-test', service: 'job-events' }, 3600],
    ]);
    const expression = queries.find((q) => q.return_data === true);
    expect(expression?.expression).toMatch(
      /100 \* FILL\(errored, 0\) \/ \(FILL\(completed, 0\) \+ FILL\(errored, 0\) \+ FILL\(canceled, 0\)\)/,
    );
  });

  it('alarms when the estimated cost of one day exceeds the budget', () => {
    expect(alarmNamed(template, '-daily-cost')).toEqual(
      expect.objectContaining({
        namespace: 'VideoPipeline',
        metric_name: 'EstimatedCostUSD',
        dimensions: { Pipeline: 'vod-test', service: 'job-events' },
        statistic: 'Sum',
        period: 86_400,
        threshold: 50,
        comparison_operator: 'GreaterThanThreshold',
        alarm_actions: [topicArn],
      }),
    );
  });

  it('alarms on jobs without a terminal state N minutes after submission, counted by the scheduled sweep', () => {
    expect(alarmNamed(template, '-overdue-jobs')).toEqual(
      expect.objectContaining({
        metric_name: 'OverdueJobs',
        dimensions: { Pipeline: 'vod-test' },
        threshold: 1,
        alarm_actions: [topicArn],
      }),
    );
    expect(String(alarmNamed(template, '-overdue-jobs')?.alarm_description)).toMatch(/240 minutes after submission/);
  });

  it('takes the thresholds from the config', () => {
    // Act
    const { template: configured } = synthPipeline({
      ...TEST_ENVIRONMENT,
      monitoring: { errorRateThresholdPercent: 2.5, errorRatePeriodMinutes: 15, dailyCostBudgetUsd: 20, overdueJobMinutes: 90 },
    });

    // Assess
    expect(alarmNamed(configured, '-job-error-rate')?.threshold).toBe(2.5);
    expect((alarmNamed(configured, '-job-error-rate')?.metric_query as Block[])[0]).toEqual(
      expect.objectContaining({ metric: expect.objectContaining({ period: 900 }) }),
    );
    expect(alarmNamed(configured, '-daily-cost')?.threshold).toBe(20);
    expect(String(alarmNamed(configured, '-overdue-jobs')?.alarm_description)).toMatch(/90 minutes after submission/);
  });

  it('says in every alarm what it means and what to do', () => {
    for (const alarm of alarms(template)) expect(String(alarm.alarm_description).length).toBeGreaterThan(60);
  });

  it('sends alarms to a topic under its own rotating KMS key, which CloudWatch alarms of this account may use', () => {
    // Prepare
    const key = template.onlyResource('aws_kms_key');

    // Act
    const statements = template.statementsOf(key.policy);

    // Assess
    expect(template.resource('aws_sns_topic', 'Monitoring')).toEqual(
      expect.objectContaining({
        name: 'vod-test-alarms',
        kms_master_key_id: refOf(stack.monitoring.alarmKey, 'arn'),
      }),
    );
    expect(key.enable_key_rotation).toBe(true);
    expect(statements.find((s) => s.sid === 'CloudWatchAlarmsPublish')).toEqual(
      expect.objectContaining({
        principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        condition: [
          { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['${data.aws_caller_identity.CallerIdentity.account_id}'] },
        ],
      }),
    );
  });

  it('subscribes an alarm e-mail address only when configured', () => {
    // Act
    const { template: withEmail } = synthPipeline({ ...TEST_ENVIRONMENT, monitoring: { alarmEmail: 'oncall@example.com' } });

    // Assess
    expect(template.resources('aws_sns_topic_subscription')).toEqual({});
    expect(withEmail.onlyResource('aws_sns_topic_subscription')).toEqual(
      expect.objectContaining({ protocol: 'email', endpoint: 'oncall@example.com' }),
    );
  });

  it('draws a dashboard whose every metric is emitted by a function or published by AWS, with its dimensions', () => {
    // Act
    const { body, context } = dashboardOf(pipeline);

    // Assess
    expect(unpublishedMetricLines(body, context)).toEqual([]);
    expect(body.widgets.map((w) => w.properties.title).filter(Boolean)).toEqual(
      expect.arrayContaining([
        'Jobs by status',
        'Job error rate (%)',
        'Estimated MediaConvert cost per day (USD)',
        'MediaConvert queue',
        'Stuck records (job sweep)',
      ]),
    );
  });

  describe('with content analysis on', () => {
    const withAnalysis = synthPipeline({ ...TEST_ENVIRONMENT, contentAnalysis: { enabled: true } });
    const analysis = withAnalysis.stack.contentAnalysis!;

    it('watches the analysis function, its dead-letter queues and failed analyses', () => {
      // Act
      const watched = alarms(withAnalysis.template).map((a) => [a.metric_name, a.dimensions]);

      // Assess
      expect(watched).toEqual(
        expect.arrayContaining([
          ['Errors', { FunctionName: refOf(analysis.analysisFunction.fn, 'function_name') }],
          ['Throttles', { FunctionName: refOf(analysis.analysisFunction.fn, 'function_name') }],
          ['ApproximateNumberOfMessagesVisible', { QueueName: refOf(analysis.analysisFunction.deadLetterQueue, 'name') }],
          ['ApproximateNumberOfMessagesVisible', { QueueName: refOf(analysis.deliveryDeadLetterQueue, 'name') }],
          ['AnalysesFailed', { Pipeline: 'vod-test', service: 'content-analysis' }],
        ]),
      );
    });

    it('adds its widget, with metrics the analysis function emits', () => {
      // Act
      const { body, context } = dashboardOf(withAnalysis);

      // Assess
      expect(unpublishedMetricLines(body, context)).toEqual([]);
      expect(body.widgets.map((w) => w.properties.title)).toContain('Content analysis');
    });
  });
});
