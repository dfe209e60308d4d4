/** A structured log line: a message plus an object of fields. */
export type LogFields = Record<string, unknown>;
type Level = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  return { name: error.name, message: error.message, ...(error.cause !== undefined ? { cause: serializeError(error.cause) } : {}) };
}

/**
 * A minimal JSON logger (one line per entry, as CloudWatch Logs Insights likes it).
 * Correlation keys added with {@link Logger.appendKeys} go on every later line.
 */
export class Logger {
  private keys: LogFields = {};

  constructor(
    private readonly service: string,
    private readonly sink: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {}

  /** Adds keys (request id, asset id…) to every following line. */
  appendKeys(keys: LogFields): void {
    this.keys = { ...this.keys, ...keys };
  }

  /** Drops correlation keys, e.g. at the start of each invocation. */
  resetKeys(): void {
    this.keys = {};
  }

  info(message: string, fields: LogFields = {}): void {
    this.write('INFO', message, fields);
  }

  warn(message: string, fields: LogFields = {}): void {
    this.write('WARN', message, fields);
  }

  error(message: string, fields: LogFields = {}): void {
    this.write('ERROR', message, fields);
  }

  private write(level: Level, message: string, fields: LogFields): void {
    const entry: LogFields = { level, message, service: this.service, timestamp: new Date().toISOString(), ...this.keys };
    for (const [key, value] of Object.entries(fields)) entry[key] = key === 'error' ? serializeError(value) : value;
    this.sink(JSON.stringify(entry));
  }
}
