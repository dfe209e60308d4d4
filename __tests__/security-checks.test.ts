import { generateKeyPairSync } from 'node:crypto';
import { Testing } from 'cdktf';
import { StateBackendStack } from '../stacks/state-backend-stack';
import { Template } from '../testing';
import { TEST_ENVIRONMENT, synthPipeline } from './support/pipeline';

type Block = Record<string, unknown>;
const PEM = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

/** The default environment, one with every option on (for the checks an option satisfies), and the state stack. */
const defaults = synthPipeline(TEST_ENVIRONMENT).template;
const state = Template.parse(
  Testing.synth(new StateBackendStack(Testing.app(), 'state', { bucketName: 'acme-tfstate', region: 'us-east-1' })),
);
const allOn = synthPipeline({
  ...TEST_ENVIRONMENT,
  production: true,
  encryption: { kmsKey: 'customer' },
  contentAnalysis: { enabled: true },
  delivery: {
    domain: { names: ['video.example.com'], hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
    signedPlayback: { publicKeys: [{ id: 'signer', pem: PEM }] },
    waf: { rateLimitPer5Minutes: 2_000 },
  },
}).template;

const all = (template: Template, type: string): Block[] => Object.values(template.resources(type));
const distribution = (template: Template) => template.onlyResource('aws_cloudfront_distribution');
const buckets = (template: Template) => Object.keys(template.resources('aws_s3_bucket'));
/** The ids of the buckets a per-bucket resource (`aws_s3_bucket_<concern>`) points at. */
const bucketsWith = (template: Template, type: string) =>
  all(template, type).map((resource) => String(resource.bucket).replace(/^\$\{aws_s3_bucket\.([^.]+)\..*$/, '$1'));

/**
 * Each setting, the checkov check and the AWS Foundational Security Best Practices control it
 * satisfies, and where: `defaults` (every environment) or `allOn` (an option turns it on).
 */
const SATISFIED: readonly [string, string, Template, (template: Template) => boolean][] = [
  [
    'CKV_AWS_19 / FSBP S3 (SSE): every bucket encrypted at rest',
    'S3',
    defaults,
    (t) => bucketsWith(t, 'aws_s3_bucket_server_side_encryption_configuration').sort().join() === buckets(t).sort().join(),
  ],
  [
    'CKV_AWS_53-56 / FSBP S3.8: every bucket blocks public access',
    'S3',
    defaults,
    (t) =>
      all(t, 'aws_s3_bucket_public_access_block').length === buckets(t).length &&
      all(t, 'aws_s3_bucket_public_access_block').every(
        (b) => b.block_public_acls && b.block_public_policy && b.ignore_public_acls && b.restrict_public_buckets,
      ),
  ],
  [
    'FSBP S3.5 / AwsSolutions-S10: every bucket policy denies non-TLS requests',
    'S3',
    defaults,
    (t) =>
      all(t, 'aws_s3_bucket_policy').length === buckets(t).length &&
      all(t, 'aws_s3_bucket_policy').every((p) => t.statementsOf(p.policy).some((s) => s.sid === 'DenyInsecureTransport')),
  ],
  [
    'CKV_AWS_18 / FSBP S3.9: source and output buckets log access',
    'S3',
    defaults,
    (t) => bucketsWith(t, 'aws_s3_bucket_logging').length === 2,
  ],
  [
    'CKV_AWS_18 / FSBP S3.9: the state bucket logs access, to a log bucket of its own',
    'S3',
    state,
    (t) => bucketsWith(t, 'aws_s3_bucket_logging').length === 1 && buckets(t).length === 2,
  ],
  [
    'CKV2_AWS_65 / FSBP S3.12: ACLs disabled on every bucket (BucketOwnerEnforced), the log buckets too',
    'S3',
    defaults,
    (t) =>
      all(t, 'aws_s3_bucket_ownership_controls').length === buckets(t).length &&
      [...all(t, 'aws_s3_bucket_ownership_controls'), ...all(state, 'aws_s3_bucket_ownership_controls')].every(
        (o) => (o.rule as Block).object_ownership === 'BucketOwnerEnforced',
      ),
  ],
  [
    'CKV_AWS_21: the source bucket is versioned',
    'S3',
    defaults,
    (t) => all(t, 'aws_s3_bucket_versioning').some((v) => (v.versioning_configuration as Block).status === 'Enabled'),
  ],
  [
    'CKV2_AWS_61 / CKV_AWS_300: every bucket has a lifecycle with abort-multipart',
    'S3',
    defaults,
    (t) => all(t, 'aws_s3_bucket_lifecycle_configuration').length === buckets(t).length,
  ],
  [
    'CKV_AWS_50: Lambda tracing active',
    'Lambda',
    defaults,
    (t) => all(t, 'aws_lambda_function').every((f) => (f.tracing_config as Block).mode === 'Active'),
  ],
  [
    'CKV_AWS_115: Lambda reserved concurrency',
    'Lambda',
    defaults,
    (t) => all(t, 'aws_lambda_function').every((f) => typeof f.reserved_concurrent_executions === 'number'),
  ],
  [
    'CKV_AWS_116: Lambda dead-letter queue',
    'Lambda',
    defaults,
    (t) => all(t, 'aws_lambda_function').every((f) => f.dead_letter_config !== undefined),
  ],
  [
    'CKV_AWS_363 / FSBP Lambda.2: a supported runtime',
    'Lambda',
    defaults,
    (t) => all(t, 'aws_lambda_function').every((f) => f.runtime === 'nodejs22.x'),
  ],
  [
    'CKV_AWS_364: Lambda permissions name their source ARN',
    'Lambda',
    allOn,
    (t) => all(t, 'aws_lambda_permission').every((p) => p.source_arn !== undefined),
  ],
  [
    'CKV_AWS_26 / FSBP SNS.1: every topic encrypted',
    'SNS',
    allOn,
    (t) => all(t, 'aws_sns_topic').every((topic) => topic.kms_master_key_id !== undefined),
  ],
  [
    'CKV_AWS_27 / FSBP SQS.1: every queue encrypted',
    'SQS',
    allOn,
    (t) => all(t, 'aws_sqs_queue').every((q) => q.sqs_managed_sse_enabled === true || q.kms_master_key_id !== undefined),
  ],
  [
    'CKV_AWS_28 / FSBP DynamoDB.2: point-in-time recovery',
    'DynamoDB',
    defaults,
    (t) => all(t, 'aws_dynamodb_table').every((d) => (d.point_in_time_recovery as Block).enabled === true),
  ],
  [
    'CKV_AWS_66 / CloudWatch: every log group has a retention',
    'Logs',
    defaults,
    (t) => all(t, 'aws_cloudwatch_log_group').every((g) => typeof g.retention_in_days === 'number'),
  ],
  [
    'CKV_AWS_34 / FSBP CloudFront.3: viewers redirected to HTTPS on every behavior',
    'CloudFront',
    defaults,
    (t) =>
      [distribution(t).default_cache_behavior as Block, ...(distribution(t).ordered_cache_behavior as Block[])].every(
        (b) => b.viewer_protocol_policy === 'redirect-to-https',
      ),
  ],
  [
    'FSBP CloudFront.5 (intent): access logs delivered to S3, by standard logging v2',
    'CloudFront',
    defaults,
    (t) => all(t, 'aws_cloudwatch_log_delivery_source').some((source) => source.log_type === 'ACCESS_LOGS'),
  ],
  [
    'CKV2_AWS_46 / FSBP CloudFront.13: origin access control',
    'CloudFront',
    defaults,
    (t) => (distribution(t).origin as Block[]).every((o) => o.origin_access_control_id !== undefined),
  ],
  [
    'CKV2_AWS_32: a response headers policy',
    'CloudFront',
    defaults,
    (t) => (distribution(t).default_cache_behavior as Block).response_headers_policy_id !== undefined,
  ],
  [
    'CKV_AWS_174: TLSv1.2_2021 with a custom certificate (delivery.domain)',
    'CloudFront',
    allOn,
    (t) => (distribution(t).viewer_certificate as Block).minimum_protocol_version === 'TLSv1.2_2021',
  ],
  [
    'CKV2_AWS_42 / FSBP CloudFront.7: a custom certificate (delivery.domain)',
    'CloudFront',
    allOn,
    (t) => (distribution(t).viewer_certificate as Block).acm_certificate_arn !== undefined,
  ],
  [
    'CKV_AWS_145 / CKV_AWS_119 / CKV_AWS_158: source and output buckets, table and log groups under a customer key (encryption.kmsKey)',
    'KMS',
    allOn,
    (t) =>
      all(t, 'aws_s3_bucket_server_side_encryption_configuration').filter(
        (c) => ((c.rule as Block[])[0]!.apply_server_side_encryption_by_default as Block).sse_algorithm === 'aws:kms',
      ).length === 2 &&
      all(t, 'aws_dynamodb_table').every((d) => (d.server_side_encryption as Block).kms_key_arn !== undefined) &&
      all(t, 'aws_cloudwatch_log_group').every((g) => g.kms_key_id !== undefined),
  ],
  [
    'CKV_AWS_7 / FSBP KMS.4: every customer key rotates',
    'KMS',
    allOn,
    (t) => all(t, 'aws_kms_key').length === 1 && all(t, 'aws_kms_key').every((k) => k.enable_key_rotation === true),
  ],
  [
    'CKV_AWS_68 / CKV2_AWS_47 / FSBP CloudFront.6: a WAF web ACL (delivery.waf)',
    'CloudFront',
    allOn,
    (t) => distribution(t).web_acl_id !== undefined,
  ],
];

/**
 * The one allowlist: checks the default environment does not satisfy, the resources concerned,
 * why, and who it affects. A check that an option satisfies says which.
 */
export const NOT_MET: readonly { check: string; resource: string; reason: string; affects: string }[] = [
  {
    check: 'CKV_AWS_173',
    resource: 'aws_lambda_function (all)',
    reason: 'environment variables hold names and ARNs, no secrets; Lambda encrypts them with the AWS managed key',
    affects: 'nobody: no secret is stored there',
  },
  {
    check: 'CKV_AWS_117',
    resource: 'aws_lambda_function (all)',
    reason: 'the functions call only AWS APIs; a VPC would add NAT or endpoint costs for no isolation gain',
    affects: 'teams whose policy requires VPC-attached functions',
  },
  {
    check: 'CKV_AWS_272',
    resource: 'aws_lambda_function (all)',
    reason: 'code signing needs a Signer profile; the bundle is built and hashed at synth from reviewed code',
    affects: 'teams requiring signed deployment packages',
  },
  {
    check: 'CKV_AWS_305',
    resource: 'aws_cloudfront_distribution',
    reason: 'not a website: there is no root object to serve',
    affects: 'nobody',
  },
  {
    check: 'CKV_AWS_310',
    resource: 'aws_cloudfront_distribution',
    reason: 'one origin bucket; origin failover needs a replica bucket (doubling storage)',
    affects: 'viewers during an S3 regional outage',
  },
  {
    check: 'CKV_AWS_68 / CKV2_AWS_47 / FSBP CloudFront.6',
    resource: 'aws_cloudfront_distribution',
    reason: 'WAF is an opt-in (delivery.waf): it costs about 5 USD/month plus per request',
    affects: 'environments without delivery.waf',
  },
  {
    check: 'CKV_AWS_174 / CKV2_AWS_42 / FSBP CloudFront.7',
    resource: 'aws_cloudfront_distribution',
    reason: 'the default *.cloudfront.net certificate accepts TLS 1.0; delivery.domain brings TLSv1.2_2021',
    affects: 'environments without delivery.domain',
  },
  {
    check: 'CKV_AWS_145 / CKV_AWS_119 / CKV_AWS_158',
    resource: 'aws_s3_bucket, aws_dynamodb_table, aws_cloudwatch_log_group',
    reason:
      "AWS managed keys by default; encryption.kmsKey 'customer' (about 1 USD/month plus requests) puts them under one customer key. The access-log buckets stay SSE-S3 even then: S3 server access logging delivers only to SSE-S3 buckets",
    affects: "environments without encryption.kmsKey 'customer'; the log buckets always",
  },
  {
    check: 'CKV_AWS_86 / FSBP CloudFront.5 (as the checkers read it)',
    resource: 'aws_cloudfront_distribution',
    reason:
      "both read the distribution's legacy logging setting (logging_config), which writes with ACL grants; access logs go by standard logging v2 instead (aws_cloudwatch_log_delivery), so the log bucket keeps ACLs disabled",
    affects: 'reports of checkov and AWS Config, which flag a distribution whose logs are delivered',
  },
  {
    check: 'CKV_AWS_144 / FSBP S3.7',
    resource: 'aws_s3_bucket (all)',
    reason: 'cross-region replication doubles storage; versioning on the source keeps originals recoverable',
    affects: 'recovery from a regional loss of the buckets',
  },
];

describe('security checks: each setting and the check it satisfies', () => {
  it.each(SATISFIED.map(([check, service, template, holds]) => [check, service, template, holds] as const))(
    '%s (%s)',
    (_check, _service, template, holds) => {
      expect(holds(template)).toBe(true);
    },
  );

  it('lists each check not met once in the allowlist, with the resource, the reason and who it affects', () => {
    const checks = NOT_MET.map((entry) => entry.check);

    expect(new Set(checks).size).toBe(checks.length);
    for (const entry of NOT_MET) {
      expect(entry.resource).not.toBe('');
      expect(entry.reason.length).toBeGreaterThan(20);
      expect(entry.affects).not.toBe('');
    }
  });

  it('allowlists a check an option satisfies only as an opt-in: the option really satisfies it', () => {
    expect(distribution(defaults).web_acl_id).toBeUndefined();
    expect(distribution(allOn).web_acl_id).toBeDefined();
    expect((distribution(defaults).viewer_certificate as Block).cloudfront_default_certificate).toBe(true);
    expect((distribution(allOn).viewer_certificate as Block).minimum_protocol_version).toBe('TLSv1.2_2021');
    expect(all(defaults, 'aws_dynamodb_table').map((d) => (d.server_side_encryption as Block).kms_key_arn)).toEqual([undefined]);
    expect(all(allOn, 'aws_dynamodb_table').map((d) => (d.server_side_encryption as Block).kms_key_arn)).toEqual([expect.any(String)]);
  });
});
