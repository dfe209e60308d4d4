/** The review rules: which changes deserve a second look for security or cost, and the flags they raise. */
import { SUBMIT_JOB_VARIABLES } from '../../contracts/functions/submit-job';
import type { AttributeChange } from './plan-diff';
import type { ChangeKind } from './plan-json';

/** Why a change deserves a second look. */
export type FlagKind = 'security' | 'cost';

/**
 * A review rule. Without `paths` it flags every change of the resource type; with
 * `paths` only updates and replacements that change an attribute under one of them.
 */
export interface ReviewRule {
  readonly kind: FlagKind;
  readonly label: string;
  readonly types: readonly string[];
  readonly paths?: readonly string[];
}

/**
 * What the summary flags. Security: who may do what, who may read, and encryption.
 * Cost: what moves the MediaConvert and CloudFront bill or the storage kept.
 * The Lambda environment variable names come from the submit function's contract (contracts/functions/submit-job.ts).
 */
export const REVIEW_RULES: readonly ReviewRule[] = [
  {
    kind: 'security',
    label: 'IAM policy',
    types: [
      'aws_iam_policy',
      'aws_iam_role_policy',
      'aws_iam_user_policy',
      'aws_iam_group_policy',
      'aws_iam_role_policy_attachment',
      'aws_iam_user_policy_attachment',
      'aws_iam_group_policy_attachment',
      'aws_iam_policy_attachment',
    ],
  },
  {
    kind: 'security',
    label: 'IAM role trust or policies',
    types: ['aws_iam_role'],
    paths: ['assume_role_policy', 'inline_policy', 'managed_policy_arns', 'permissions_boundary'],
  },
  { kind: 'security', label: 'bucket policy', types: ['aws_s3_bucket_policy'] },
  { kind: 'security', label: 'bucket policy', types: ['aws_s3_bucket'], paths: ['policy', 'acl', 'grant'] },
  {
    kind: 'security',
    label: 'public access',
    types: [
      'aws_s3_bucket_public_access_block',
      'aws_s3_account_public_access_block',
      'aws_s3_bucket_acl',
      'aws_s3_bucket_ownership_controls',
    ],
  },
  {
    kind: 'security',
    label: 'resource policy',
    types: ['aws_lambda_permission', 'aws_lambda_function_url', 'aws_sqs_queue_policy', 'aws_sns_topic_policy'],
  },
  {
    kind: 'security',
    label: 'encryption',
    types: ['aws_s3_bucket_server_side_encryption_configuration', 'aws_kms_key', 'aws_kms_alias', 'aws_kms_grant'],
  },
  { kind: 'security', label: 'encryption', types: ['aws_sqs_queue'], paths: ['kms_master_key_id', 'sqs_managed_sse_enabled'] },
  { kind: 'security', label: 'encryption', types: ['aws_sns_topic'], paths: ['kms_master_key_id'] },
  { kind: 'security', label: 'encryption', types: ['aws_dynamodb_table'], paths: ['server_side_encryption'] },
  { kind: 'security', label: 'encryption', types: ['aws_lambda_function'], paths: ['kms_key_arn'] },
  { kind: 'security', label: 'encryption', types: ['aws_cloudwatch_log_group'], paths: ['kms_key_id'] },
  {
    kind: 'security',
    label: 'encryption in transit',
    types: ['aws_cloudfront_distribution'],
    paths: ['viewer_certificate', 'default_cache_behavior.viewer_protocol_policy', 'ordered_cache_behavior'],
  },
  {
    kind: 'cost',
    label: 'encoding ladder',
    types: ['aws_lambda_function'],
    paths: [`environment.variables.${SUBMIT_JOB_VARIABLES.ladder.name}`],
  },
  {
    kind: 'cost',
    label: 'acceleration',
    types: ['aws_lambda_function'],
    paths: [
      `environment.variables.${SUBMIT_JOB_VARIABLES.accelerationMode.name}`,
      `environment.variables.${SUBMIT_JOB_VARIABLES.accelerationMinSourceMinutes.name}`,
    ],
  },
  // HEVC (the HDR ladder) bills every output of an HDR job at the Professional tier.
  { kind: 'cost', label: 'HDR ladder', types: ['aws_lambda_function'], paths: [`environment.variables.${SUBMIT_JOB_VARIABLES.hdr.name}`] },
  { kind: 'cost', label: 'reserved concurrency', types: ['aws_lambda_function'], paths: ['reserved_concurrent_executions'] },
  { kind: 'cost', label: 'price class', types: ['aws_cloudfront_distribution'], paths: ['price_class'] },
  { kind: 'cost', label: 'lifecycle', types: ['aws_s3_bucket_lifecycle_configuration'] },
  { kind: 'cost', label: 'queue pricing plan', types: ['aws_media_convert_queue'], paths: ['pricing_plan', 'reservation_plan_settings'] },
];

/** A flag raised on one resource by one rule. */
export interface ReviewFlag {
  readonly kind: FlagKind;
  readonly label: string;
  /** Changed attribute paths that raised it; empty for resource-level rules. */
  readonly paths: readonly string[];
}

function underPath(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`) || path.startsWith(`${prefix} › `);
}

/** The flags one resource change raises under `rules`, one per label and kind. */
export function reviewFlags(
  type: string,
  kind: ChangeKind,
  changes: readonly AttributeChange[],
  rules: readonly ReviewRule[] = REVIEW_RULES,
): ReviewFlag[] {
  const flags = new Map<string, ReviewFlag>();
  for (const rule of rules.filter((r) => r.types.includes(type))) {
    const key = `${rule.kind}:${rule.label}`;
    if (rule.paths === undefined) {
      flags.set(key, { kind: rule.kind, label: rule.label, paths: flags.get(key)?.paths ?? [] });
      continue;
    }
    if (kind !== 'update' && kind !== 'replace') continue;
    const hits = changes.map((c) => c.path).filter((p) => rule.paths!.some((prefix) => underPath(p, prefix)));
    if (hits.length > 0) flags.set(key, { kind: rule.kind, label: rule.label, paths: [...(flags.get(key)?.paths ?? []), ...hits] });
  }
  return [...flags.values()];
}
