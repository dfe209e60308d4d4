import { generateKeyPairSync } from 'node:crypto';
import { Testing } from 'cdktf';
import { parsePipelineConfig } from '../stacks/config';
import { DeliveryDomain } from '../stacks/constructs/delivery-domain';
import { globalProviderOf } from '../stacks/lib/terraform-settings';
import { refOf } from '../testing';
import { TEST_ENVIRONMENT, synthPipeline } from './support/pipeline';

const PEM = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
const ZONE = 'Z0123456789ABCDEFGHIJ';
const CERT = 'arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab';

describe('delivery.domain', () => {
  it('requests a certificate in us-east-1 through the provider alias, validates it by DNS and serves the names with TLSv1.2_2021', () => {
    // Act
    const { stack, template } = synthPipeline({
      ...TEST_ENVIRONMENT,
      region: 'eu-west-1',
      delivery: { domain: { names: ['video.example.com'], hostedZoneId: ZONE } },
    });

    // Assess
    const certificate = template.onlyResource('aws_acm_certificate');
    expect(certificate).toEqual(
      expect.objectContaining({ domain_name: 'video.example.com', validation_method: 'DNS', provider: 'aws.us-east-1' }),
    );
    expect(template.onlyResource('aws_acm_certificate_validation')).toEqual(expect.objectContaining({ provider: 'aws.us-east-1' }));
    const distribution = template.onlyResource('aws_cloudfront_distribution');
    expect(distribution.aliases).toEqual(['video.example.com']);
    expect(distribution.viewer_certificate).toEqual({
      acm_certificate_arn: `\${aws_acm_certificate_validation.${Object.keys(template.resources('aws_acm_certificate_validation'))[0]}.certificate_arn}`,
      ssl_support_method: 'sni-only',
      minimum_protocol_version: 'TLSv1.2_2021',
    });
    const aliases = Object.values(template.resources('aws_route53_record')).filter((record) => record.alias !== undefined);
    expect(aliases.map((record) => record.type).sort()).toEqual(['A', 'AAAA']);
    expect(aliases[0]!.alias).toEqual({
      name: refOf(stack.delivery.distribution, 'domain_name'),
      zone_id: 'Z2FDTNDATAQYW2',
      evaluate_target_health: false,
    });
  });

  it('uses a given us-east-1 certificate without requesting one', () => {
    // Act
    const { template } = synthPipeline({
      ...TEST_ENVIRONMENT,
      delivery: { domain: { names: ['video.example.com'], certificateArn: CERT } },
    });

    // Assess
    expect(template.resources('aws_acm_certificate')).toEqual({});
    expect(template.resources('aws_route53_record')).toEqual({});
    expect(template.onlyResource('aws_cloudfront_distribution').viewer_certificate).toEqual(
      expect.objectContaining({ acm_certificate_arn: CERT, minimum_protocol_version: 'TLSv1.2_2021' }),
    );
  });

  it('refuses a certificate outside us-east-1, saying CloudFront needs it there', () => {
    expect(() =>
      parsePipelineConfig(
        {
          ...TEST_ENVIRONMENT,
          delivery: { domain: { names: ['video.example.com'], certificateArn: CERT.replace('us-east-1', 'eu-west-1') } },
        },
        'test',
      ),
    ).toThrow(
      /delivery\.domain\.certificateArn: must be an ACM certificate ARN in us-east-1: CloudFront only uses certificates from us-east-1/,
    );
    expect(() =>
      Testing.synthScope((scope) => {
        const stack = scope as unknown as Parameters<typeof globalProviderOf>[0];
        new DeliveryDomain(scope, 'Domain', {
          names: ['video.example.com'],
          certificateArn: CERT.replace('us-east-1', 'eu-west-1'),
          globalProvider: globalProviderOf(stack, { tags: {} }),
        });
      }),
    ).toThrow(/'certificateArn' is ".*eu-west-1.*"; CloudFront only uses ACM certificates in us-east-1/);
  });

  it('refuses a domain with neither a certificate nor a hosted zone', () => {
    expect(() => parsePipelineConfig({ ...TEST_ENVIRONMENT, delivery: { domain: { names: ['video.example.com'] } } }, 'test')).toThrow(
      /delivery\.domain: give certificateArn \(a us-east-1 ACM certificate\) or hostedZoneId/,
    );
  });

  it('keeps the default certificate (and no us-east-1 provider) without a domain', () => {
    const { template } = synthPipeline(TEST_ENVIRONMENT);

    expect(template.onlyResource('aws_cloudfront_distribution').viewer_certificate).toEqual({ cloudfront_default_certificate: true });
  });
});

