import { Testing } from 'cdktf';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { synthApp } from '../scripts/lib/synth';
import { StateBackendStack } from '../stacks/state-backend-stack';
import { Template } from '../testing';

function synthStateStack(): Template {
  const app = Testing.app();
  const stack = new StateBackendStack(app, 'state', { bucketName: 'acme-tfstate', region: 'eu-west-1' });
  return Template.parse(Testing.synth(stack));
}

describe('StateBackendStack', () => {
  it('keeps its own state in the bucket it creates, encrypted and locked, never in the synth directory', () => {
    const template = synthStateStack();

    expect((template.json.terraform as Record<string, unknown>).backend).toEqual({
      s3: { bucket: 'acme-tfstate', region: 'eu-west-1', key: 'bootstrap/state.tfstate', encrypt: true, use_lockfile: true },
    });
  });

  it('creates a versioned, encrypted, private, TLS-only state bucket', () => {
    // Act
    const template = synthStateStack();

    // Assess
    expect(template.resource('aws_s3_bucket', 'StateBucket').bucket).toBe('acme-tfstate');
    expect(template.onlyResource('aws_s3_bucket_versioning').versioning_configuration).toEqual({ status: 'Enabled' });
    expect(template.resource('aws_s3_bucket_server_side_encryption_configuration', 'StateBucket').rule).toEqual([
      expect.objectContaining({ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }),
    ]);
    expect(template.resource('aws_s3_bucket_public_access_block', 'StateBucket')).toEqual(
      expect.objectContaining({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      }),
    );
    expect(template.statement(template.resource('aws_s3_bucket_policy', 'StateBucket').policy, 'DenyInsecureTransport')).toEqual(
      expect.objectContaining({ effect: 'Deny' }),
    );
  });

  it('expires noncurrent state versions', () => {
    const template = synthStateStack();

    expect(template.resource('aws_s3_bucket_lifecycle_configuration', 'StateBucket').rule).toContainEqual(
      expect.objectContaining({ id: 'expire-old-state-versions', noncurrent_version_expiration: [{ noncurrent_days: 90 }] }),
    );
  });

  it('never destroys a non-empty state bucket', () => {
    const template = synthStateStack();

    expect(template.resource('aws_s3_bucket', 'StateBucket').force_destroy).toBe(false);
  });

  it('logs every access to the state to a bucket of its own, without ACLs, delivered only for the state bucket of this account', () => {
    // Act
    const template = synthStateStack();

    // Assess
    const logBucket = template.resource('aws_s3_bucket', 'LogBucket');
    expect(logBucket.bucket).toBe('acme-tfstate-logs');
    expect(template.resource('aws_s3_bucket_ownership_controls', 'LogBucket').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    expect(template.onlyResource('aws_s3_bucket_logging')).toEqual(
      expect.objectContaining({ target_prefix: 's3/state/', target_bucket: expect.stringContaining('aws_s3_bucket.LogBucket_') }),
    );
    const grant = template.statement(template.resource('aws_s3_bucket_policy', 'LogBucket').policy, 'AllowServerAccessLogDelivery');
    expect(grant).toEqual(
      expect.objectContaining({
        principals: [{ type: 'Service', identifiers: ['logging.s3.amazonaws.com'] }],
        condition: [
          { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['${data.aws_caller_identity.CallerIdentity.account_id}'] },
          { test: 'ArnLike', variable: 'aws:SourceArn', values: [expect.stringMatching(/^\$\{aws_s3_bucket\.StateBucket_\w+\.arn\}$/)] },
        ],
      }),
    );
  });

  it('refuses a log bucket name S3 would refuse', () => {
    expect(() => new StateBackendStack(Testing.app(), 'state', { bucketName: `acme-${'x'.repeat(55)}`, region: 'eu-west-1' })).toThrow(
      /'logBucketName' is "acme-x+-logs" \(65 characters\); S3 bucket names have at most 63/,
    );
  });
});

describe('bootstrap state and synth', () => {
  let outdir: string;
  beforeAll(() => (outdir = mkdtempSync(path.join(os.tmpdir(), 'vod-bootstrap-synth-'))));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  // `cdktf synth` deletes the directory of every stack it did not synthesize this time
  // (PIPELINE_ENVIRONMENTS=local drops `state`), so no state of the bootstrap stack may live there.
  it.each(['', 'dev', 'prod', 'dev,prod', 'local', 'dev,local'])(
    'PIPELINE_ENVIRONMENTS=%j keeps no bootstrap state in the synth directory',
    (environments) => {
      // Act
      const dir = path.join(outdir, environments || 'all');
      const stacks = synthApp(dir, { PIPELINE_ENVIRONMENTS: environments, LAMBDA_PACKAGING: 'zip' });

      // Assess
      for (const stack of stacks.filter((s) => s.startsWith('state'))) {
        const json = JSON.parse(readFileSync(path.join(dir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as {
          terraform: { backend: Record<string, { bucket?: string }> };
          resource: { aws_s3_bucket: Record<string, { bucket: string }> };
        };
        const ownBucket = Object.entries(json.resource.aws_s3_bucket).find(([id]) => id.startsWith('StateBucket'))![1].bucket;
        expect(Object.keys(json.terraform.backend)).toEqual(['s3']);
        expect(json.terraform.backend.s3!.bucket).toBe(ownBucket);
        expect(readdirSync(path.join(dir, 'stacks', stack)).filter((f) => f.endsWith('.tfstate'))).toEqual([]);
      }
      expect(stacks.some((s) => s.startsWith('state'))).toBe(environments !== 'local');
    },
  );
});
