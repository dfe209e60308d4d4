import { ConfigError, PipelineConfig, PipelineConfigInput, PipelineConfigSchema, pipelineId } from './config';
import { formatZodIssues } from '../contracts/errors';

/** Environment variables that override parts of the declared environments. */
export interface EnvironmentOverrides {
  /** Comma-separated environment names (`dev`) or stack names (`vod-dev`) to synthesize. @default all */
  readonly PIPELINE_ENVIRONMENTS?: string;
  /** State bucket of every S3 backend (bucket names are global). */
  readonly TF_STATE_BUCKET?: string;
  /** Region of the state bucket. */
  readonly TF_STATE_REGION?: string;
  /** Key prefix of every state file. */
  readonly TF_STATE_KEY_PREFIX?: string;
  /** `archive` or `zip`: Lambda packaging for every environment. */
  readonly LAMBDA_PACKAGING?: string;
  /** Emulator endpoint of an environment that declares `emulator`. */
  readonly LOCAL_AWS_ENDPOINT?: string;
  /** MediaConvert stand-in endpoint of an environment that declares `emulator`. */
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

/** The names in PIPELINE_ENVIRONMENTS resolved to declared environment names, each once. */
function selectEnvironments(
  selection: string | undefined,
  environments: Readonly<Record<string, PipelineConfigInput>>,
  stackNames: ReadonlyMap<string, string>,
): string[] {
  const declared = Object.keys(environments);
  if (selection === undefined || selection.trim() === '') return declared;
  const problems: string[] = [];
  const chosen: string[] = [];
  for (const name of selection
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '')) {
    const environment = environments[name] !== undefined ? name : stackNames.get(name);
    if (environment === undefined) {
      problems.push(`  - "${name}" is neither an environment (${declared.join(', ')}) nor a stack (${[...stackNames.keys()].join(', ')})`);
    } else if (chosen.includes(environment)) {
      problems.push(`  - "${name}" selects environment "${environment}" a second time; name each environment once`);
    } else {
      chosen.push(environment);
    }
  }
  if (problems.length > 0) throw new ConfigError(`PIPELINE_ENVIRONMENTS="${selection}" is invalid:\n${problems.join('\n')}`);
  return chosen;
}

/**
 * Validates the declared environments, with overrides from `env` applied, and returns those
 * PIPELINE_ENVIRONMENTS selects (environment or stack names; all when unset). Every invalid
 * field of every environment is reported in one error, so one run shows everything to fix.
 * @throws ConfigError listing each environment's invalid fields as `path: message`.
 */
export function loadEnvironments(env: EnvironmentOverrides, environments: Readonly<Record<string, PipelineConfigInput>>): PipelineConfig[] {
  const parsed = new Map<string, PipelineConfig>();
  const failures: string[] = [];
  for (const [name, input] of Object.entries(environments)) {
    const result = PipelineConfigSchema.safeParse(withOverrides(input, env));
    if (result.success) parsed.set(name, result.data);
    else failures.push(`environment "${name}":\n${formatZodIssues(result.error)}`);
  }
  if (failures.length > 0) {
    throw new ConfigError(
      `Invalid pipeline config:\n${failures.join('\n')}\nFix these fields where the environments are declared, or the environment variables that override them (docs/configuration.md).`,
    );
  }
  const stackNames = new Map([...parsed].map(([name, config]) => [pipelineId(config), name]));
  return selectEnvironments(env.PIPELINE_ENVIRONMENTS, environments, stackNames).map((name) => parsed.get(name)!);
}
