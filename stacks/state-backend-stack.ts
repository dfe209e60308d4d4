import { Construct } from 'constructs';
import { LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { configureAwsProvider } from './lib/terraform-settings';
import { SecureBucket } from './constructs/secure-bucket';

export interface StateBackendStackProps {
  /** Name of the state bucket that the pipeline stacks' S3 backends use. */
  readonly bucketName: string;
  /** Region of the state bucket, e.g. `us-east-1`. */
  readonly region: string;
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
 * state. Its own state is local (it cannot live in the bucket it creates).
 */
export class StateBackendStack extends TerraformStack {
  readonly stateBucket: SecureBucket;

  constructor(scope: Construct, id: string, props: StateBackendStackProps) {
    super(scope, id);
    const noncurrentVersionExpirationDays = props.noncurrentVersionExpirationDays ?? 90;

    configureAwsProvider(this, { region: props.region, tags: props.tags ?? {}, emulator: undefined });
    new LocalBackend(this, { path: 'terraform.tfstate' });

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
