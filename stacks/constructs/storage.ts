import { Construct } from 'constructs';
import { COLD_STORAGE_CLASSES, ColdStorageClass, MIN_TRANSITION_DAYS } from '../../contracts/aws-limits';
import { STORAGE_DEFAULTS } from '../../contracts/defaults';
import { checkIntegerProp, checkOneOfProp } from '../lib/prop-validation';
import { EncryptionKey } from './encryption-key';
import { SecureBucket } from './secure-bucket';

export interface StorageProps {
  /** Resource name prefix, e.g. `vod-dev`. Bucket names add a role, the account id and the region. */
  readonly name: string;
  /** Account id, for globally unique bucket names. */
  readonly accountId: string;
  /** Region, for globally unique bucket names. */
  readonly region: string;
  /**
   * Let `terraform destroy` delete non-empty buckets. Only for throwaway environments.
   * @default false
   */
  readonly forceDestroy?: boolean;
  /**
   * Days before source originals move to `sourceColdStorageClass`.
   * @default 30
   */
  readonly sourceTransitionDays?: number;
  /**
   * Storage class source originals move to after `sourceTransitionDays`.
   * @default 'GLACIER_IR'
   */
  readonly sourceColdStorageClass?: ColdStorageClass;
  /**
   * Days before replaced source versions are deleted.
   * @default 30
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Days before access logs are deleted.
   * @default 365
   */
  readonly accessLogExpirationDays?: number;
  /**
   * A customer-managed key for the source and output buckets (SSE-KMS with bucket keys). The log
   * bucket stays SSE-S3: S3 server access logging delivers only there.
   * @default - SSE-S3 everywhere
   */
  readonly encryptionKey?: EncryptionKey;
}

/**
 * The pipeline's three buckets: versioned source uploads, transcoded outputs
 * (Intelligent-Tiering) and access logs. All private, TLS-only and encrypted.
 */
export class Storage extends Construct {
  readonly logBucket: SecureBucket;
  readonly sourceBucket: SecureBucket;
  readonly outputBucket: SecureBucket;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    const forceDestroy = props.forceDestroy ?? STORAGE_DEFAULTS.forceDestroy;
    const sourceTransitionDays = props.sourceTransitionDays ?? STORAGE_DEFAULTS.sourceTransitionDays;
    const sourceColdStorageClass = props.sourceColdStorageClass ?? STORAGE_DEFAULTS.sourceColdStorageClass;
    const noncurrentVersionExpirationDays = props.noncurrentVersionExpirationDays ?? STORAGE_DEFAULTS.noncurrentVersionExpirationDays;
    const accessLogExpirationDays = props.accessLogExpirationDays ?? STORAGE_DEFAULTS.accessLogExpirationDays;
    checkIntegerProp(
      this,
      'sourceTransitionDays',
      sourceTransitionDays,
      { min: MIN_TRANSITION_DAYS, max: 36_500 },
      'S3 keeps objects 30 days in STANDARD before a transition',
    );
    checkOneOfProp(this, 'sourceColdStorageClass', sourceColdStorageClass, COLD_STORAGE_CLASSES, 'originals move to an archive class');
    checkIntegerProp(
      this,
      'noncurrentVersionExpirationDays',
      noncurrentVersionExpirationDays,
      { min: 1, max: 36_500 },
      'replaced versions expire after whole days',
    );
    checkIntegerProp(
      this,
      'accessLogExpirationDays',
      accessLogExpirationDays,
      { min: 1, max: 36_500 },
      'access logs expire after whole days',
    );
    const nameOf = (role: string) => `${props.name}-${role}-${props.accountId}-${props.region}`;

    this.logBucket = new SecureBucket(this, 'LogBucket', {
      bucketName: nameOf('logs'),
      forceDestroy,
      receivesAccessLogs: true,
      lifecycleRules: [{ id: 'expire-access-logs', status: 'Enabled', filter: [{}], expiration: [{ days: accessLogExpirationDays }] }],
    });
    this.sourceBucket = new SecureBucket(this, 'SourceBucket', {
      bucketName: nameOf('source'),
      forceDestroy,
      versioned: true,
      ...(props.encryptionKey ? { encryptionKey: props.encryptionKey } : {}),
      accessLogs: { bucket: this.logBucket, prefix: 's3/source/' },
      lifecycleRules: [
        {
          id: 'archive-source-originals',
          status: 'Enabled',
          filter: [{}],
          transition: [{ days: sourceTransitionDays, storageClass: sourceColdStorageClass }],
          noncurrentVersionExpiration: [{ noncurrentDays: noncurrentVersionExpirationDays }],
        },
      ],
    });
    this.outputBucket = new SecureBucket(this, 'OutputBucket', {
      bucketName: nameOf('output'),
      forceDestroy,
      ...(props.encryptionKey ? { encryptionKey: props.encryptionKey } : {}),
      accessLogs: { bucket: this.logBucket, prefix: 's3/output/' },
      lifecycleRules: [
        {
          id: 'intelligent-tiering-outputs',
          status: 'Enabled',
          filter: [{}],
          transition: [{ days: 0, storageClass: 'INTELLIGENT_TIERING' }],
        },
      ],
    });
  }
}
