import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { PipelineConfig, pipelineId } from './config';
import { configureAwsProvider, configureBackend } from './terraform-settings';
import { accountIdOf } from './constructs/account';
import { Storage } from './constructs/storage';
import { Delivery } from './constructs/delivery';

export interface VideoPipelineStackProps {
  /** One environment's validated config (see stacks/config.ts). */
  readonly config: PipelineConfig;
}

/** One environment of the pipeline: provider and backend, then the constructs, then outputs. */
export class VideoPipelineStack extends TerraformStack {
  readonly storage: Storage;
  readonly delivery: Delivery;

  constructor(scope: Construct, id: string, props: VideoPipelineStackProps) {
    super(scope, id);
    const { config } = props;
    const name = pipelineId(config);

    configureAwsProvider(this, config);
    configureBackend(this, config.backend, id);

    this.storage = new Storage(this, 'Storage', {
      name,
      accountId: accountIdOf(this),
      region: config.region,
      forceDestroy: config.forceDestroy,
      ...config.storage,
    });
    this.delivery = new Delivery(this, 'Delivery', {
      name,
      originBucket: this.storage.outputBucket,
      logBucket: this.storage.logBucket,
      priceClass: config.delivery.priceClass,
      corsAllowedOrigins: config.delivery.corsAllowedOrigins,
      responseHeadersPolicy: config.delivery.responseHeadersPolicy,
      waitForDeployment: config.delivery.waitForDeployment,
    });

    new TerraformOutput(this, 'distribution_domain', { value: this.delivery.domainName });
    new TerraformOutput(this, 'source_bucket', { value: this.storage.sourceBucket.bucketName });
    new TerraformOutput(this, 'output_bucket', { value: this.storage.outputBucket.bucketName });
    new TerraformOutput(this, 'log_bucket', { value: this.storage.logBucket.bucketName });
  }
}
