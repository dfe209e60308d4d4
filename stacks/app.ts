import { App } from 'cdktf';
import { ConfigError, PipelineConfig, PipelineConfigInput, pipelineId } from './config';
import { EnvironmentOverrides, loadEnvironments } from './environment-loader';
import { StateBackendStack } from './state-backend-stack';
import { VideoPipelineStack } from './video-pipeline-stack';

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
    new VideoPipelineStack(app, pipelineId(config), { config });
  }
}

/** Where {@link synthPipelineApp} reads overrides and writes output. */
export interface PipelineAppOptions {
  /** Overrides (PIPELINE_ENVIRONMENTS, TF_STATE_BUCKET…). @default process.env */
  readonly env?: EnvironmentOverrides;
  /** Synth output directory. @default - cdktf's (cdktf.out, or CDKTF_OUTDIR from the CLI) */
  readonly outdir?: string;
}

/**
 * All a `main.ts` needs: validates the declared environments (every invalid field of every one,
 * in one message), adds their stacks and synthesizes. A config error is printed once, without a
 * stack trace, and the process exits with 1.
 */
export function synthPipelineApp(environments: Readonly<Record<string, PipelineConfigInput>>, options: PipelineAppOptions = {}): App {
  let configs: PipelineConfig[];
  try {
    configs = loadEnvironments(options.env ?? process.env, environments);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const app = new App(options.outdir !== undefined ? { outdir: options.outdir } : {});
  buildApp(app, configs);
  app.synth();
  return app;
}
