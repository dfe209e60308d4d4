import type { EnvCodec } from './env-contract';
/**
 * What one upload may cost: the config schema, the Ingest construct and the submit function all
 * read these. Above a limit the upload is recorded FAILED with the reason and no job is created.
 */

/** The reasons an upload is refused by a limit (the `error.name` of its FAILED record and notification). */
export const LIMIT_FAILURE_REASONS = ['SOURCE_TOO_LARGE', 'SOURCE_TOO_LONG', 'COST_OVER_LIMIT'] as const;
export type LimitFailureReason = (typeof LIMIT_FAILURE_REASONS)[number];

export interface UploadLimits {
  /** Largest source accepted, in bytes (checked on the S3 event's size, before any Probe). */
  readonly maxSourceBytes: number;
  /**
   * Longest source accepted, in minutes (Probe's duration). A source Probe cannot read is
   * transcoded only up to this length (the job clips its input there).
   */
  readonly maxSourceMinutes: number;
  /** Highest estimated MediaConvert cost of one job, in USD (the plan's estimate at the configured prices). */
  readonly maxEstimatedCostUsd: number;
}

/** 20 GiB, 4 hours, 25 USD: a feature film passes, a forgotten 10-hour screen recording does not. */
export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  maxSourceBytes: 20 * 1024 ** 3,
  maxSourceMinutes: 240,
  maxEstimatedCostUsd: 25,
};

/** Accepted ranges: S3 objects reach 5 TB; MediaConvert inputs are far below a day. */
export const UPLOAD_LIMIT_RANGES = {
  maxSourceBytes: { min: 1, max: 5 * 1024 ** 4 },
  maxSourceMinutes: { min: 0.01, max: 1440 },
  maxEstimatedCostUsd: { min: 0.0001, max: 100_000 },
} as const;

/** A reason the limits are malformed, or undefined. */
export function uploadLimitsProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not an object';
  for (const [name, range] of Object.entries(UPLOAD_LIMIT_RANGES)) {
    const limit = (value as Record<string, unknown>)[name];
    if (typeof limit !== 'number' || !Number.isFinite(limit) || limit < range.min || limit > range.max) {
      return `${name} is ${JSON.stringify(limit)}; expected a number from ${range.min} to ${range.max}`;
    }
  }
  return undefined;
}

/** Compact JSON, so a limit change is one readable line in `terraform plan`. */
export const uploadLimitsCodec: EnvCodec<UploadLimits> = {
  encode: (limits) =>
    JSON.stringify({
      maxSourceBytes: limits.maxSourceBytes,
      maxSourceMinutes: limits.maxSourceMinutes,
      maxEstimatedCostUsd: limits.maxEstimatedCostUsd,
    }),
  decode: (raw) => {
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw new Error(`"${raw.slice(0, 100)}" is not JSON`);
    }
    const problem = uploadLimitsProblem(value);
    if (problem !== undefined) throw new Error(problem);
    return value as UploadLimits;
  },
};
