import { Token } from 'cdktf';
import { IConstruct } from 'constructs';

/** A construct was given props it cannot build: thrown at synth, naming the construct path, the prop and the fix. */
export class InvalidPropsError extends Error {
  constructor(scope: IConstruct, message: string) {
    super(`${scope.node.path}: ${message}`);
    this.name = 'InvalidPropsError';
  }
}

/** Values known only at apply (Terraform references) cannot be checked at synth. */
function isKnown(value: unknown): boolean {
  return !Token.isUnresolved(value);
}

/** A numeric limit of a prop, inclusive. */
type Limit = { readonly min: number; readonly max: number };

function checkRange(scope: IConstruct, prop: string, value: number, limit: Limit, why: string, kind: 'integer' | 'number'): void {
  if (!isKnown(value)) return;
  const fits = kind === 'integer' ? Number.isInteger(value) : Number.isFinite(value);
  if (!fits || value < limit.min || value > limit.max) {
    throw new InvalidPropsError(
      scope,
      `'${prop}' is ${value}; ${why}. Use ${kind === 'integer' ? 'an integer' : 'a number'} from ${limit.min} to ${limit.max}.`,
    );
  }
}

/**
 * Throws unless `value` is an integer within the limit.
 * @param why what the limit means, e.g. "Lambda retries an async event at most twice".
 */
export function checkIntegerProp(scope: IConstruct, prop: string, value: number, limit: Limit, why: string): void {
  checkRange(scope, prop, value, limit, why, 'integer');
}

/** Throws unless `value` is a finite number within the limit (fractions allowed). */
export function checkNumberProp(scope: IConstruct, prop: string, value: number, limit: Limit, why: string): void {
  checkRange(scope, prop, value, limit, why, 'number');
}

/** Throws unless `value` is one of `allowed`. */
export function checkOneOfProp<T extends string | number>(
  scope: IConstruct,
  prop: string,
  value: T,
  allowed: readonly T[],
  why: string,
): void {
  if (!isKnown(value)) return;
  if (!allowed.includes(value)) {
    throw new InvalidPropsError(scope, `'${prop}' is ${JSON.stringify(value)}; ${why}. Use one of ${allowed.join(', ')}.`);
  }
}

/** Throws unless `value` matches `pattern` (skipped for Terraform references). */
export function checkPatternProp(scope: IConstruct, prop: string, value: string, pattern: RegExp, why: string): void {
  if (!isKnown(value)) return;
  if (!pattern.test(value)) throw new InvalidPropsError(scope, `'${prop}' is ${JSON.stringify(value)}; ${why}.`);
}
