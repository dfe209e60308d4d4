import { requiredEnv } from './guards';
import { JobContext } from './job-settings';
import { parseLadder } from './ladder';

/** What the submit function reads from its environment, validated once at cold start. */
export interface SubmitConfig {
  readonly job: JobContext;
  readonly table: string;
  readonly claimTtlSeconds: number;
}

/**
 * Reads and validates the submit function's environment (set by the Ingest construct).
 * @throws MissingEnvironmentError or InvalidLadderError naming the variable or field.
 */
export function readSubmitConfig(env: Record<string, string | undefined>): SubmitConfig {
  const accelerationMode = env.ACCELERATION_MODE ?? 'PREFERRED';
  if (!['DISABLED', 'ENABLED', 'PREFERRED'].includes(accelerationMode)) {
    throw new Error(`ACCELERATION_MODE is "${accelerationMode}"; use DISABLED, ENABLED or PREFERRED.`);
  }
  return {
    job: {
      pipeline: requiredEnv(env, 'PIPELINE_ID'),
      queueArn: requiredEnv(env, 'MEDIACONVERT_QUEUE_ARN'),
      roleArn: requiredEnv(env, 'MEDIACONVERT_ROLE_ARN'),
      outputBucket: requiredEnv(env, 'OUTPUT_BUCKET'),
      ladder: parseLadder(env.ENCODING_LADDER),
      statusUpdateInterval: env.STATUS_UPDATE_INTERVAL ?? 'SECONDS_60',
      accelerationMode: accelerationMode as JobContext['accelerationMode'],
    },
    table: requiredEnv(env, 'JOBS_TABLE'),
    claimTtlSeconds: Number(env.CLAIM_TTL_SECONDS ?? '900'),
  };
}

/** CreateJob errors that a retry cannot fix: they are recorded as FAILED, not retried. */
const PERMANENT_ERRORS = new Set([
  'BadRequestException',
  'ForbiddenException',
  'NotFoundException',
  'AccessDeniedException',
  'ConflictException',
]);

/** True for a rejected request (4xx other than throttling); false for throttling, 5xx and network errors. */
export function isPermanentError(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  if (e?.name && PERMANENT_ERRORS.has(e.name)) return true;
  const status = e?.$metadata?.httpStatusCode;
  return status !== undefined && status >= 400 && status < 500 && status !== 429;
}
