import { Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import {
  S3BucketLifecycleConfiguration,
  S3BucketLifecycleConfigurationRule,
} from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { accountIdOf } from '../lib/account';
import { InvalidPropsError } from '../lib/prop-validation';
import { PolicyDocument, PolicyStatement, denyInsecureTransport } from '../lib/policy';
import { EncryptionKey } from './encryption-key';

/** Days after which incomplete multipart uploads are aborted (CKV_AWS_300). */
export const ABORT_INCOMPLETE_UPLOAD_DAYS = 7;

export interface SecureBucketProps {
  /** Globally unique bucket name. */
  readonly bucketName: string;
  /**
   * Let `terraform destroy` delete the bucket with its objects.
   * @default false
   */
  readonly forceDestroy?: boolean;
  /**
   * Keep every version of every object (CKV_AWS_21). Add a noncurrent-version rule in `lifecycleRules`.
   * @default false
   */
  readonly versioned?: boolean;
  /**
   * Bucket that receives this bucket's server access logs (CKV_AWS_18).
   * Leave unset only for the log bucket itself and the state bucket.
   * @default - no access logging
   */
  readonly accessLogs?: { readonly bucket: SecureBucket; readonly prefix: string };
  /**
   * Accept server access logs from buckets of this account (adds the logging-service grant).
   * @default false
   */
  readonly receivesAccessLogs?: boolean;
  /**
   * Lifecycle rules besides the built-in abort of incomplete multipart uploads.
   * @default - only the abort rule
   */
  readonly lifecycleRules?: S3BucketLifecycleConfigurationRule[];
  /**
   * Object ownership. `BucketOwnerPreferred` re-enables ACLs: only for a bucket that receives
   * CloudFront legacy standard logs, which are delivered with an ACL grant (this stack's Delivery
   * uses standard logging v2, granted by bucket policy, and needs no ACL).
   * @default 'BucketOwnerEnforced'
   */
  readonly objectOwnership?: 'BucketOwnerEnforced' | 'BucketOwnerPreferred';
  /**
   * A customer-managed key: SSE-KMS with a bucket key (the bucket's ARN is the encryption context,
   * and S3 calls KMS about once per bucket key instead of once per object). Not for a bucket that
   * receives server access logs: S3 delivers those only to SSE-S3 buckets.
   * @default - SSE-S3 (AES256)
   */
  readonly encryptionKey?: EncryptionKey;
}

/**
 * An S3 bucket that cannot be made public, with each concern in its own resource:
 * ownership, public-access block, SSE, TLS-only policy, versioning, lifecycle, logging.
 * Add statements to its policy with {@link addToResourcePolicy}.
 */
export class SecureBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly publicAccessBlock: S3BucketPublicAccessBlock;
  readonly policy: S3BucketPolicy;
  /** The object ownership in effect: only `BucketOwnerPreferred` accepts ACL-granted deliveries. */
  readonly objectOwnership: 'BucketOwnerEnforced' | 'BucketOwnerPreferred';
  private readonly policyDocument: PolicyDocument;
  /** The buckets that log here: the log-delivery grant names them (aws:SourceArn). */
  private readonly accessLogSourceArns: string[] = [];

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    const forceDestroy = props.forceDestroy ?? false;
    const versioned = props.versioned ?? false;
    const objectOwnership = props.objectOwnership ?? 'BucketOwnerEnforced';
    this.objectOwnership = objectOwnership;
    const lifecycleRules = props.lifecycleRules ?? [];
    if (props.encryptionKey && props.receivesAccessLogs) {
      throw new InvalidPropsError(
        this,
        `'encryptionKey' is set on a bucket with 'receivesAccessLogs': S3 server access logging delivers only to SSE-S3 buckets. Leave the log bucket without encryptionKey.`,
      );
    }

    this.bucket = new S3Bucket(this, 'Bucket', { bucket: props.bucketName, forceDestroy });
    new S3BucketOwnershipControls(this, 'Ownership', {
      bucket: this.bucket.id,
      rule: { objectOwnership },
    });
    this.publicAccessBlock = new S3BucketPublicAccessBlock(this, 'PublicAccessBlock', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'Encryption', {
      bucket: this.bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: props.encryptionKey
            ? { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.encryptionKey.arn }
            : { sseAlgorithm: 'AES256' },
          bucketKeyEnabled: true,
        },
      ],
    });
    if (versioned) {
      new S3BucketVersioningA(this, 'Versioning', {
        bucket: this.bucket.id,
        versioningConfiguration: { status: 'Enabled' },
      });
    }
    new S3BucketLifecycleConfiguration(this, 'Lifecycle', {
      bucket: this.bucket.id,
      rule: [this.abortIncompleteUploadsRule(), ...lifecycleRules],
    });

    this.policyDocument = new PolicyDocument(this, 'PolicyDocument', [
      denyInsecureTransport([this.bucket.arn, `${this.bucket.arn}/*`]),
      ...(props.receivesAccessLogs ? [this.accessLogDeliveryStatement()] : []),
    ]);
    this.policy = new S3BucketPolicy(this, 'Policy', {
      bucket: this.bucket.id,
      policy: this.policyDocument.json,
      // PutBucketPolicy can race a concurrent public-access-block update and fail with
      // AccessDenied or OperationAborted: apply the block first.
      dependsOn: [this.publicAccessBlock],
    });

    if (props.accessLogs) {
      new S3BucketLoggingA(this, 'AccessLogging', {
        bucket: this.bucket.id,
        targetBucket: props.accessLogs.bucket.bucket.id,
        targetPrefix: props.accessLogs.prefix,
        // S3 validates the log bucket's grant when logging is enabled.
        dependsOn: [props.accessLogs.bucket.policy],
      });
      props.accessLogs.bucket.accessLogSourceArns.push(this.bucket.arn);
    }
  }

  /** The bucket's name. */
  get bucketName(): string {
    return this.bucket.bucket;
  }

  /** The bucket's ARN. */
  get bucketArn(): string {
    return this.bucket.arn;
  }

  /** Adds statements to the bucket policy, next to the TLS-only deny. */
  addToResourcePolicy(...statements: PolicyStatement[]): void {
    this.policyDocument.addStatements(...statements);
  }

  private abortIncompleteUploadsRule(): S3BucketLifecycleConfigurationRule {
    return {
      id: 'abort-incomplete-multipart-uploads',
      status: 'Enabled',
      filter: [{}],
      abortIncompleteMultipartUpload: [{ daysAfterInitiation: ABORT_INCOMPLETE_UPLOAD_DAYS }],
    };
  }

  private accessLogDeliveryStatement(): PolicyStatement {
    return {
      sid: 'AllowServerAccessLogDelivery',
      effect: 'Allow',
      principals: [{ type: 'Service', identifiers: ['logging.s3.amazonaws.com'] }],
      actions: ['s3:PutObject'],
      resources: [`${this.bucket.arn}/*`],
      // Resolved at synth: the buckets that name this one as their log target, once all are constructed.
      condition: Lazy.anyValue({
        produce: () => [
          { test: 'StringEquals', variable: 'aws:SourceAccount', values: [accountIdOf(this)] },
          ...(this.accessLogSourceArns.length > 0
            ? [{ test: 'ArnLike', variable: 'aws:SourceArn', values: [...this.accessLogSourceArns] }]
            : []),
        ],
      }) as unknown as PolicyStatement['condition'],
    };
  }
}
