import { ConfigError, PipelineConfig, PipelineConfigInput, parsePipelineConfig } from './config';

/** Default state bucket; override with TF_STATE_BUCKET (bucket names are global). */
export const DEFAULT_STATE_BUCKET = 'vod-pipeline-terraform-state';

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
    emulator: { endpoint: 'http://127.0.0.1:5000' },
  },
};

/** Environment variables that override parts of the embedded config. */
export interface EnvironmentOverrides {
  /** Comma-separated environments to synthesize. @default all of ENVIRONMENTS */
  readonly PIPELINE_ENVIRONMENTS?: string;
  readonly TF_STATE_BUCKET?: string;
  readonly TF_STATE_REGION?: string;
  readonly TF_STATE_KEY_PREFIX?: string;
  /** `archive` or `zip`: Lambda packaging for every environment. */
  readonly LAMBDA_PACKAGING?: string;
  /** Emulator endpoint for the `local` environment. */
  readonly LOCAL_AWS_ENDPOINT?: string;
  /** MediaConvert stand-in endpoint for the `local` environment. */
  readonly LOCAL_MEDIACONVERT_ENDPOINT?: string;
  readonly [name: string]: string | undefined;
}

function withOverrides(input: PipelineConfigInput, env: EnvironmentOverrides): Record<string, unknown> {
  const backend =
    input.backend.type === 's3'
      ? {
          ...input.backend,
          ...(env.TF_STATE_BUCKET ? { bucket: env.TF_STATE_BUCKET } : {}),
          ...(env.TF_STATE_REGION ? { region: env.TF_STATE_REGION } : {}),
          ...(env.TF_STATE_KEY_PREFIX ? { keyPrefix: env.TF_STATE_KEY_PREFIX } : {}),
        }
      : input.backend;
  const emulator =
    input.emulator === undefined
      ? undefined
      : {
          ...input.emulator,
          ...(env.LOCAL_AWS_ENDPOINT ? { endpoint: env.LOCAL_AWS_ENDPOINT } : {}),
          ...(env.LOCAL_MEDIACONVERT_ENDPOINT ? { mediaconvertEndpoint: env.LOCAL_MEDIACONVERT_ENDPOINT } : {}),
        };
  const lambda = env.LAMBDA_PACKAGING ? { ...input.lambda, packaging: env.LAMBDA_PACKAGING } : input.lambda;
  return { ...input, backend, lambda, ...(emulator ? { emulator } : {}) };
}

/**
 * Resolves the environments to synthesize, with overrides from `env` applied.
 * @throws ConfigError for an unknown environment name or an invalid field.
 */
export function loadEnvironments(
  env: EnvironmentOverrides = process.env,
  environments: Readonly<Record<string, PipelineConfigInput>> = ENVIRONMENTS,
): PipelineConfig[] {
  const names = env.PIPELINE_ENVIRONMENTS
    ? env.PIPELINE_ENVIRONMENTS.split(',')
        .map((n) => n.trim())
        .filter((n) => n !== '')
    : Object.keys(environments);
  return names.map((name) => {
    const input = environments[name];
    if (input === undefined) {
      throw new ConfigError(
        `PIPELINE_ENVIRONMENTS names unknown environment "${name}"; known: ${Object.keys(environments).join(', ')}. Add it to stacks/environments.ts or fix the variable.`,
      );
    }
    return parsePipelineConfig(withOverrides(input, env), `environment "${name}"`);
  });
}
