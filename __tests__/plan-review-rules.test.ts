import { reviewFlags } from '../scripts/lib/plan-review-rules';

describe('reviewFlags', () => {
  const change = (path: string) => [{ path, before: '1', after: '2', forcesReplacement: false }];

  it.each<[string, string, 'create' | 'update' | 'delete' | 'replace', string, string[]]>([
    ['an IAM role policy on create', 'aws_iam_role_policy', 'create', 'policy', ['security:IAM policy']],
    ['a bucket policy on delete', 'aws_s3_bucket_policy', 'delete', 'policy', ['security:bucket policy']],
    ['a public-access block update', 'aws_s3_bucket_public_access_block', 'update', 'block_public_acls', ['security:public access']],
    ['an SSE configuration update', 'aws_s3_bucket_server_side_encryption_configuration', 'update', 'rule', ['security:encryption']],
    ['a role trust policy update', 'aws_iam_role', 'update', 'assume_role_policy', ['security:IAM role trust or policies']],
    ['a role tag update (nothing)', 'aws_iam_role', 'update', 'tags.Owner', []],
    [
      'a ladder change',
      'aws_lambda_function',
      'update',
      'environment.variables.ENCODING_LADDER › rungs.maxBitrate',
      ['cost:encoding ladder'],
    ],
    ['an acceleration change', 'aws_lambda_function', 'update', 'environment.variables.ACCELERATION_MODE', ['cost:acceleration']],
    ['a reserved concurrency change', 'aws_lambda_function', 'update', 'reserved_concurrent_executions', ['cost:reserved concurrency']],
    ['a price class change', 'aws_cloudfront_distribution', 'update', 'price_class', ['cost:price class']],
    ['a lifecycle rule change', 'aws_s3_bucket_lifecycle_configuration', 'update', 'rule.expiration.days', ['cost:lifecycle']],
    ['a new Lambda (path rules need an update)', 'aws_lambda_function', 'create', 'reserved_concurrent_executions', []],
    ['a Lambda timeout change (nothing)', 'aws_lambda_function', 'update', 'timeout', []],
  ])('flags %s', (_name, type, kind, path, expected) => {
    const flags = reviewFlags(type, kind, kind === 'update' || kind === 'replace' ? change(path) : []);

    expect(flags.map((f) => `${f.kind}:${f.label}`)).toEqual(expected);
  });
});
