import { Testing } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { NodeFunction, NodeFunctionProps } from '../stacks/constructs/node-function';
import { bundleLambda } from '../stacks/lib/lambda-bundle';
import { Template, addressOf, refOf } from '../testing';

/** A NodeFunction `vod-test-submit-job` of the submit-job handler, with `props` on top. */
function synthFunction(props: Partial<NodeFunctionProps> = {}): { template: Template; built: NodeFunction } {
  return Template.synthBuilt(
    (scope) => new NodeFunction(scope, 'Fn', { functionName: 'vod-test-submit-job', entry: 'submit-job', ...props }),
  );
}

describe('NodeFunction', () => {
  it('runs Node.js 22 on arm64 with active tracing, a sane timeout and reserved concurrency', () => {
    const synthesized = Testing.synthScope(
      (scope) => new NodeFunction(scope, 'Fn', { functionName: 'f', entry: 'submit-job', reservedConcurrency: 4 }),
    );

    expect(synthesized).toHaveResourceWithProperties(LambdaFunction, {
      function_name: 'f',
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      timeout: 60,
      memory_size: 256,
      reserved_concurrent_executions: 4,
      tracing_config: { mode: 'Active' },
    });
  });

  it('owns a log group with the configured retention, created before the function', () => {
    // Act
    const { template, built: fn } = synthFunction({ logRetentionDays: 14 });

    // Assess
    expect(template.onlyResource('aws_cloudwatch_log_group')).toEqual(
      expect.objectContaining({ name: '/aws/lambda/vod-test-submit-job', retention_in_days: 14 }),
    );
    expect(template.onlyResource('aws_lambda_function').depends_on).toEqual([addressOf(fn.logGroup)]);
  });

  it('dead-letters failed async invocations to an encrypted queue after bounded retries', () => {
    // Act
    const { template, built: fn } = synthFunction({ retryAttempts: 1, maximumEventAgeSeconds: 3600 });

    // Assess
    expect(template.onlyResource('aws_sqs_queue')).toEqual(
      expect.objectContaining({ name: 'vod-test-submit-job-dlq', sqs_managed_sse_enabled: true }),
    );
    expect(template.onlyResource('aws_lambda_function').dead_letter_config).toEqual({
      target_arn: refOf(fn.deadLetterQueue, 'arn'),
    });
    expect(template.onlyResource('aws_lambda_function_event_invoke_config')).toEqual(
      expect.objectContaining({ maximum_retry_attempts: 1, maximum_event_age_in_seconds: 3600 }),
    );
  });

  it('gives its own role only its logs, its DLQ, tracing and the statements its caller grants', () => {
    // Act
    const { template, built: fn } = synthFunction({
      statements: [
        {
          sid: 'ReadTable',
          effect: 'Allow',
          actions: ['dynamodb:GetItem'],
          resources: ['arn:aws:dynamodb:us-east-1:123456789012:table/t'],
        },
      ],
    });

    // Assess
    const statements = template.statementsOf(template.onlyResource('aws_iam_role_policy').policy);
    expect(statements).toEqual([
      expect.objectContaining({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [`${refOf(fn.logGroup, 'arn')}:*`],
      }),
      expect.objectContaining({
        sid: 'SendToOwnDeadLetterQueue',
        actions: ['sqs:SendMessage'],
        resources: [refOf(fn.deadLetterQueue, 'arn')],
      }),
      expect.objectContaining({ sid: 'WriteTraces', actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'] }),
      expect.objectContaining({ sid: 'ReadTable', actions: ['dynamodb:GetItem'] }),
    ]);
    for (const s of statements) for (const action of s.actions as string[]) expect(action).not.toMatch(/\*/);
    const trust = template.statementsOf(template.onlyResource('aws_iam_role').assume_role_policy);
    expect(trust).toEqual([
      expect.objectContaining({ principals: [{ type: 'Service', identifiers: ['lambda.amazonaws.com'] }], actions: ['sts:AssumeRole'] }),
    ]);
  });

  it('packages with data.archive_file by default, with a fixed file mode and its hash', () => {
    // Act
    const { template } = synthFunction();

    // Assess
    const [archiveId, archive] = Object.entries(template.dataSources('archive_file'))[0]!;
    expect(archive).toEqual(
      expect.objectContaining({ type: 'zip', output_file_mode: '0644', source_dir: expect.stringMatching(/^assets\//) }),
    );
    expect(template.onlyResource('aws_lambda_function')).toEqual(
      expect.objectContaining({
        filename: `\${data.archive_file.${archiveId}.output_path}`,
        source_code_hash: `\${data.archive_file.${archiveId}.output_base64sha256}`,
      }),
    );
    expect((template.json.terraform as { required_providers: Record<string, unknown> }).required_providers).toHaveProperty('archive');
  });

  it('zips at synth time when asked, needing no archive provider', () => {
    // Act
    const { template } = synthFunction({ packaging: 'zip' });

    // Assess
    expect(template.dataSources('archive_file')).toEqual({});
    expect(template.onlyResource('aws_lambda_function')).toEqual(
      expect.objectContaining({
        filename: expect.stringMatching(/^assets\/.+\.zip$/),
        source_code_hash: bundleLambda('submit-job').zipSha256,
      }),
    );
  });

  it('passes environment variables through', () => {
    const synthesized = Testing.synthScope(
      (scope) => new NodeFunction(scope, 'Fn', { functionName: 'f', entry: 'submit-job', environment: { A: '1' } }),
    );

    expect(synthesized).toHaveResourceWithProperties(LambdaFunction, { environment: { variables: { A: '1' } } });
    expect(synthesized).toHaveResource(CloudwatchLogGroup);
    expect(synthesized).toHaveResource(SqsQueue);
    expect(synthesized).toHaveResource(LambdaFunctionEventInvokeConfig);
  });

  it.each([
    [
      'a name that is not one of the package handlers',
      'no-such-handler',
      /'entry' is "no-such-handler": neither one of the package's handlers \(content-analysis, job-events, job-sweep, submit-job\)/,
    ],
    ['a path to a file that does not exist', 'src/missing.ts', /'entry' is "src\/missing\.ts", but .*src\/missing\.ts does not exist/],
  ])('fails at synth naming the fix for %s', (_case, entry, message) => {
    expect(() => synthFunction({ entry })).toThrow(message);
  });
});
