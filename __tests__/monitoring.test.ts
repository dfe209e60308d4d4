import { TEST_ENVIRONMENT, synthPipeline } from './support/pipeline';

describe('Monitoring', () => {
  const { template } = synthPipeline(TEST_ENVIRONMENT);

  it('raises an alarm when any dead-letter queue holds a message', () => {
    const alarms = Object.values(template.resources('aws_cloudwatch_metric_alarm')).filter((a) => a.namespace === 'AWS/SQS');

    expect(alarms.map((a) => a.alarm_name).sort()).toEqual([
      expect.stringMatching(/^\$\{aws_sqs_queue\.Ingest_SubmitJob_DeadLetterQueue_\w+\.name\}-not-empty$/),
      expect.stringMatching(/^\$\{aws_sqs_queue\.JobEvents_JobEventsFunction_DeadLetterQueue_\w+\.name\}-not-empty$/),
      expect.stringMatching(/^\$\{aws_sqs_queue\.JobEvents_RuleDeadLetterQueue_\w+\.name\}-not-empty$/),
      expect.stringMatching(/^\$\{aws_sqs_queue\.JobSweep_SweepFunction_DeadLetterQueue_\w+\.name\}-not-empty$/),
    ]);
    for (const alarm of alarms) {
      expect(alarm).toEqual(
        expect.objectContaining({
          metric_name: 'ApproximateNumberOfMessagesVisible',
          threshold: 1,
          comparison_operator: 'GreaterThanOrEqualToThreshold',
        }),
      );
    }
  });

  it('raises an alarm on errors of each function, sent to an encrypted alarm topic', () => {
    const alarms = Object.values(template.resources('aws_cloudwatch_metric_alarm')).filter((a) => a.namespace === 'AWS/Lambda');

    expect(alarms.map((a) => (a.dimensions as Record<string, string>).FunctionName).sort()).toEqual([
      expect.stringContaining('aws_lambda_function.Ingest'),
      expect.stringContaining('aws_lambda_function.JobEvents'),
      expect.stringContaining('aws_lambda_function.JobSweep'),
    ]);
    expect(template.resource('aws_sns_topic', 'Monitoring')).toEqual(
      expect.objectContaining({ name: 'vod-test-alarms', kms_master_key_id: 'alias/aws/sns' }),
    );
  });
});
