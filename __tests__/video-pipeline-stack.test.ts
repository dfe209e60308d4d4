import { TEST_ENVIRONMENT, synthPipeline } from './support/pipeline';

type Block = Record<string, unknown>;

describe('VideoPipelineStack', () => {
  it('stores state in S3 with encryption and S3-native locking, one key per stack', () => {
    const { template } = synthPipeline(TEST_ENVIRONMENT);

    expect((template.json.terraform as Block).backend).toEqual({
      s3: { bucket: 'acme-tfstate', region: 'us-east-1', key: 'vod/vod-test.tfstate', encrypt: true, use_lockfile: true },
    });
  });

  it('tags every resource through the provider default tags', () => {
    const { template } = synthPipeline({ ...TEST_ENVIRONMENT, tags: { Team: 'media' } });

    expect(((template.json.provider as Block).aws as Block[])[0]).toEqual(
      expect.objectContaining({
        region: 'us-east-1',
        default_tags: [{ tags: { ManagedBy: 'cdktf', Team: 'media', PipelineId: 'vod-test' } }],
      }),
    );
  });

  it('points every service at the emulator, with fake keys, only in an emulator environment', () => {
    // Act
    const { template: plain } = synthPipeline(TEST_ENVIRONMENT);
    const { template: emulated } = synthPipeline({
      ...TEST_ENVIRONMENT,
      backend: { type: 'local' },
      emulator: { endpoint: 'http://127.0.0.1:5000', mediaconvertEndpoint: 'http://127.0.0.1:5001' },
    });

    // Assess
    const plainProvider = ((plain.json.provider as Block).aws as Block[])[0]!;
    expect(plainProvider).not.toHaveProperty('endpoints');
    expect(plainProvider).not.toHaveProperty('access_key');
    const provider = ((emulated.json.provider as Block).aws as Block[])[0]!;
    expect(provider).toEqual(
      expect.objectContaining({
        access_key: 'testing',
        s3_use_path_style: true,
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
      }),
    );
    expect(provider.endpoints).toEqual([
      expect.objectContaining({ s3: 'http://127.0.0.1:5000', lambda: 'http://127.0.0.1:5000', mediaconvert: 'http://127.0.0.1:5001' }),
    ]);
    expect((emulated.json.terraform as Block).backend).toEqual({ local: { path: 'terraform.tfstate' } });
  });

  it('outputs the distribution domain and the bucket names', () => {
    const outputs = synthPipeline(TEST_ENVIRONMENT).template.json.output as Record<string, Block>;

    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining([
        'distribution_domain',
        'source_bucket',
        'output_bucket',
        'log_bucket',
        'jobs_table',
        'notification_topic_arn',
      ]),
    );
    expect(outputs.distribution_domain!.value).toMatch(/^\$\{aws_cloudfront_distribution\..+\.domain_name\}$/);
  });

  it('names every resource after the pipeline', () => {
    const { template } = synthPipeline(TEST_ENVIRONMENT);

    expect(template.resource('aws_lambda_function', 'SubmitJob').function_name).toBe('vod-test-submit-job');
    expect(template.onlyResource('aws_media_convert_queue').name).toBe('vod-test');
  });
});
