import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { PipelineConfig } from './config';
import { configureAwsProvider, configureBackend } from './lib/terraform-settings';
import { SecureBucket } from './constructs/secure-bucket';

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

  constructor(scope: Construct, id: string, props: StateBackendStackProps) {
    super(scope, id);
    const noncurrentVersionExpirationDays = props.noncurrentVersionExpirationDays ?? 90;
    const keyPrefix = props.keyPrefix ?? 'bootstrap';

    configureAwsProvider(this, { region: props.region, tags: props.tags ?? {}, emulator: props.emulator });
    configureBackend(this, { type: 's3', bucket: props.bucketName, region: props.region, keyPrefix }, id);

    this.stateBucket = new SecureBucket(this, 'StateBucket', {
      bucketName: props.bucketName,
      versioned: true,
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
  }
}
