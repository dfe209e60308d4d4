import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { PipelineConfig } from './config';
import { configureAwsProvider, configureBackend } from './lib/terraform-settings';
import { SecureBucket } from './constructs/secure-bucket';
import { InvalidPropsError } from './lib/prop-validation';

export interface StateBackendStackProps {
  /** Name of the state bucket that the pipeline stacks' S3 backends use. */
  readonly bucketName: string;
  /** Region of the state bucket, e.g. `us-east-1`. */
  readonly region: string;
  /**
   * Key prefix of this stack's own state in the bucket: `<keyPrefix>/<stack id>.tfstate`.
   * @default 'bootstrap'
   */
  readonly keyPrefix?: string;
  /**
   * A local AWS emulator to create the bucket in (tests only).
   * @default - real AWS
   */
  readonly emulator?: PipelineConfig['emulator'];
  /**
   * Tags on every resource of the stack (provider default_tags).
   * @default {}
   */
  readonly tags?: Record<string, string>;
  /**
   * Days before replaced state versions are deleted; versions are the undo of a bad apply.
   * @default 90
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Name of the bucket that receives the state bucket's server access logs (who read or wrote
   * which state, FSBP S3.9 / CKV_AWS_18). Costs only the storage of the logs.
   * @default - `<bucketName>-logs`
   */
  readonly logBucketName?: string;
  /**
   * Days before the state bucket's access logs are deleted.
   * @default 365
   */
  readonly accessLogExpirationDays?: number;
}

/**
 * Bootstrap: the versioned, encrypted, private, TLS-only bucket that holds Terraform
 * state. Its own state lives in that bucket too (S3 backend, `<keyPrefix>/<id>.tfstate`),
 * never in cdktf.out where a synth would delete it. The first apply, before the bucket
 * exists, runs with a local state outside cdktf.out and migrates it into the bucket:
 * `npm run bootstrap` (scripts/lib/bootstrap.ts).
 */
export class StateBackendStack extends TerraformStack {
  readonly stateBucket: SecureBucket;
  /** Receives the state bucket's server access logs: ACLs disabled, delivery granted by bucket policy. */
  readonly logBucket: SecureBucket;

  constructor(scope: Construct, id: string, props: StateBackendStackProps) {
    super(scope, id);
    const noncurrentVersionExpirationDays = props.noncurrentVersionExpirationDays ?? 90;
    const keyPrefix = props.keyPrefix ?? 'bootstrap';
    const logBucketName = props.logBucketName ?? `${props.bucketName}-logs`;
    const accessLogExpirationDays = props.accessLogExpirationDays ?? 365;
    if (logBucketName.length > 63) {
      throw new InvalidPropsError(
        this,
        `'logBucketName' is "${logBucketName}" (${logBucketName.length} characters); S3 bucket names have at most 63. Give a shorter logBucketName (or a shorter bucketName).`,
      );
    }

    configureAwsProvider(this, { region: props.region, tags: props.tags ?? {}, emulator: props.emulator });
    configureBackend(this, { type: 's3', bucket: props.bucketName, region: props.region, keyPrefix }, id);

    this.logBucket = new SecureBucket(this, 'LogBucket', {
      bucketName: logBucketName,
      receivesAccessLogs: true,
      lifecycleRules: [{ id: 'expire-access-logs', status: 'Enabled', filter: [{}], expiration: [{ days: accessLogExpirationDays }] }],
    });
    this.stateBucket = new SecureBucket(this, 'StateBucket', {
      bucketName: props.bucketName,
      versioned: true,
      accessLogs: { bucket: this.logBucket, prefix: 's3/state/' },
      lifecycleRules: [
        {
          id: 'expire-old-state-versions',
          status: 'Enabled',
          filter: [{}],
          noncurrentVersionExpiration: [{ noncurrentDays: noncurrentVersionExpirationDays }],
        },
      ],
    });
    new TerraformOutput(this, 'state_bucket', { value: this.stateBucket.bucketName });
    new TerraformOutput(this, 'state_log_bucket', { value: this.logBucket.bucketName });
  }
}
