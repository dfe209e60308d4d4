import { PipelineConfig, PipelineConfigInput } from './config';
import { EnvironmentOverrides, loadEnvironments } from './environment-loader';

/**
 * Placeholder state bucket, so `npm run synth` needs no variables. Bucket names are global and
 * anyone could own this one: bootstrap, deploy, diff, destroy and plan:ci refuse it, and ask for
 * TF_STATE_BUCKET (scripts/lib/state-bucket.ts).
 */
export const DEFAULT_STATE_BUCKET = 'placeholder-set-tf-state-bucket';

const s3Backend = { type: 's3', bucket: DEFAULT_STATE_BUCKET, region: 'us-east-1', keyPrefix: 'vod-pipeline' } as const;

/**
 * The embedded environments. `npm run synth` needs nothing else: no AWS account,
 * no variables. Values not given here take the secure defaults of stacks/config.ts.
 */
export const ENVIRONMENTS: Readonly<Record<string, PipelineConfigInput>> = {
  dev: {
    environment: 'dev',
    tags: { Project: 'video-pipeline', Environment: 'dev' },
    backend: s3Backend,
    forceDestroy: true,
    logRetentionDays: 14,
    lambda: { reservedConcurrency: 5 },
  },
  prod: {
    environment: 'prod',
    production: true,
    tags: { Project: 'video-pipeline', Environment: 'prod' },
    backend: s3Backend,
    logRetentionDays: 365,
    delivery: { priceClass: 'PriceClass_200' },
    lambda: { reservedConcurrency: 20 },
  },
  /** Applies to the local AWS emulator (moto); see scripts/local.ts. */
  local: {
    environment: 'local',
    tags: { Project: 'video-pipeline', Environment: 'local' },
    backend: { type: 'local' },
    forceDestroy: true,
    logRetentionDays: 1,
    delivery: { waitForDeployment: false, responseHeadersPolicy: false },
    lambda: { packaging: 'zip' },
    // Rekognition is not emulated (see __tests__/support/emulator-gaps.ts).
    contentAnalysis: { enabled: false },
    emulator: { endpoint: 'http://127.0.0.1:5000' },
  },
};

/**
 * This repository's environments with overrides from `env` applied (see {@link loadEnvironments}).
 * @throws ConfigError listing every invalid field of every environment.
 */
export function loadEmbeddedEnvironments(env: EnvironmentOverrides = process.env): PipelineConfig[] {
  return loadEnvironments(env, ENVIRONMENTS);
}
