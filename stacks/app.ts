import { App } from 'cdktf';
import { PipelineConfig, pipelineId } from './config';
import { StateBackendStack } from './state-backend-stack';
import { VideoPipelineStack } from './video-pipeline-stack';

/**
 * Adds one pipeline stack per environment, plus one bootstrap stack per distinct
 * S3 state bucket those environments use.
 */
export function buildApp(app: App, environments: readonly PipelineConfig[]): void {
  const stateBuckets = new Map<string, { region: string }>();
  for (const config of environments) {
    if (config.backend.type === 's3') {
      stateBuckets.set(config.backend.bucket, { region: config.backend.region });
    }
  }
  for (const [bucketName, { region }] of stateBuckets) {
    const id = stateBuckets.size === 1 ? 'state' : `state-${bucketName}`;
    new StateBackendStack(app, id, { bucketName, region, tags: { Project: 'video-pipeline' } });
  }
  for (const config of environments) {
    new VideoPipelineStack(app, pipelineId(config), { config });
  }
}
