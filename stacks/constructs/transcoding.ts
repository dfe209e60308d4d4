import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { MediaConvertQueue } from '@cdktf/provider-aws/lib/media-convert-queue';
import { PolicyDocument, PolicyStatement, serviceTrust } from '../lib/policy';
import { accountIdOf } from '../lib/account';
import { SecureBucket } from './secure-bucket';
import { EncryptionKey } from './encryption-key';

export interface TranscodingProps {
  /** Resource name prefix, e.g. `vod-dev`. */
  readonly name: string;
  /** MediaConvert reads uploads from here. */
  readonly sourceBucket: SecureBucket;
  /** MediaConvert writes renditions here. */
  readonly outputBucket: SecureBucket;
  /**
   * The account MediaConvert may act for when it assumes the role (`aws:SourceAccount`, the
   * confused-deputy guard). MediaConvert documents no `aws:SourceArn` for its service role, so none is set.
   * @default - the provider's account (data.aws_caller_identity)
   */
  readonly accountId?: string;
  /**
   * The buckets' customer-managed key: jobs may decrypt source objects and encrypt output objects
   * with it, only through S3 and only in those buckets (the encryption context is the bucket's ARN).
   * @default - SSE-S3 buckets, no KMS permission
   */
  readonly encryptionKey?: EncryptionKey;
}

/**
 * MediaConvert's side: a dedicated on-demand queue (its own throughput, and a job
 * filter for events), and the service role jobs run as, which may read source
 * objects and write output objects and nothing else.
 */
export class Transcoding extends Construct {
  readonly queue: MediaConvertQueue;
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: TranscodingProps) {
    super(scope, id);
    const accountId = props.accountId ?? accountIdOf(this);
    this.queue = new MediaConvertQueue(this, 'Queue', {
      name: props.name,
      description: `On-demand queue of the ${props.name} video pipeline`,
      pricingPlan: 'ON_DEMAND',
      status: 'ACTIVE',
    });
    this.role = new IamRole(this, 'ServiceRole', {
      name: `${props.name}-mediaconvert`,
      description: 'Assumed by MediaConvert jobs of this pipeline',
      assumeRolePolicy: new PolicyDocument(this, 'TrustPolicy', [serviceTrust('mediaconvert.amazonaws.com', accountId)]).json,
    });
    const policy = new PolicyDocument(this, 'ServicePolicy', [
      { sid: 'ReadSourceObjects', effect: 'Allow', actions: ['s3:GetObject'], resources: [`${props.sourceBucket.bucketArn}/*`] },
      { sid: 'WriteOutputObjects', effect: 'Allow', actions: ['s3:PutObject'], resources: [`${props.outputBucket.bucketArn}/*`] },
      ...this.keyStatements(props),
    ]);
    new IamRolePolicy(this, 'ServiceRolePolicy', { name: 'source-read-output-write', role: this.role.id, policy: policy.json });
  }

  private keyStatements(props: TranscodingProps): PolicyStatement[] {
    const key = props.encryptionKey;
    if (!key) return [];
    return [
      key.statement('DecryptSourceObjects', 's3', ['kms:Decrypt'], { key: 'aws:s3:arn', values: [props.sourceBucket.bucketArn] }),
      // Large outputs are multipart uploads, which S3 completes with kms:Decrypt of the upload's data key.
      key.statement('EncryptOutputObjects', 's3', ['kms:GenerateDataKey', 'kms:Decrypt'], {
        key: 'aws:s3:arn',
        values: [props.outputBucket.bucketArn],
      }),
    ];
  }
}
