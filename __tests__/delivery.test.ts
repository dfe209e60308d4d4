import { Construct } from 'constructs';
import { Testing } from 'cdktf';
import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { CloudfrontOriginAccessControl } from '@cdktf/provider-aws/lib/cloudfront-origin-access-control';
import { CloudfrontResponseHeadersPolicy } from '@cdktf/provider-aws/lib/cloudfront-response-headers-policy';
import { CACHING_OPTIMIZED_POLICY_ID, Delivery, DeliveryProps } from '../stacks/constructs/delivery';
import { SecureBucket } from '../stacks/constructs/secure-bucket';
import { Template, refOf } from '../testing';
import { SERVED_PATH_PATTERNS } from '../contracts/storage-layout';

/** A Delivery `vod-test` for bucket `output`, logging to bucket `logs`, with `props` on top. */
function buildDelivery(
  scope: Construct,
  props: Partial<DeliveryProps> = {},
): { delivery: Delivery; originBucket: SecureBucket; logBucket: SecureBucket } {
  const logBucket = new SecureBucket(scope, 'Logs', { bucketName: 'logs', receivesAccessLogs: true });
  const originBucket = new SecureBucket(scope, 'Output', { bucketName: 'output' });
  const delivery = new Delivery(scope, 'Delivery', { name: 'vod-test', originBucket, logBucket, ...props });
  return { delivery, originBucket, logBucket };
}

