import { Testing } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { SecureBucket } from '../stacks/constructs/secure-bucket';
import { Template, addressOf, refOf } from '../testing';

describe('SecureBucket', () => {
  it('synthesizes under Testing.synthScope with only a bucket name', () => {
    // Act
    const synthesized = Testing.synthScope((scope) => new SecureBucket(scope, 'Media', { bucketName: 'media-bucket' }));

    // Assess
    expect(synthesized).toHaveResourceWithProperties(S3Bucket, { bucket: 'media-bucket', force_destroy: false });
  });

  it('blocks every kind of public access and enforces bucket-owner ownership', () => {
    // Act
    const synthesized = Testing.synthScope((scope) => new SecureBucket(scope, 'Media', { bucketName: 'media-bucket' }));

    // Assess
    expect(synthesized).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(synthesized).toHaveResourceWithProperties(S3BucketOwnershipControls, {
      rule: expect.objectContaining({ object_ownership: 'BucketOwnerEnforced' }),
    });
  });

  it('encrypts objects at rest by default', () => {
    const synthesized = Testing.synthScope((scope) => new SecureBucket(scope, 'Media', { bucketName: 'media-bucket' }));

    expect(synthesized).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [expect.objectContaining({ apply_server_side_encryption_by_default: expect.objectContaining({ sse_algorithm: 'AES256' }) })],
    });
  });

  it('denies non-TLS requests to the bucket and its objects', () => {
    // Act
    const { template, built: media } = Template.synthBuilt((scope) => new SecureBucket(scope, 'Media', { bucketName: 'media-bucket' }));

    // Assess
    const policy = template.onlyResource('aws_s3_bucket_policy');
    const bucketArn = refOf(media.bucket, 'arn');
    expect(template.statement(policy.policy, 'DenyInsecureTransport')).toEqual(
      expect.objectContaining({
        effect: 'Deny',
        actions: ['s3:*'],
        resources: [bucketArn, `${bucketArn}/*`],
        condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
      }),
    );
  });

  it('merges statements added by users with the TLS-only deny', () => {
    // Act
    const template = Template.synth((scope) => {
      const bucket = new SecureBucket(scope, 'Media', { bucketName: 'media-bucket' });
      bucket.addToResourcePolicy({
        sid: 'ReadForAnalytics',
        effect: 'Allow',
        actions: ['s3:GetObject'],
        resources: [`${bucket.bucketArn}/*`],
        principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::111122223333:role/analytics'] }],
      });
    });

    // Assess
    const sids = template.statementsOf(template.onlyResource('aws_s3_bucket_policy').policy).map((s) => s.sid);
    expect(sids).toEqual(['DenyInsecureTransport', 'ReadForAnalytics']);
  });

  it('applies the public-access block before the bucket policy', () => {
    const template = Template.synth((scope) => new SecureBucket(scope, 'Media', { bucketName: 'media-bucket' }));

    const policy = template.onlyResource('aws_s3_bucket_policy');
    expect(policy.depends_on).toEqual([
      `aws_s3_bucket_public_access_block.${Object.keys(template.resources('aws_s3_bucket_public_access_block'))[0]}`,
    ]);
  });

  it('aborts incomplete multipart uploads after 7 days and keeps caller rules', () => {
    // Act
    const template = Template.synth(
      (scope) =>
        new SecureBucket(scope, 'Media', {
          bucketName: 'media-bucket',
          lifecycleRules: [{ id: 'expire', status: 'Enabled', filter: [{}], expiration: [{ days: 10 }] }],
        }),
    );

    // Assess
    const rules = template.onlyResource('aws_s3_bucket_lifecycle_configuration').rule as Record<string, unknown>[];
    expect(rules.map((r) => r.id)).toEqual(['abort-incomplete-multipart-uploads', 'expire']);
    expect(rules[0]).toEqual(expect.objectContaining({ abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] }));
  });

  it('is not versioned unless asked, and versioned when asked', () => {
    const plain = Testing.synthScope((scope) => new SecureBucket(scope, 'Media', { bucketName: 'media-bucket' }));
    const versioned = Testing.synthScope((scope) => new SecureBucket(scope, 'Media', { bucketName: 'media-bucket', versioned: true }));

    expect(plain).not.toHaveResource(S3BucketVersioningA);
    expect(versioned).toHaveResourceWithProperties(S3BucketVersioningA, {
      versioning_configuration: expect.objectContaining({ status: 'Enabled' }),
    });
  });

  it('logs access to the log bucket only after the log bucket grants the logging service, for the logging buckets only', () => {
    // Act
    const { template, built: logs } = Template.synthBuilt((scope) => {
      const logBucket = new SecureBucket(scope, 'Logs', { bucketName: 'log-bucket', receivesAccessLogs: true });
      new SecureBucket(scope, 'Media', { bucketName: 'media-bucket', accessLogs: { bucket: logBucket, prefix: 's3/media/' } });
      return logBucket;
    });

    // Assess
    const logging = template.onlyResource('aws_s3_bucket_logging');
    expect(logging).toEqual(expect.objectContaining({ target_bucket: refOf(logs.bucket, 'id'), target_prefix: 's3/media/' }));
    expect(logging.depends_on).toEqual([addressOf(logs.policy)]);
    const logPolicy = template.resource('aws_s3_bucket_policy', 'Logs');
    expect(template.statement(logPolicy.policy, 'AllowServerAccessLogDelivery')).toEqual(
      expect.objectContaining({
        principals: [{ type: 'Service', identifiers: ['logging.s3.amazonaws.com'] }],
        actions: ['s3:PutObject'],
        condition: [
          { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['${data.aws_caller_identity.CallerIdentity.account_id}'] },
          { test: 'ArnLike', variable: 'aws:SourceArn', values: ['${aws_s3_bucket.Media_Bucket_C9060E99.arn}'] },
        ],
      }),
    );
  });

  it('does not log the log bucket to itself', () => {
    const synthesized = Testing.synthScope(
      (scope) => new SecureBucket(scope, 'Logs', { bucketName: 'log-bucket', receivesAccessLogs: true }),
    );

    expect(synthesized).not.toHaveResource(S3BucketLoggingA);
  });

  it('passes force_destroy through for throwaway environments', () => {
    const synthesized = Testing.synthScope((scope) => new SecureBucket(scope, 'Media', { bucketName: 'media-bucket', forceDestroy: true }));

    expect(synthesized).toHaveResourceWithProperties(S3Bucket, { force_destroy: true });
  });
});
