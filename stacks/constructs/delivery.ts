import { Construct } from 'constructs';
import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { CloudfrontOriginAccessControl } from '@cdktf/provider-aws/lib/cloudfront-origin-access-control';
import { CloudfrontResponseHeadersPolicy } from '@cdktf/provider-aws/lib/cloudfront-response-headers-policy';
import { CloudwatchLogDelivery } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery';
import { CloudwatchLogDeliveryDestination } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery-destination';
import { CloudwatchLogDeliverySource } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery-source';
import { TerraformProvider } from 'cdktf';
import { accountIdOf, partitionOf } from '../lib/account';
import { PRICE_CLASSES, PriceClass } from '../../contracts/aws-limits';
import { CORS_ORIGIN_PATTERN, DELIVERY_DEFAULTS } from '../../contracts/defaults';
import { SERVED_PATH_PATTERNS } from '../../contracts/storage-layout';
import { InvalidPropsError, checkOneOfProp, checkPatternProp } from '../lib/prop-validation';
import { deliveryResponseHeaders } from '../lib/delivery-headers';
import { SecureBucket } from './secure-bucket';
import { EncryptionKey } from './encryption-key';

/** AWS managed cache policy "CachingOptimized". Unique output prefixes per upload make long TTLs safe. */
export const CACHING_OPTIMIZED_POLICY_ID = '658327ea-f89d-4fab-a63d-7e88639e58f6';

export { CORS_ORIGIN_PATTERN } from '../../contracts/defaults';

export interface DeliveryProps {
  /** Resource name prefix, e.g. `vod-dev`. */
  readonly name: string;
  /** Bucket served through the distribution. Its policy gets the OAC read grant. */
  readonly originBucket: SecureBucket;
  /**
   * Bucket for CloudFront standard logs (CKV_AWS_86), delivered by standard logging v2 (CloudWatch
   * Logs vended delivery, granted by bucket policy): the bucket keeps ACLs disabled.
   */
  readonly logBucket: SecureBucket;
  /**
   * A provider in us-east-1, where CloudFront's log delivery source (and so its destination and
   * delivery) must be created.
   * @default - the stack's provider (right when the stack's region is us-east-1)
   */
  readonly logDeliveryProvider?: TerraformProvider;
  /**
   * Edge locations used.
   * @default 'PriceClass_100'
   */
  readonly priceClass?: PriceClass;
  /**
   * Origins allowed by CORS, so hls.js players on another site can fetch playlists and segments.
   * In production, `*` is refused, and the default is the distribution's own names: a player served
   * from the distribution (or its custom domain) is same-origin and needs no CORS header at all.
   * @default ['*'], or no CORS (own names only) when `production`
   */
  readonly corsAllowedOrigins?: string[];
  /**
   * A production environment: CORS may not allow every origin.
   * @default false
   */
  readonly production?: boolean;
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
  /**
   * The distribution's own names and their us-east-1 certificate (see DeliveryDomain). With it,
   * viewers need TLS 1.2 or later (`TLSv1.2_2021`) and SNI.
   * @default - the `*.cloudfront.net` name and certificate only
   */
  readonly customDomain?: { readonly names: readonly string[]; readonly certificateArn: string };
  /**
   * A key group (see SignedPlayback) every served path requires: viewers need a signed cookie or URL.
   * @default - public playback
   */
  readonly trustedKeyGroupId?: string;
  /**
   * A WAFv2 web ACL (scope CLOUDFRONT) attached to the distribution (see WebAcl).
   * @default - no web ACL
   */
  readonly webAclArn?: string;
  /**
   * The origin bucket's customer-managed key: its policy lets CloudFront decrypt, for this
   * distribution only, what Origin Access Control fetches.
   * @default - an SSE-S3 origin bucket, no key grant
   */
  readonly encryptionKey?: EncryptionKey;
}

/** CloudFront's log delivery sources live in us-east-1, whatever the stack's region. */
const CLOUDFRONT_LOG_REGION = 'us-east-1';