describe('Delivery', () => {
  it('signs every origin request with an S3 origin access control (sigv4, always)', () => {
    const synthesized = Testing.synthScope((scope) => buildDelivery(scope));

    expect(synthesized).toHaveResourceWithProperties(CloudfrontOriginAccessControl, {
      origin_access_control_origin_type: 's3',
      signing_behavior: 'always',
      signing_protocol: 'sigv4',
    });
  });

  it('serves the output bucket through the OAC', () => {
    // Act
    const { template, built } = Template.synthBuilt((scope) => buildDelivery(scope));

    // Assess
    const distribution = template.onlyResource('aws_cloudfront_distribution');
    expect(distribution.origin).toEqual([
      expect.objectContaining({
        domain_name: refOf(built.originBucket.bucket, 'bucket_regional_domain_name'),
        origin_access_control_id: refOf(built.delivery.originAccessControl, 'id'),
      }),
    ]);
  });

  it('output bucket is readable only by this distribution, and only in the rendition folders', () => {
    // Act
    const { template, built } = Template.synthBuilt((scope) => buildDelivery(scope));

    // Assess
    const policy = template.resource('aws_s3_bucket_policy', 'Output');
    const statements = template.statementsOf(policy.policy);
    const allows = statements.filter((s) => s.effect === 'Allow');
    expect(allows).toEqual([
      {
        sid: 'AllowCloudFrontReadThroughOAC',
        effect: 'Allow',
        principals: [{ type: 'Service', identifiers: ['cloudfront.amazonaws.com'] }],
        actions: ['s3:GetObject'],
        resources: ['hls', 'mp4', 'thumbnails'].map((folder) => `${refOf(built.originBucket.bucket, 'arn')}/*/${folder}/*`),
        condition: [{ test: 'StringEquals', variable: 'AWS:SourceArn', values: [refOf(built.delivery.distribution, 'arn')] }],
      },
    ]);
    expect(statements.map((s) => s.sid)).toContain('DenyInsecureTransport');
  });

  it('grants no read of analysis results or any other path of an asset', () => {
    // Act
    const { template } = Template.synthBuilt((scope) => buildDelivery(scope));

    // Assess: every granted key pattern is one of the served folders
    const grant = template.statement(template.resource('aws_s3_bucket_policy', 'Output').policy, 'AllowCloudFrontReadThroughOAC');
    const patterns = (grant.resources as string[]).map((resource) => resource.replace(/^.*\}\//, ''));
    expect(patterns).toEqual(SERVED_PATH_PATTERNS);
    for (const key of ['a1/analysis/labels.json', 'a1/source.mp4', 'a1/hlsx/a.m3u8']) {
      expect(patterns.some((pattern) => new RegExp(`^${pattern.replaceAll('*', '[^]*')}$`).test(key))).toBe(false);
    }
    for (const key of ['a1/hls/a.m3u8', 'a1/mp4/a_1080p.mp4', 'a1/thumbnails/a_thumb.0000000.jpg']) {
      expect(patterns.some((pattern) => new RegExp(`^${pattern.replaceAll('*', '[^]*')}$`).test(key))).toBe(true);
    }
  });

  it('has one cache behavior per served folder, each like the default', () => {
    // Act
    const { template } = Template.synthBuilt((scope) => buildDelivery(scope));

    // Assess
    const distribution = template.onlyResource('aws_cloudfront_distribution');
    const behaviors = distribution.ordered_cache_behavior as Record<string, unknown>[];
    expect(behaviors.map((b) => b.path_pattern)).toEqual(['*/hls/*', '*/mp4/*', '*/thumbnails/*']);
    for (const behavior of behaviors) {
      expect({ ...behavior, path_pattern: undefined }).toEqual({
        ...(distribution.default_cache_behavior as object),
        path_pattern: undefined,
      });
    }
  });

  it('in production, sends no CORS header unless origins are listed: only its own names play', () => {
    // Act
    const { template } = Template.synthBuilt((scope) => buildDelivery(scope, { production: true }));

    // Assess
    const policy = template.onlyResource('aws_cloudfront_response_headers_policy');
    expect(policy).not.toHaveProperty('cors_config');
    expect(policy.security_headers_config).toBeDefined();
  });

  it("refuses CORS '*' in production, saying why", () => {
    expect(() => Testing.synthScope((scope) => buildDelivery(scope, { production: true, corsAllowedOrigins: ['*'] }))).toThrow(
      /'corsAllowedOrigins' is \["\*"\] in a production environment: any site could embed your videos and run up your egress bill/,
    );
  });

  it('redirects viewers to HTTPS, caches with CachingOptimized and compresses', () => {
    const synthesized = Testing.synthScope((scope) => buildDelivery(scope));

    expect(synthesized).toHaveResourceWithProperties(CloudfrontDistribution, {
      http_version: 'http2and3',
      is_ipv6_enabled: true,
      price_class: 'PriceClass_100',
      default_cache_behavior: expect.objectContaining({
        viewer_protocol_policy: 'redirect-to-https',
        cache_policy_id: CACHING_OPTIMIZED_POLICY_ID,
        compress: true,
        allowed_methods: ['GET', 'HEAD', 'OPTIONS'],
      }),
    });
  });

  it('takes the price class from its props', () => {
    const synthesized = Testing.synthScope((scope) => buildDelivery(scope, { priceClass: 'PriceClass_All' }));

    expect(synthesized).toHaveResourceWithProperties(CloudfrontDistribution, { price_class: 'PriceClass_All' });
  });

  it('writes standard access logs to the log bucket with logging v2, granted by bucket policy: no ACL, no legacy logging', () => {
    // Act
    const { template, built } = Template.synthBuilt((scope) => buildDelivery(scope));

    // Assess
    const distribution = template.onlyResource('aws_cloudfront_distribution');
    expect(distribution.logging_config).toBeUndefined();
    expect(template.onlyResource('aws_cloudwatch_log_delivery_source')).toEqual(
      expect.objectContaining({
        log_type: 'ACCESS_LOGS',
        resource_arn: `arn:\${data.aws_partition.Partition.partition}:cloudfront::\${data.aws_caller_identity.CallerIdentity.account_id}:distribution/${refOf(built.delivery.distribution, 'id')}`,
      }),
    );
    expect(template.onlyResource('aws_cloudwatch_log_delivery_destination').delivery_destination_configuration).toEqual([
      { destination_resource_arn: refOf(built.logBucket.bucket, 'arn') },
    ]);
    expect(template.onlyResource('aws_cloudwatch_log_delivery').depends_on).toEqual([
      expect.stringContaining('aws_s3_bucket_policy.Logs_'),
    ]);
    expect(template.statement(template.resource('aws_s3_bucket_policy', 'Logs').policy, 'AllowCloudFrontLogDelivery')).toEqual(
      expect.objectContaining({
        principals: [{ type: 'Service', identifiers: ['delivery.logs.amazonaws.com'] }],
        actions: ['s3:PutObject'],
        condition: [
          { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['${data.aws_caller_identity.CallerIdentity.account_id}'] },
          {
            test: 'ArnLike',
            variable: 'aws:SourceArn',
            values: ['arn:aws:logs:us-east-1:${data.aws_caller_identity.CallerIdentity.account_id}:delivery-source:vod-test-*'],
          },
        ],
      }),
    );
    expect(template.resource('aws_s3_bucket_ownership_controls', 'Logs').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
  });

  it('lets hls.js players on any origin fetch playlists and segments by default, with HSTS', () => {
    // Act
    const { template, built } = Template.synthBuilt((scope) => buildDelivery(scope));

    // Assess
    const policy = template.onlyResource('aws_cloudfront_response_headers_policy');
    expect(policy.cors_config).toEqual(
      expect.objectContaining({
        access_control_allow_origins: { items: ['*'] },
        access_control_allow_methods: { items: ['GET', 'HEAD', 'OPTIONS'] },
        access_control_allow_credentials: false,
      }),
    );
    expect(policy.security_headers_config).toEqual(
      expect.objectContaining({
        strict_transport_security: expect.objectContaining({ access_control_max_age_sec: 63_072_000, include_subdomains: true }),
      }),
    );
    expect(template.onlyResource('aws_cloudfront_distribution').default_cache_behavior).toEqual(
      expect.objectContaining({ response_headers_policy_id: refOf(built.delivery.responseHeaders!, 'id') }),
    );
  });

  it('restricts CORS to the configured origins', () => {
    const synthesized = Testing.synthScope((scope) => buildDelivery(scope, { corsAllowedOrigins: ['https://player.example.com'] }));

    expect(synthesized).toHaveResourceWithProperties(CloudfrontResponseHeadersPolicy, {
      cors_config: expect.objectContaining({ access_control_allow_origins: { items: ['https://player.example.com'] } }),
    });
  });

  it('leaves the response-headers policy out only when switched off (emulators lack the API)', () => {
    const synthesized = Testing.synthScope((scope) => buildDelivery(scope, { responseHeadersPolicy: false }));

    expect(synthesized).not.toHaveResource(CloudfrontResponseHeadersPolicy);
  });
});
