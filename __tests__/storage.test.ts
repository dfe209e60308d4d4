import { Storage } from '../stacks/constructs/storage';
import { Template } from '../testing';

function synthStorage(props: Partial<ConstructorParameters<typeof Storage>[2]> = {}): Template {
  return Template.synth(
    (scope) => new Storage(scope, 'Storage', { name: 'vod-test', accountId: '123456789012', region: 'eu-west-1', ...props }),
  );
}

type Rule = Record<string, unknown>;
const rulesOf = (template: Template, bucket: string) => template.resource('aws_s3_bucket_lifecycle_configuration', bucket).rule as Rule[];

describe('Storage', () => {
  it('names buckets by role, account and region', () => {
    const template = synthStorage();

    expect(
      Object.values(template.resources('aws_s3_bucket'))
        .map((b) => b.bucket)
        .sort(),
    ).toEqual(['vod-test-logs-123456789012-eu-west-1', 'vod-test-output-123456789012-eu-west-1', 'vod-test-source-123456789012-eu-west-1']);
  });

  it('every bucket denies non-TLS requests and blocks public access', () => {
    const template = synthStorage();

    const policies = Object.values(template.resources('aws_s3_bucket_policy'));
    expect(policies).toHaveLength(3);
    for (const policy of policies) {
      expect(template.statement(policy.policy, 'DenyInsecureTransport')).toEqual(expect.objectContaining({ effect: 'Deny' }));
    }
    const blocks = Object.values(template.resources('aws_s3_bucket_public_access_block'));
    expect(blocks).toHaveLength(3);
    for (const block of blocks) {
      expect(block).toEqual(
        expect.objectContaining({
          block_public_acls: true,
          block_public_policy: true,
          ignore_public_acls: true,
          restrict_public_buckets: true,
        }),
      );
    }
  });

  it('versions the source bucket only', () => {
    const template = synthStorage();

    expect(Object.keys(template.resources('aws_s3_bucket_versioning'))).toEqual([expect.stringContaining('SourceBucket')]);
  });

  it('moves source originals to a colder class after the configured days and expires replaced versions', () => {
    const template = synthStorage({ sourceTransitionDays: 45, sourceColdStorageClass: 'DEEP_ARCHIVE', noncurrentVersionExpirationDays: 7 });

    expect(rulesOf(template, 'SourceBucket')).toContainEqual(
      expect.objectContaining({
        transition: [{ days: 45, storage_class: 'DEEP_ARCHIVE' }],
        noncurrent_version_expiration: [{ noncurrent_days: 7 }],
      }),
    );
  });

  it('moves outputs to Intelligent-Tiering', () => {
    const template = synthStorage();

    expect(rulesOf(template, 'OutputBucket')).toContainEqual(
      expect.objectContaining({ transition: [{ days: 0, storage_class: 'INTELLIGENT_TIERING' }] }),
    );
  });

  it('aborts incomplete multipart uploads in every bucket', () => {
    const template = synthStorage();

    for (const bucket of ['LogBucket', 'SourceBucket', 'OutputBucket']) {
      expect(rulesOf(template, bucket)).toContainEqual(
        expect.objectContaining({ abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] }),
      );
    }
  });

  it('logs source and output access to the log bucket, not the log bucket itself', () => {
    const template = synthStorage();

    const prefixes = Object.values(template.resources('aws_s3_bucket_logging'))
      .map((l) => l.target_prefix)
      .sort();
    expect(prefixes).toEqual(['s3/output/', 's3/source/']);
  });

  it('disables ACLs on every bucket, the log bucket too (CloudFront logs arrive by logging v2, granted by policy)', () => {
    const template = synthStorage();

    const ownership = Object.fromEntries(
      Object.entries(template.resources('aws_s3_bucket_ownership_controls')).map(([id, r]) => [
        id.split('_')[1],
        (r.rule as Rule).object_ownership,
      ]),
    );
    expect(ownership).toEqual({
      LogBucket: 'BucketOwnerEnforced',
      SourceBucket: 'BucketOwnerEnforced',
      OutputBucket: 'BucketOwnerEnforced',
    });
  });
});