describe('delivery.signedPlayback', () => {
  it('creates the public key and a key group, and requires it on every path the distribution serves', () => {
    // Act
    const { stack, template } = synthPipeline({
      ...TEST_ENVIRONMENT,
      delivery: { signedPlayback: { publicKeys: [{ id: 'signer-1', pem: PEM }] } },
    });

    // Assess
    const key = template.onlyResource('aws_cloudfront_public_key');
    expect(key).toEqual(expect.objectContaining({ name: 'vod-test-signer-1', encoded_key: PEM }));
    const group = refOf(stack.signedPlayback!.keyGroup, 'id');
    const distribution = template.onlyResource('aws_cloudfront_distribution');
    expect((distribution.default_cache_behavior as Record<string, unknown>).trusted_key_groups).toEqual([group]);
    for (const behavior of distribution.ordered_cache_behavior as Record<string, unknown>[]) {
      expect(behavior.trusted_key_groups).toEqual([group]);
    }
  });

  it('leaves playback public by default', () => {
    const { template } = synthPipeline(TEST_ENVIRONMENT);

    expect(template.resources('aws_cloudfront_key_group')).toEqual({});
    expect(template.onlyResource('aws_cloudfront_distribution').default_cache_behavior).not.toHaveProperty('trusted_key_groups');
  });

  it.each([
    ['a private key', PEM.replace(/PUBLIC/g, 'PRIVATE'), /publicKeys\.0\.pem: must be a PEM public key/],
    ['six keys', undefined, /publicKeys: a CloudFront key group holds at most 5 keys/],
  ])('refuses %s', (_case, pem, message) => {
    const publicKeys = pem === undefined ? Array.from({ length: 6 }, (_, i) => ({ id: `k${i}`, pem: PEM })) : [{ id: 'k', pem }];
    expect(() => parsePipelineConfig({ ...TEST_ENVIRONMENT, delivery: { signedPlayback: { publicKeys } } }, 'test')).toThrow(message);
  });
});

describe('delivery.waf', () => {
  it('attaches a CLOUDFRONT-scope web ACL in us-east-1 with a per-IP rate limit and the AWS common rule group', () => {
    // Act
    const { stack, template } = synthPipeline({ ...TEST_ENVIRONMENT, delivery: { waf: { rateLimitPer5Minutes: 3_000 } } });

    // Assess
    const acl = template.onlyResource('aws_wafv2_web_acl');
    expect(acl).toEqual(expect.objectContaining({ scope: 'CLOUDFRONT', provider: 'aws.us-east-1', default_action: { allow: {} } }));
    expect(acl.rule).toEqual([
      expect.objectContaining({ action: { block: {} }, statement: { rate_based_statement: { limit: 3_000, aggregate_key_type: 'IP' } } }),
      expect.objectContaining({
        override_action: { none: {} },
        statement: { managed_rule_group_statement: { vendor_name: 'AWS', name: 'AWSManagedRulesCommonRuleSet' } },
      }),
      expect.objectContaining({
        statement: { managed_rule_group_statement: { vendor_name: 'AWS', name: 'AWSManagedRulesKnownBadInputsRuleSet' } },
      }),
    ]);
    expect(template.onlyResource('aws_cloudfront_distribution').web_acl_id).toBe(refOf(stack.webAcl!.acl, 'arn'));
  });

  it('refuses a rate limit below what WAF accepts', () => {
    expect(() => parsePipelineConfig({ ...TEST_ENVIRONMENT, delivery: { waf: { rateLimitPer5Minutes: 5 } } }, 'test')).toThrow(
      /delivery\.waf\.rateLimitPer5Minutes: must be at least 10/,
    );
  });
});

describe('CloudFront access logs (standard logging v2)', () => {
  const deliveryParts = ['aws_cloudwatch_log_delivery_source', 'aws_cloudwatch_log_delivery_destination', 'aws_cloudwatch_log_delivery'];

  it('creates the delivery in us-east-1 through the provider alias when the pipeline runs in another region', () => {
    const { template } = synthPipeline({ ...TEST_ENVIRONMENT, region: 'eu-west-1' });

    for (const type of deliveryParts) expect(template.onlyResource(type).provider).toBe('aws.us-east-1');
  });

  it('uses the stack provider (already us-east-1) and adds no alias in us-east-1', () => {
    const { template } = synthPipeline(TEST_ENVIRONMENT);

    for (const type of deliveryParts) expect(template.onlyResource(type).provider).toBeUndefined();
    expect((template.json.provider as { aws: { alias?: string }[] }).aws.filter((p) => p.alias !== undefined)).toEqual([]);
  });
});
