/**
 * Formats every zod issue as `field.path: message`, one per line, so that an
 * error names each offending field instead of dumping the issues as JSON.
 */
export function formatZodIssues(error: {
  readonly issues: ReadonlyArray<{ readonly path: readonly PropertyKey[]; readonly message: string }>;
}): string {
  return error.issues
    .map((issue) => `  - ${issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)'}: ${issue.message}`)
    .join('\n');
}

/** The encoding ladder handed to the submit function is invalid (checked at cold start). */
export class InvalidLadderError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidLadderError';
  }
}

/** An S3 notification payload that is not shaped like an S3 event at all. */
export class InvalidS3EventError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidS3EventError';
  }
}

/** A MediaConvert job state change that cannot be used (wrong shape, unknown status). */
export class InvalidJobEventError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidJobEventError';
  }
}

/** A message on the analysis topic that is not a Rekognition completion of one of our jobs. */
export class InvalidAnalysisNotificationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidAnalysisNotificationError';
  }
}

/** Rekognition announced a finished analysis whose results it does not serve yet: retried. */
export class AnalysisNotReadyError extends Error {
  constructor(rekognitionJobId: string, announced: string, served: string | undefined) {
    super(
      `Rekognition announced label detection ${rekognitionJobId} as ${announced}, but GetLabelDetection says ${served ?? 'nothing'}; the message is retried.`,
    );
    this.name = 'AnalysisNotReadyError';
  }
}

/** A required environment variable of a handler is missing. */
export class MissingEnvironmentError extends Error {
  constructor(name: string) {
    super(`Environment variable ${name} is not set. It is set by the stack (stacks/constructs); redeploy or set it for local runs.`);
    this.name = 'MissingEnvironmentError';
  }
}

/** An environment variable of a handler is set but invalid (checked at cold start). */
export class InvalidEnvironmentError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Environment variable ${variable} is invalid: ${problem}. It is set by the stack (stacks/constructs); fix the config and redeploy.`,
      options,
    );
    this.name = 'InvalidEnvironmentError';
  }
}

/** A notification that SNS would refuse on every retry, even with its thumbnail list cut. */
export class NotificationTooLargeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NotificationTooLargeError';
  }
}

/** Other invocations kept moving an upload's record while this one tried to claim it. */
export class ClaimContentionError extends Error {
  constructor(assetId: string, rounds: number) {
    super(
      `The record of asset ${assetId} changed under ${rounds} claim attempts in a row; the event is retried. If it persists, look at the record in the jobs table.`,
    );
    this.name = 'ClaimContentionError';
  }
}

/** A jobs-table record is in a state no transition leaves it in for this writer. */
export class RecordConflictError extends Error {
  constructor(assetId: string, intended: string, found: string | undefined, options?: { cause?: unknown }) {
    super(
      `Could not record ${intended} for asset ${assetId}: the record is ${found ?? 'missing'}, which no transition of this claim explains. Inspect the record in the jobs table before redriving the event.`,
      options,
    );
    this.name = 'RecordConflictError';
  }
}

/** Some records of a batch failed with retryable errors; the others were handled. */
export class RecordsFailedError extends Error {
  constructor(readonly failures: ReadonlyArray<{ readonly key: string; readonly error: unknown }>) {
    super(`${failures.length} record(s) failed and will be retried: ${failures.map((f) => f.key).join(', ')}`, {
      cause: failures[0]?.error,
    });
    this.name = 'RecordsFailedError';
  }
}
