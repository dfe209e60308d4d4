import type { LimitFailureReason, UploadLimits } from '../../contracts/upload-limits';

/** An upload above one of its limits: recorded FAILED (its `name` is the reason), never retried, no job. */
export class UploadLimitError extends Error {
  constructor(
    readonly reason: LimitFailureReason,
    message: string,
  ) {
    super(message);
    this.name = reason;
  }
}

const GIB = 1024 ** 3;
const round = (value: number, digits: number) => Number(value.toFixed(digits));

/** The size limit, checked on the S3 event before any Probe: undefined when the upload is within it. */
export function checkSourceSize(
  upload: { readonly key: string; readonly size: number },
  limits: UploadLimits,
): UploadLimitError | undefined {
  if (upload.size <= limits.maxSourceBytes) return undefined;
  return new UploadLimitError(
    'SOURCE_TOO_LARGE',
    `s3 object "${upload.key}" is ${upload.size} bytes (${round(upload.size / GIB, 2)} GiB); limits.maxSourceBytes is ${limits.maxSourceBytes}. Raise the limit in the environment's config to accept it.`,
  );
}

/**
 * The length and cost limits, checked on the plan: undefined when within them. A source of unknown
 * length (the fallback plan) is clipped at maxSourceMinutes, so its estimate is already bounded.
 */
export function checkPlannedSource(
  key: string,
  planned: { readonly durationSeconds?: number; readonly estimatedCostUsd?: number },
  limits: UploadLimits,
): UploadLimitError | undefined {
  const minutes = planned.durationSeconds === undefined ? undefined : planned.durationSeconds / 60;
  if (minutes !== undefined && minutes > limits.maxSourceMinutes) {
    return new UploadLimitError(
      'SOURCE_TOO_LONG',
      `s3 object "${key}" is ${round(minutes, 2)} minutes long; limits.maxSourceMinutes is ${limits.maxSourceMinutes}. Raise the limit in the environment's config to accept it.`,
    );
  }
  if (planned.estimatedCostUsd !== undefined && planned.estimatedCostUsd > limits.maxEstimatedCostUsd) {
    return new UploadLimitError(
      'COST_OVER_LIMIT',
      `the job for s3 object "${key}" is estimated at ${round(planned.estimatedCostUsd, 4)} USD; limits.maxEstimatedCostUsd is ${limits.maxEstimatedCostUsd}. Raise the limit, or shrink the ladder, to accept it.`,
    );
  }
  return undefined;
}

/** The EndTimecode (HH:MM:SS:FF, zero-based) that clips an input at `seconds`. */
export function clipTimecode(seconds: number): string {
  const whole = Math.floor(seconds);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(whole / 3600))}:${pad(Math.floor((whole % 3600) / 60))}:${pad(whole % 60)}:00`;
}
