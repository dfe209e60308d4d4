import { App } from 'cdktf';
import { PipelineConfig } from './config';
import { StateBackendStack } from './state-backend-stack';
import { VideoPipelineStack } from './video-pipeline-stack';

/** Stack name of one environment, also its state key. */
export function pipelineStackName(config: PipelineConfig): string {
  return `${config.namePrefix}-${config.environment}`;
}

/**
 * Adds one pipeline stack per environment, plus one bootstrap stack per distinct
 * S3 state bucket those environments use.
 */
export function buildApp(app: App, environments: readonly PipelineConfig[]): void {
  const stateBuckets = new Map<string, { region: string; keyPrefix: string }>();
  for (const config of environments) {
    if (config.backend.type === 's3' && !stateBuckets.has(config.backend.bucket)) {
      stateBuckets.set(config.backend.bucket, { region: config.backend.region, keyPrefix: config.backend.keyPrefix });
    }
  }
  // Each bootstrap stack keeps its own state in the bucket it creates (see StateBackendStack).
  for (const [bucketName, { region, keyPrefix }] of stateBuckets) {
    const id = stateBuckets.size === 1 ? 'state' : `state-${bucketName}`;
    new StateBackendStack(app, id, { bucketName, region, keyPrefix, tags: { Project: 'video-pipeline' } });
  }
  for (const config of environments) {
    new VideoPipelineStack(app, pipelineStackName(config), { config });
  }
}
