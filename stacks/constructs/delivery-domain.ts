import { Construct } from 'constructs';
import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation';
import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { InvalidPropsError, checkPatternProp } from '../lib/prop-validation';
import { DOMAIN_NAME_PATTERN, HOSTED_ZONE_ID_PATTERN, US_EAST_1_CERTIFICATE_PATTERN } from '../../contracts/delivery-options';

/** CloudFront's hosted zone for alias records of every distribution. */
export const CLOUDFRONT_HOSTED_ZONE_ID = 'Z2FDTNDATAQYW2';

export interface DeliveryDomainProps {
  /** The names viewers use, e.g. `['video.example.com']`; the first is the certificate's subject. */
  readonly names: readonly string[];
  /**
   * An existing ACM certificate for every name, in us-east-1.
   * @default - a certificate requested in us-east-1 and validated by DNS in `hostedZoneId`
   */
  readonly certificateArn?: string;
  /**
   * The Route 53 zone of the names: DNS validation records of the certificate and alias records to the distribution.
   * @default - no DNS records (point the names at the distribution yourself)
   */
  readonly hostedZoneId?: string;
  /** The `us-east-1` provider (terraform-settings globalProviderOf): ACM certificates of CloudFront live there. */
  readonly globalProvider: AwsProvider;
}

/**
 * The distribution's own domain: the certificate (given, or requested in us-east-1 and validated
 * by DNS), and the alias records once the distribution exists ({@link addAliasRecords}).
 */
export class DeliveryDomain extends Construct {
  /** What the distribution's viewer certificate uses: validated before the distribution refers to it. */
  readonly certificateArn: string;
  readonly names: readonly string[];
  private readonly hostedZoneId?: string;

  constructor(scope: Construct, id: string, props: DeliveryDomainProps) {
    super(scope, id);
    this.names = props.names;
    if (props.names.length === 0)
      throw new InvalidPropsError(this, `'names' is empty; give the names viewers use, e.g. ['video.example.com'].`);
    for (const name of props.names)
      checkPatternProp(this, 'names', name, DOMAIN_NAME_PATTERN, 'use a lowercase DNS name such as "video.example.com"');
    if (props.hostedZoneId !== undefined)
      checkPatternProp(
        this,
        'hostedZoneId',
        props.hostedZoneId,
        HOSTED_ZONE_ID_PATTERN,
        'use a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ"',
      );
    if (props.certificateArn !== undefined) {
      checkPatternProp(
        this,
        'certificateArn',
        props.certificateArn,
        US_EAST_1_CERTIFICATE_PATTERN,
        'CloudFront only uses ACM certificates in us-east-1: request or import the certificate there and give its ARN',
      );
    } else if (props.hostedZoneId === undefined) {
      throw new InvalidPropsError(
        this,
        `neither 'certificateArn' nor 'hostedZoneId' is set; give a us-east-1 ACM certificate, or the hosted zone to validate a new one in.`,
      );
    }
    if (props.hostedZoneId !== undefined) this.hostedZoneId = props.hostedZoneId;
    this.certificateArn = props.certificateArn ?? this.requestCertificate(props.names, props.hostedZoneId!, props.globalProvider);
  }

  private requestCertificate(names: readonly string[], hostedZoneId: string, provider: AwsProvider): string {
    const [subject, ...alternatives] = names;
    const certificate = new AcmCertificate(this, 'Certificate', {
      provider,
      domainName: subject!,
      subjectAlternativeNames: alternatives,
      validationMethod: 'DNS',
      keyAlgorithm: 'RSA_2048',
      lifecycle: { createBeforeDestroy: true },
    });
    // One CNAME per name; names sharing a validation record (a name and its wildcard) are deduplicated by allowOverwrite.
    const records = names.map(
      (name, index) =>
        new Route53Record(this, `ValidationRecord${index}`, {
          zoneId: hostedZoneId,
          name: `\${{ for o in ${certificate.fqn}.domain_validation_options : o.domain_name => o.resource_record_name }["${name}"]}`,
          type: `\${{ for o in ${certificate.fqn}.domain_validation_options : o.domain_name => o.resource_record_type }["${name}"]}`,
          records: [`\${{ for o in ${certificate.fqn}.domain_validation_options : o.domain_name => o.resource_record_value }["${name}"]}`],
          ttl: 60,
          allowOverwrite: true,
        }),
    );
    const validation = new AcmCertificateValidation(this, 'CertificateValidation', {
      provider,
      certificateArn: certificate.arn,
      validationRecordFqdns: records.map((record) => record.fqdn),
    });
    return validation.certificateArn;
  }

  /** A and AAAA alias records of every name to the distribution, when the hosted zone is known. */
  addAliasRecords(distribution: CloudfrontDistribution): void {
    if (this.hostedZoneId === undefined) return;
    this.names.forEach((name, index) => {
      for (const type of ['A', 'AAAA']) {
        new Route53Record(this, `Alias${type}${index}`, {
          zoneId: this.hostedZoneId!,
          name,
          type,
          alias: { name: distribution.domainName, zoneId: CLOUDFRONT_HOSTED_ZONE_ID, evaluateTargetHealth: false },
        });
      }
    });
  }
}
