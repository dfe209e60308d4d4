/**
 * Lambda's asynchronous invocation, simulated around a bundled handler: each execution
 * environment is a worker thread that loads the bundle once (a cold start) and runs one event at
 * a time; an invocation past the function timeout is killed with its worker, whose in-flight
 * requests may still land, as in Lambda. A failed event is retried after one and then two
 * minutes of simulated time, up to the function's `retryAttempts`, keeping its request id as
 * Lambda does; then it goes to the dead-letter list with the last error.
 */
import { Worker } from 'node:worker_threads';
import { LAMBDA_ASYNC_RETRY_DELAYS_SECONDS } from '../../../contracts/time-budget';
import type { SimulatedClock } from './clock';

/** Lambda waits about one minute before the first retry and two before the second. */
export const LAMBDA_RETRY_DELAYS_MS: readonly number[] = LAMBDA_ASYNC_RETRY_DELAYS_SECONDS.map((seconds) => seconds * 1000);

/**
 * When the harness kills a run of a function with this timeout, unless a test sets `killAfterMs`:
 * the longest a run really lasts here, so also the shortest claim TTL that is safe here.
 */
export function harnessKillAfterMs(timeoutMs: number): number {
  return Math.max(10 * timeoutMs, 30_000);
}

export interface AsyncLambdaOptions {
  /** The bundled handler (`index.js` exporting `handler`). */
  readonly entry: string;
  /** The function's environment, read by the handler at its cold start. */
  readonly env: Record<string, string>;
  readonly clock: SimulatedClock;
  /** The function timeout, in real milliseconds (simulated time runs at real speed during work). */
  readonly timeoutMs: number;
  /**
   * When the harness kills a run, in real milliseconds. Lambda kills at the function timeout, but a
   * busy test machine runs the same work many times slower than Lambda: a kill at `timeoutMs` would
   * make a test's outcome depend on the machine's load. Tests about the kill itself set it.
   * @default harnessKillAfterMs(timeoutMs)
   */
  readonly killAfterMs?: number;
  /**
   * What `context.getRemainingTimeInMillis()` counts down from, when it should differ from the
   * real timeout: a larger value makes the handler plan for time it does not have, so Lambda kills it.
   * @default timeoutMs
   */
  readonly reportedTimeoutMs?: number;
  /** Async retries after the first attempt, 0..2, as `maximum_retry_attempts`. */
  readonly retryAttempts: number;
  /** @default LAMBDA_RETRY_DELAYS_MS */
  readonly retryDelaysMs?: readonly number[];
  /** Events older than this are dead-lettered instead of retried. @default 6 hours */
  readonly maximumEventAgeMs?: number;
  /** Execution environments running at once (reserved concurrency). @default 1 */
  readonly concurrency?: number;
}

/** One run of the handler. */
export interface InvocationRecord {
  readonly requestId: string;
  /** 0 for the first attempt, 1 and 2 for Lambda's retries. */
  readonly attempt: number;
  /** Simulated start time. */
  readonly startedAt: number;
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: { readonly name: string; readonly message: string };
  readonly timedOut: boolean;
}

/** What Lambda sends to the function's dead-letter queue: the event and why it failed. */
export interface DeadLetter {
  readonly requestId: string;
  readonly event: unknown;
  readonly error: { readonly name: string; readonly message: string };
  readonly attempts: number;
}

interface QueuedEvent {
  readonly requestId: string;
  readonly event: unknown;
  readonly attempt: number;
  readonly dueAt: number;
  readonly enqueuedAt: number;
  readonly order: number;
}

type WorkerReply = { ok: true; result: unknown } | { ok: false; error: { name: string; message: string } };

// Runs inside each worker: simulated Date (real time plus the offset sent with each event), then the bundle.
const RUNTIME = `
const { parentPort, workerData } = require('node:worker_threads');
const RealDate = Date;
let offset = 0;
class SimulatedDate extends RealDate {
  constructor(...args) { if (args.length === 0) super(RealDate.now() + offset); else super(...args); }
  static now() { return RealDate.now() + offset; }
}
globalThis.Date = SimulatedDate;
// The init phase: loaded before the first event, outside its timeout, as Lambda does.
let loaded;
let initError;
try { loaded = require(workerData.entry); } catch (error) { initError = error; }
parentPort.on('message', async (message) => {
  offset = message.offset;
  const deadline = RealDate.now() + message.reportedTimeoutMs;
  const context = { awsRequestId: message.requestId, getRemainingTimeInMillis: () => Math.max(0, deadline - RealDate.now()) };
  try {
    if (initError) throw initError;
    const result = await loaded.handler(message.event, context);
    parentPort.postMessage({ ok: true, result: result === undefined ? null : JSON.parse(JSON.stringify(result)) });
  } catch (error) {
    parentPort.postMessage({ ok: false, error: { name: String(error && error.name), message: String(error && error.message) } });
  }
});`;

/** One execution environment: a worker running one invocation at a time. */
class ExecutionEnvironment {
  private readonly worker: Worker;
  private pending?: (reply: WorkerReply) => void;
  /** Parsed JSON log lines the handler wrote. */
  readonly logs: Record<string, unknown>[];