/** Viewers' TLS floor whenever the certificate is ours. */
export const MINIMUM_PROTOCOL_VERSION = 'TLSv1.2_2021';

/**
 * CloudFront in front of the output bucket through Origin Access Control: HTTPS only,
 * managed CachingOptimized, CORS for web players, and a bucket that only this
 * distribution can read.
 */
export class Delivery extends Construct {
  readonly distribution: CloudfrontDistribution;
  readonly originAccessControl: CloudfrontOriginAccessControl;
  readonly responseHeaders?: CloudfrontResponseHeadersPolicy;
  /** The standard-logging (v2) delivery of the distribution's access logs to the log bucket. */
  readonly logDelivery: CloudwatchLogDelivery;

  constructor(scope: Construct, id: string, props: DeliveryProps) {
    super(scope, id);
    const priceClass = props.priceClass ?? DELIVERY_DEFAULTS.priceClass;
    const production = props.production ?? false;
    // Production allows no origin by default beyond the distribution's own names (added below).
    const corsAllowedOrigins = props.corsAllowedOrigins ?? (production ? [] : [...DELIVERY_DEFAULTS.corsAllowedOrigins]);
    const withResponseHeaders = props.responseHeadersPolicy ?? DELIVERY_DEFAULTS.responseHeadersPolicy;
    const waitForDeployment = props.waitForDeployment ?? DELIVERY_DEFAULTS.waitForDeployment;
    const originId = 'output-bucket';
    this.validate(priceClass, corsAllowedOrigins, props.corsAllowedOrigins !== undefined, production);

    this.originAccessControl = new CloudfrontOriginAccessControl(this, 'OriginAccessControl', {
      name: `${props.name}-output`,
      description: `Signs CloudFront requests to the ${props.name} output bucket`,
      originAccessControlOriginType: 's3',
      signingBehavior: 'always',
      signingProtocol: 'sigv4',
    });
    this.responseHeaders = withResponseHeaders ? this.createResponseHeadersPolicy(props.name, corsAllowedOrigins) : undefined;

    const viewerBehavior = {
      targetOriginId: originId,
      viewerProtocolPolicy: 'redirect-to-https',
      allowedMethods: ['GET', 'HEAD', 'OPTIONS'],
      cachedMethods: ['GET', 'HEAD'],
      cachePolicyId: CACHING_OPTIMIZED_POLICY_ID,
      responseHeadersPolicyId: this.responseHeaders?.id,
      compress: true,
      ...(props.trustedKeyGroupId !== undefined ? { trustedKeyGroups: [props.trustedKeyGroupId] } : {}),
    };
    this.distribution = new CloudfrontDistribution(this, 'Distribution', {
      enabled: true,
      comment: `${props.name} video delivery`,
      httpVersion: 'http2and3',
      isIpv6Enabled: true,
      priceClass,
      waitForDeployment,
      ...(props.customDomain !== undefined ? { aliases: [...props.customDomain.names] } : {}),
      ...(props.webAclArn !== undefined ? { webAclId: props.webAclArn } : {}),
      origin: [
        {
          originId,
          domainName: props.originBucket.bucket.bucketRegionalDomainName,
          originAccessControlId: this.originAccessControl.id,
        },
      ],
      // The renditions, one behavior per served folder. Any other path falls to the default
      // behavior, whose origin requests the bucket refuses (the OAC grant covers only these folders).
      orderedCacheBehavior: SERVED_PATH_PATTERNS.map((pathPattern) => ({ pathPattern, ...viewerBehavior })),
      defaultCacheBehavior: viewerBehavior,
      restrictions: { geoRestriction: { restrictionType: 'none' } },
      // The default *.cloudfront.net certificate allows TLS 1.0; with our own certificate, TLS 1.2 at least.
      viewerCertificate:
        props.customDomain === undefined
          ? { cloudfrontDefaultCertificate: true }
          : {
              acmCertificateArn: props.customDomain.certificateArn,
              sslSupportMethod: 'sni-only',
              minimumProtocolVersion: MINIMUM_PROTOCOL_VERSION,
            },
    });

    props.originBucket.addToResourcePolicy({
      sid: 'AllowCloudFrontReadThroughOAC',
      effect: 'Allow',
      principals: [{ type: 'Service', identifiers: ['cloudfront.amazonaws.com'] }],
      actions: ['s3:GetObject'],
      // Renditions only: `<assetId>/analysis/` and anything else stays private.
      resources: SERVED_PATH_PATTERNS.map((pattern) => `${props.originBucket.bucketArn}/${pattern}`),
      condition: [{ test: 'StringEquals', variable: 'AWS:SourceArn', values: [this.distribution.arn] }],
    });
    // OAC reads SSE-KMS objects only if the key lets CloudFront decrypt them.
    props.encryptionKey?.allowCloudFrontDistribution(this.distribution.arn);
    this.logDelivery = this.deliverAccessLogs(props.name, props.logBucket, props.logDeliveryProvider);
  }

