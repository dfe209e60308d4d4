import { Transcoding } from '../stacks/constructs/transcoding';
import { SecureBucket } from '../stacks/constructs/secure-bucket';
import { Template, refOf } from '../testing';

/** A Transcoding for buckets `source` and `output`, named `vod-test`. */
function synthTranscoding(): { template: Template; built: { sourceBucket: SecureBucket; outputBucket: SecureBucket } } {
  return Template.synthBuilt((scope) => {
    const sourceBucket = new SecureBucket(scope, 'Source', { bucketName: 'source' });
    const outputBucket = new SecureBucket(scope, 'Output', { bucketName: 'output' });
    new Transcoding(scope, 'Transcoding', { name: 'vod-test', sourceBucket, outputBucket });
    return { sourceBucket, outputBucket };
  });
}

describe('Transcoding', () => {
  it('creates a dedicated, active, on-demand MediaConvert queue', () => {
    const { template } = synthTranscoding();

    expect(template.onlyResource('aws_media_convert_queue')).toEqual(
      expect.objectContaining({ name: 'vod-test', pricing_plan: 'ON_DEMAND', status: 'ACTIVE' }),
    );
  });

  it('lets MediaConvert assume its role only on behalf of this account (confused-deputy guard)', () => {
    // Act
    const { template } = synthTranscoding();

    // Assess
    const [trust] = template.statementsOf(template.onlyResource('aws_iam_role').assume_role_policy);
    expect(trust?.condition).toEqual([
      { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['${data.aws_caller_identity.CallerIdentity.account_id}'] },
    ]);
  });

  it('gives the MediaConvert role only source reads and output writes', () => {
    // Act
    const { template, built } = synthTranscoding();

    // Assess
    const role = template.onlyResource('aws_iam_role');
    expect(template.statementsOf(role.assume_role_policy)).toEqual([
      expect.objectContaining({
        effect: 'Allow',
        principals: [{ type: 'Service', identifiers: ['mediaconvert.amazonaws.com'] }],
        actions: ['sts:AssumeRole'],
      }),
    ]);
    expect(template.statementsOf(template.onlyResource('aws_iam_role_policy').policy)).toEqual([
      {
        sid: 'ReadSourceObjects',
        effect: 'Allow',
        actions: ['s3:GetObject'],
        resources: [`${refOf(built.sourceBucket.bucket, 'arn')}/*`],
      },
      {
        sid: 'WriteOutputObjects',
        effect: 'Allow',
        actions: ['s3:PutObject'],
        resources: [`${refOf(built.outputBucket.bucket, 'arn')}/*`],
      },
    ]);
  });
});
