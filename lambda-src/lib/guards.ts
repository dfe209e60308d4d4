import { MissingEnvironmentError } from './errors';

/** `value` as a plain object (not null, not an array), or undefined: for parsing untyped events. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * A required environment variable of a handler.
 * @throws MissingEnvironmentError naming the variable when it is unset or empty.
 */
export function requiredEnv(env: Record<string, string | undefined>, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') throw new MissingEnvironmentError(name);
  return value;
}
