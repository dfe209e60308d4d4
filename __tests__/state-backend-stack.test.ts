import { Testing } from 'cdktf';
import { StateBackendStack } from '../stacks/state-backend-stack';
import { Template } from '../testing';

function synthStateStack(): Template {
  const app = Testing.app();
  const stack = new StateBackendStack(app, 'state', { bucketName: 'acme-tfstate', region: 'eu-west-1' });
  return Template.parse(Testing.synth(stack));
}

describe('StateBackendStack', () => {
  it('keeps its own state locally (the bucket cannot hold the state that creates it)', () => {
    const template = synthStateStack();

    expect((template.json.terraform as Record<string, unknown>).backend).toEqual({ local: { path: 'terraform.tfstate' } });
  });

  it('creates a versioned, encrypted, private, TLS-only state bucket', () => {
    // Act
    const template = synthStateStack();

    // Assess
    expect(template.onlyResource('aws_s3_bucket').bucket).toBe('acme-tfstate');
    expect(template.onlyResource('aws_s3_bucket_versioning').versioning_configuration).toEqual({ status: 'Enabled' });
    expect(template.onlyResource('aws_s3_bucket_server_side_encryption_configuration').rule).toEqual([
      expect.objectContaining({ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }),
    ]);
    expect(template.onlyResource('aws_s3_bucket_public_access_block')).toEqual(
      expect.objectContaining({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      }),
    );
    expect(template.statement(template.onlyResource('aws_s3_bucket_policy').policy, 'DenyInsecureTransport')).toEqual(
      expect.objectContaining({ effect: 'Deny' }),
    );
  });

  it('expires noncurrent state versions', () => {
    const template = synthStateStack();

    expect(template.onlyResource('aws_s3_bucket_lifecycle_configuration').rule).toContainEqual(
      expect.objectContaining({ id: 'expire-old-state-versions', noncurrent_version_expiration: [{ noncurrent_days: 90 }] }),
    );
  });

  it('never destroys a non-empty state bucket', () => {
    const template = synthStateStack();

    expect(template.onlyResource('aws_s3_bucket').force_destroy).toBe(false);
  });
});
