import { MissingEnvironmentError } from './errors';

/** True for a plain object (not null, not an array): the shape of a parsed JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` as a plain object (not null, not an array), or undefined: for parsing untyped events. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return isRecord(value) ? value : undefined;
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
