/** The lock Terraform reports when another run holds a stack's state. */
export interface StateLockInfo {
  readonly id: string;
  /** `<bucket>/<key>` of the state for the S3 backend. */
  readonly path: string;
  readonly who: string;
  readonly operation: string;
  readonly created: string;
}

/**
 * Reads the "Error acquiring the state lock" report from terraform's output, or
 * returns undefined when the output is about something else.
 */
export function parseStateLockError(output: string): StateLockInfo | undefined {
  if (!/Error acquiring the state lock/.test(output)) return undefined;
  const field = (name: string) => new RegExp(`^\\s*${name}:[ \\t]*(.*)$`, 'm').exec(output)?.[1]?.trim() ?? '';
  return { id: field('ID'), path: field('Path'), who: field('Who'), operation: field('Operation'), created: field('Created') };
}

/** The S3 object that holds the lock of a state, with `use_lockfile` (Terraform >= 1.10). */
export function s3LockfileOf(statePath: string): string {
  return `s3://${statePath}.tflock`;
}

/** Another run holds the stack's state lock; the message names the lockfile and what to do. */
export class StateLockedError extends Error {
  constructor(
    readonly stack: string,
    readonly lock: StateLockInfo,
    options?: { cause?: unknown },
  ) {
    super(
      `${stack}: the state is locked by another run: lockfile ${s3LockfileOf(lock.path)} (lock ID ${lock.id}, held by ${lock.who || 'unknown'} since ${lock.created || 'unknown'}). ` +
        `Wait for that run to finish and plan again; if it died, remove the lock with \`terraform force-unlock ${lock.id}\` in the stack's directory.`,
      options,
    );
    this.name = 'StateLockedError';
  }
}
