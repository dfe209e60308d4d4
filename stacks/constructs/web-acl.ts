import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Wafv2WebAcl } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { checkIntegerProp } from '../lib/prop-validation';
import { RATE_LIMIT_RANGE } from '../../contracts/delivery-options';

export interface WebAclProps {
  /** Resource name prefix, e.g. `vod-prod`. */
  readonly name: string;
  /** Requests one IP may make in any 5 minutes before it is blocked (a player fetches one segment every few seconds). */
  readonly rateLimitPer5Minutes: number;
  /** The `us-east-1` provider: web ACLs of CloudFront (scope CLOUDFRONT) live there. */
  readonly globalProvider: AwsProvider;
}

/**
 * A WAFv2 web ACL for the distribution: a per-IP rate limit (blocks scrapers and egress abuse)
 * and AWS's common and known-bad-inputs managed rule groups. Costs about 5 USD a month, 1 USD per rule a month, and
 * 0.60 USD per million requests.
 */
export class WebAcl extends Construct {
  readonly acl: Wafv2WebAcl;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    checkIntegerProp(this, 'rateLimitPer5Minutes', props.rateLimitPer5Minutes, RATE_LIMIT_RANGE, 'it is a WAF rate-based rule limit');
    const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });
    this.acl = new Wafv2WebAcl(this, 'WebAcl', {
      provider: props.globalProvider,
      name: `${props.name}-delivery`,
      description: `Rate limit and common protections of the ${props.name} distribution`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      rule: [
        {
          name: 'rate-limit-per-ip',
          priority: 0,
          action: { block: {} },
          // `statement` is untyped in the provider bindings (too deep to generate): keys as Terraform spells them.
          statement: { rate_based_statement: { limit: props.rateLimitPer5Minutes, aggregate_key_type: 'IP' } },
          visibilityConfig: visibility(`${props.name}-rate-limit`),
        },
        {
          name: 'aws-common-rule-set',
          priority: 1,
          overrideAction: { none: {} },
          statement: { managed_rule_group_statement: { vendor_name: 'AWS', name: 'AWSManagedRulesCommonRuleSet' } },
          visibilityConfig: visibility(`${props.name}-common-rules`),
        },
        {
          // Known bad inputs (Log4j JNDI lookups and the like): checkov CKV2_AWS_47.
          name: 'aws-known-bad-inputs',
          priority: 2,
          overrideAction: { none: {} },
          statement: { managed_rule_group_statement: { vendor_name: 'AWS', name: 'AWSManagedRulesKnownBadInputsRuleSet' } },
          visibilityConfig: visibility(`${props.name}-known-bad-inputs`),
        },
      ],
      visibilityConfig: visibility(`${props.name}-delivery`),
    });
  }
}
