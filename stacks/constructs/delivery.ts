import { Construct } from 'constructs';
import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { CloudfrontOriginAccessControl } from '@cdktf/provider-aws/lib/cloudfront-origin-access-control';
import { CloudfrontResponseHeadersPolicy } from '@cdktf/provider-aws/lib/cloudfront-response-headers-policy';
import { PRICE_CLASSES, PriceClass } from '../lib/aws-limits';
import { InvalidPropsError, checkOneOfProp, checkPatternProp } from '../lib/prop-validation';
import { deliveryResponseHeaders } from '../lib/delivery-headers';
import { SecureBucket } from './secure-bucket';

/** AWS managed cache policy "CachingOptimized". Unique output prefixes per upload make long TTLs safe. */
export const CACHING_OPTIMIZED_POLICY_ID = '658327ea-f89d-4fab-a63d-7e88639e58f6';

/** A CORS origin: `*`, or a scheme and host without a path. */
export const CORS_ORIGIN_PATTERN = /^(\*|https?:\/\/[^\s/]+)$/;

export interface DeliveryProps {
  /** Resource name prefix, e.g. `vod-dev`. */
  readonly name: string;
  /** Bucket served through the distribution. Its policy gets the OAC read grant. */
  readonly originBucket: SecureBucket;
  /** Bucket for CloudFront standard logs (CKV_AWS_86); needs `objectOwnership: 'BucketOwnerPreferred'` (ACL delivery). */
  readonly logBucket: SecureBucket;
  /**
   * Edge locations used.
   * @default 'PriceClass_100'
   */
  readonly priceClass?: PriceClass;
  /**
   * Origins allowed by CORS, so hls.js players on another site can fetch playlists and segments.
   * @default ['*']
   */
  readonly corsAllowedOrigins?: string[];
  /**
   * Own response-headers policy with CORS and security headers (CKV2_AWS_32). Turn off
   * only against an emulator that lacks the API.
   * @default true
   */
  readonly responseHeadersPolicy?: boolean;
  /**
   * Wait until the distribution is deployed before finishing the apply.
   * @default true
   */
  readonly waitForDeployment?: boolean;
}

/**
 * CloudFront in front of the output bucket through Origin Access Control: HTTPS only,
 * managed CachingOptimized, CORS for web players, and a bucket that only this
 * distribution can read.
 */
export class Delivery extends Construct {
  readonly distribution: CloudfrontDistribution;
  readonly originAccessControl: CloudfrontOriginAccessControl;
  readonly responseHeaders?: CloudfrontResponseHeadersPolicy;

  constructor(scope: Construct, id: string, props: DeliveryProps) {
    super(scope, id);
    const priceClass = props.priceClass ?? 'PriceClass_100';
    const corsAllowedOrigins = props.corsAllowedOrigins ?? ['*'];
    const withResponseHeaders = props.responseHeadersPolicy ?? true;
    const waitForDeployment = props.waitForDeployment ?? true;
    const originId = 'output-bucket';
    this.validate(props.logBucket, priceClass, corsAllowedOrigins);

    this.originAccessControl = new CloudfrontOriginAccessControl(this, 'OriginAccessControl', {
      name: `${props.name}-output`,
      description: `Signs CloudFront requests to the ${props.name} output bucket`,
      originAccessControlOriginType: 's3',
      signingBehavior: 'always',
      signingProtocol: 'sigv4',
    });
    this.responseHeaders = withResponseHeaders ? this.createResponseHeadersPolicy(props.name, corsAllowedOrigins) : undefined;

    this.distribution = new CloudfrontDistribution(this, 'Distribution', {
      enabled: true,
      comment: `${props.name} video delivery`,
      httpVersion: 'http2and3',
      isIpv6Enabled: true,
      priceClass,
      waitForDeployment,
      origin: [
        {
          originId,
          domainName: props.originBucket.bucket.bucketRegionalDomainName,
          originAccessControlId: this.originAccessControl.id,
        },
      ],
      defaultCacheBehavior: {
        targetOriginId: originId,
        viewerProtocolPolicy: 'redirect-to-https',
        allowedMethods: ['GET', 'HEAD', 'OPTIONS'],
        cachedMethods: ['GET', 'HEAD'],
        cachePolicyId: CACHING_OPTIMIZED_POLICY_ID,
        responseHeadersPolicyId: this.responseHeaders?.id,
        compress: true,
      },
      loggingConfig: {
        bucket: props.logBucket.bucket.bucketDomainName,
        prefix: 'cloudfront/',
        includeCookies: false,
      },
      restrictions: { geoRestriction: { restrictionType: 'none' } },
      // The default *.cloudfront.net certificate; a custom domain with ACM and TLSv1.2_2021 is the upgrade.
      viewerCertificate: { cloudfrontDefaultCertificate: true },
    });

    props.originBucket.addToResourcePolicy({
      sid: 'AllowCloudFrontReadThroughOAC',
      effect: 'Allow',
      principals: [{ type: 'Service', identifiers: ['cloudfront.amazonaws.com'] }],
      actions: ['s3:GetObject'],
      resources: [`${props.originBucket.bucketArn}/*`],
      condition: [{ test: 'StringEquals', variable: 'AWS:SourceArn', values: [this.distribution.arn] }],
    });
  }

  /** The distribution's domain, e.g. `d111111abcdef8.cloudfront.net`. */
  get domainName(): string {
    return this.distribution.domainName;
  }

  /** Props CloudFront would reject at apply, or that would silently lose logs. */
  private validate(logBucket: SecureBucket, priceClass: PriceClass, corsAllowedOrigins: readonly string[]): void {
    if (logBucket.objectOwnership === 'BucketOwnerEnforced') {
      throw new InvalidPropsError(
        this,
        `'logBucket' (${logBucket.node.path}) has objectOwnership 'BucketOwnerEnforced', so CloudFront cannot deliver its logs (they are written with an ACL grant). Create the log bucket with objectOwnership: 'BucketOwnerPreferred'.`,
      );
    }
    checkOneOfProp(this, 'priceClass', priceClass, PRICE_CLASSES, 'it is a CloudFront price class');
    if (corsAllowedOrigins.length === 0)
      throw new InvalidPropsError(this, `'corsAllowedOrigins' is empty; allow at least one origin, e.g. ['*'].`);
    for (const origin of corsAllowedOrigins) {
      checkPatternProp(
        this,
        'corsAllowedOrigins',
        origin,
        CORS_ORIGIN_PATTERN,
        'use "*" or an origin such as "https://player.example.com" (no path)',
      );
    }
  }

  private createResponseHeadersPolicy(name: string, allowedOrigins: string[]): CloudfrontResponseHeadersPolicy {
    return new CloudfrontResponseHeadersPolicy(this, 'ResponseHeadersPolicy', {
      name: `${name}-cors-security`,
      comment: 'CORS for HLS players on other origins, plus security headers',
      ...deliveryResponseHeaders(allowedOrigins),
    });
  }
}