  /**
   * CloudFront standard logging v2: a delivery source (the distribution's ACCESS_LOGS) to an S3
   * destination. The log bucket grants `delivery.logs.amazonaws.com` by policy, for this account's
   * delivery sources only, so it needs no ACL (legacy logging writes with an ACL grant).
   */
  private deliverAccessLogs(name: string, logBucket: SecureBucket, provider: TerraformProvider | undefined): CloudwatchLogDelivery {
    const account = accountIdOf(this);
    const inUsEast1 = provider ? { provider } : {};
    logBucket.addToResourcePolicy({
      sid: 'AllowCloudFrontLogDelivery',
      effect: 'Allow',
      principals: [{ type: 'Service', identifiers: ['delivery.logs.amazonaws.com'] }],
      actions: ['s3:PutObject'],
      resources: [`${logBucket.bucketArn}/AWSLogs/${account}/*`],
      condition: [
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: [account] },
        {
          test: 'ArnLike',
          variable: 'aws:SourceArn',
          values: [`arn:aws:logs:${CLOUDFRONT_LOG_REGION}:${account}:delivery-source:${name}-*`],
        },
      ],
    });
    const source = new CloudwatchLogDeliverySource(this, 'LogDeliverySource', {
      ...inUsEast1,
      name: `${name}-cloudfront`,
      logType: 'ACCESS_LOGS',
      // Built from the id, as AWS forms it: moto answers a distribution ARN without the empty region field.
      resourceArn: `arn:${partitionOf(this)}:cloudfront::${account}:distribution/${this.distribution.id}`,
    });
    const destination = new CloudwatchLogDeliveryDestination(this, 'LogDeliveryDestination', {
      ...inUsEast1,
      name: `${name}-cloudfront-s3`,
      // W3C, as legacy logging wrote: Parquet conversion is billed on top of delivery.
      outputFormat: 'w3c',
      deliveryDestinationConfiguration: [{ destinationResourceArn: logBucket.bucketArn }],
    });
    return new CloudwatchLogDelivery(this, 'LogDelivery', {
      ...inUsEast1,
      deliverySourceName: source.name,
      deliveryDestinationArn: destination.arn,
      // Without the grant in place, CloudWatch Logs rewrites the bucket policy itself (and terraform reverts it).
      dependsOn: [logBucket.policy],
    });
  }

  /** The distribution's domain, e.g. `d111111abcdef8.cloudfront.net`. */
  get domainName(): string {
    return this.distribution.domainName;
  }

  /** Props CloudFront would reject at apply, or that would silently lose logs. */
  private validate(priceClass: PriceClass, corsAllowedOrigins: readonly string[], originsGiven: boolean, production: boolean): void {
    checkOneOfProp(this, 'priceClass', priceClass, PRICE_CLASSES, 'it is a CloudFront price class');
    if (production && corsAllowedOrigins.includes('*')) {
      throw new InvalidPropsError(
        this,
        `'corsAllowedOrigins' is ["*"] in a production environment: any site could embed your videos and run up your egress bill. List the origins of your players (e.g. ["https://www.example.com"]), or leave it unset to allow only the distribution's own names.`,
      );
    }
    if (originsGiven && corsAllowedOrigins.length === 0)
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