  constructor(entry: string, env: Record<string, string>, logs: Record<string, unknown>[]) {
    this.logs = logs;
    this.worker = new Worker(RUNTIME, { eval: true, workerData: { entry }, env, stdout: true, stderr: true });
    let partial = '';
    this.worker.stdout.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        try {
          this.logs.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          this.logs.push({ raw: line });
        }
      }
    });
    this.worker.stderr.resume();
    this.worker.on('message', (reply: WorkerReply) => this.pending?.(reply));
    this.worker.on('error', (error) => this.pending?.({ ok: false, error: { name: error.name, message: error.message } }));
  }

  /** Runs one event; resolves `timedOut` (and kills the worker) when it outlives the timeout. */
  run(message: {
    event: unknown;
    requestId: string;
    offset: number;
    timeoutMs: number;
    reportedTimeoutMs: number;
  }): Promise<WorkerReply | 'timed-out'> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        void this.worker.terminate();
        resolve('timed-out');
      }, message.timeoutMs);
      this.pending = (reply) => {
        clearTimeout(timer);
        this.pending = undefined;
        resolve(reply);
      };
      this.worker.postMessage(message);
    });
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}

/** A function invoked asynchronously (by S3 or EventBridge), with Lambda's retries and a dead-letter queue. */
export class AsyncLambda {
  /** Every handler run, in completion order. */
  readonly invocations: InvocationRecord[] = [];
  /** Events that failed every attempt. */
  readonly deadLetters: DeadLetter[] = [];
  /** Every JSON log line of every execution environment. */
  readonly logs: Record<string, unknown>[] = [];
  private readonly queue: QueuedEvent[] = [];
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly all = new Set<ExecutionEnvironment>();
  private running = 0;
  private counter = 0;

  constructor(private readonly options: AsyncLambdaOptions) {}

  /**
   * Queues an event, as an async Invoke does.
   * @param at simulated time of the delivery. @default - now
   * @param requestId @default - a new one per event
   * @returns the event's request id
   */
  send(event: unknown, options: { at?: number; requestId?: string } = {}): string {
    this.counter += 1;
    const requestId = options.requestId ?? `req-${this.counter.toString().padStart(6, '0')}`;
    const now = this.options.clock.now();
    const dueAt = options.at ?? now;
    this.queue.push({ requestId, event, attempt: 0, dueAt, enqueuedAt: dueAt, order: this.counter });
    return requestId;
  }

  /**
   * Runs queued events until none is left, `concurrency` at a time, retrying failures after
   * Lambda's delays. Simulated time jumps to the next due event whenever nothing runs.
   */
  async drain(): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    const concurrency = this.options.concurrency ?? 1;
    for (;;) {
      this.queue.sort((a, b) => a.dueAt - b.dueAt || a.order - b.order);
      while (this.running < concurrency && this.queue[0] !== undefined && this.queue[0].dueAt <= this.options.clock.now()) {
        const next = this.queue.shift() as QueuedEvent;
        const run = this.invoke(next).finally(() => inFlight.delete(run));
        inFlight.add(run);
      }
      if (inFlight.size > 0) {
        await Promise.race(inFlight);
        continue;
      }
      const upcoming = this.queue[0];
      if (upcoming === undefined) return;
      this.options.clock.advanceTo(upcoming.dueAt);
    }
  }

  /** Terminates every execution environment. */
  async close(): Promise<void> {
    await Promise.all([...this.all].map((environment) => environment.close()));
    this.all.clear();
    this.idle.length = 0;
  }

  private environment(): ExecutionEnvironment {
    const reused = this.idle.pop();
    if (reused) return reused;
    const created = new ExecutionEnvironment(this.options.entry, this.options.env, this.logs);
    this.all.add(created);
    return created;
  }

  private get killAfterMs(): number {
    return this.options.killAfterMs ?? harnessKillAfterMs(this.options.timeoutMs);
  }

  private async invoke(queued: QueuedEvent): Promise<void> {
    this.running += 1;
    const environment = this.environment();
    const startedAt = this.options.clock.now();
    const reply = await environment.run({
      event: queued.event,
      requestId: queued.requestId,
      offset: this.options.clock.offsetMs,
      timeoutMs: this.killAfterMs,
      reportedTimeoutMs: this.options.reportedTimeoutMs ?? this.options.timeoutMs,
    });
    this.running -= 1;
    const timedOut = reply === 'timed-out';
    if (timedOut) this.all.delete(environment);
    else this.idle.push(environment);
    const error = timedOut
      ? { name: 'Sandbox.Timedout', message: `Task timed out after ${(this.killAfterMs / 1000).toFixed(2)} seconds` }
      : reply.ok
        ? undefined
        : reply.error;
    this.invocations.push({
      requestId: queued.requestId,
      attempt: queued.attempt,
      startedAt,
      ok: error === undefined,
      ...(!timedOut && reply.ok ? { result: reply.result } : {}),
      ...(error !== undefined ? { error } : {}),
      timedOut,
    });
    if (error === undefined) return;
    const delays = this.options.retryDelaysMs ?? LAMBDA_RETRY_DELAYS_MS;
    const retryAt = this.options.clock.now() + (delays[queued.attempt] ?? delays[delays.length - 1] ?? 0);
    const tooOld = retryAt - queued.enqueuedAt > (this.options.maximumEventAgeMs ?? 6 * 3_600_000);
    if (queued.attempt < this.options.retryAttempts && !tooOld) {
      this.counter += 1;
      this.queue.push({ ...queued, attempt: queued.attempt + 1, dueAt: retryAt, order: this.counter });
    } else {
      this.deadLetters.push({ requestId: queued.requestId, event: queued.event, error, attempts: queued.attempt + 1 });
    }
  }
}
