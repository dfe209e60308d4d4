import { InvalidEnvironmentError, MissingEnvironmentError } from './errors';

/** How one setting travels as an environment variable: encoded by the stack, decoded by the handler. */
export interface EnvCodec<T> {
  /** Turns the setting into the variable's value (may hold Terraform tokens at synth). */
  encode(value: T): string;
  /**
   * Validates and parses the variable's value at cold start.
   * @throws Error with a message that says what is wrong (the caller adds the variable name).
   */
  decode(raw: string): T;
}

/** One variable of a contract: its name and codec. */
export interface EnvVariable<T> {
  readonly name: string;
  readonly codec: EnvCodec<T>;
}

/** A function's environment contract: setting name → variable. */
export type EnvSpec<S> = { readonly [K in keyof S]-?: EnvVariable<S[K]> };

/** The two sides of a contract: what the construct writes, and what the handler reads. */
export interface EnvContract<S> {
  /** The variables, for tests and documentation. */
  readonly variables: EnvSpec<S>;
  /** Called by the construct: every setting as a variable. */
  toEnvironment(settings: S): Record<string, string>;
  /**
   * Called by the handler at cold start, with no fallbacks: a missing or invalid variable throws.
   * @throws MissingEnvironmentError or InvalidEnvironmentError naming the variable.
   */
  fromEnvironment(env: Readonly<Record<string, string | undefined>>): S;
}

/** Builds a contract from its variables; both directions iterate the same spec. */
export function defineEnvContract<S>(variables: EnvSpec<S>): EnvContract<S> {
  const entries = Object.entries(variables) as [keyof S & string, EnvVariable<unknown>][];
  return {
    variables,
    toEnvironment(settings) {
      return Object.fromEntries(entries.map(([key, variable]) => [variable.name, variable.codec.encode(settings[key])]));
    },
    fromEnvironment(env) {
      const settings: Partial<Record<keyof S, unknown>> = {};
      for (const [key, variable] of entries) {
        const raw = env[variable.name];
        if (raw === undefined || raw === '') throw new MissingEnvironmentError(variable.name);
        try {
          settings[key] = variable.codec.decode(raw);
        } catch (cause) {
          throw new InvalidEnvironmentError(variable.name, (cause as Error).message, { cause });
        }
      }
      return settings as S;
    },
  };
}

/** A non-empty string, passed through. */
export const stringCodec: EnvCodec<string> = {
  encode: (value) => value,
  decode: (raw) => raw,
};

/** An integer within [min, max], as decimal text. */
export function integerCodec(min: number, max: number): EnvCodec<number> {
  return {
    encode: (value) => String(value),
    decode: (raw) => {
      const value = Number(raw);
      if (!/^-?\d+$/.test(raw) || value < min || value > max) throw new Error(`"${raw}" is not an integer from ${min} to ${max}`);
      return value;
    },
  };
}

/** One of a fixed tuple of values. */
export function enumCodec<const T extends string>(values: readonly T[]): EnvCodec<T> {
  return {
    encode: (value) => value,
    decode: (raw) => {
      if (!(values as readonly string[]).includes(raw)) throw new Error(`"${raw}" is not one of ${values.join(', ')}`);
      return raw as T;
    },
  };
}
