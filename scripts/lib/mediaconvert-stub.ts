/**
 * A local stand-in for the AWS Elemental MediaConvert REST-JSON API (moto has none).
 *
 * It answers the calls this project makes: the AWS provider's `aws_media_convert_queue`
 * (CreateQueue, GetQueue, ListTagsForResource, DeleteQueue, plus TagResource/UntagResource),
 * and the Lambdas' CreateJob and GetJob through `@aws-sdk/client-mediaconvert`. Wire names
 * are the service's camelCase JSON members, errors carry `x-amzn-ErrorType` so SDK v3 and
 * aws-sdk-go-v2 raise the modelled exception, and SigV4 headers are accepted unchecked.
 *
 * Run directly to keep one up for `local:up`:
 * `npx tsx scripts/lib/mediaconvert-stub.ts --port 0` prints `{"url":"http://127.0.0.1:PORT"}`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isObject, validateCreateJob } from './mediaconvert-validation';

const API_PREFIX = '2017-08-29';
const DEFAULT_QUEUE_NAME = 'Default';
/** The real service returns the original job for a repeated token within about a minute. */
const DEFAULT_IDEMPOTENCY_WINDOW_MS = 60_000;

export interface MediaConvertStubOptions {
  /** Region used in queue and job ARNs. @default 'us-east-1' */
  readonly region?: string;
  /** Account used in ARNs; moto's STS answers with the same one. @default '123456789012' */
  readonly accountId?: string;
  /** Port on 127.0.0.1; 0 picks a free one. @default 0 */
  readonly port?: number;
  /**
   * How long a `clientRequestToken` returns its original job; later repeats create a new job,
   * as the real service does after about a minute.
   * @default 60000
   */
  readonly idempotencyWindowMs?: number;
  /** Where diagnostics (unknown routes, bad JSON) go. @default - a line on process.stderr */
  readonly log?: (line: string) => void;
}

/** An error the next CreateJob call answers with instead of creating a job. */
export interface MediaConvertFault {
  /** HTTP status, e.g. 429, 500 or 400. */
  readonly status: number;
  /** Modelled error code sent as `x-amzn-ErrorType`, e.g. `TooManyRequestsException`. */
  readonly code: string;
  /** @default - "Injected fault: <code>" */
  readonly message?: string;
}

/** A queue as MediaConvert's wire format spells it. */
export interface StubQueue {
  name: string;
  arn: string;
  description?: string;
  pricingPlan: string;
  status: string;
  type: 'SYSTEM' | 'CUSTOM';
  concurrentJobs?: number;
  createdAt: number;
  lastUpdated: number;
  submittedJobsCount: number;
  progressingJobsCount: number;
}

/** A job as MediaConvert's wire format spells it; `settings` is stored as sent. */
export interface StubJob {
  id: string;
  arn: string;
  status: string;
  createdAt: number;
  role: string;
  queue: string;
  priority: number;
  settings: Record<string, unknown>;
  userMetadata: Record<string, string>;
  accelerationSettings?: Record<string, unknown>;
  statusUpdateInterval?: string;
  clientRequestToken?: string;
  jobTemplate?: string;
  timing: { submitTime: number };
}

/** One request the stub received, for asserting on the provider's or a handler's calls. */
export interface StubRequest {
  readonly method: string;
  readonly path: string;
}

export interface MediaConvertStub {
  /** Base URL for `endpoint`, `AWS_ENDPOINT_URL_MEDIACONVERT` or the provider's `endpoints` block. */
  readonly url: string;
  readonly port: number;
  readonly region: string;
  readonly accountId: string;
  /** Parsed body of every POST /2017-08-29/jobs, in order, including rejected and repeated ones. */
  readonly createJobRequests: Record<string, unknown>[];
  /** Every request, in order (path decoded, without query). */
  readonly requests: StubRequest[];
  /** Created jobs by id. */
  readonly jobs: Map<string, StubJob>;
  /** Queues by name, including the account's `Default` system queue. */
  readonly queues: Map<string, StubQueue>;
  /** Tags by resource ARN. */
  readonly tags: Map<string, Record<string, string>>;
  /** How many jobs CreateJob has created (idempotent repeats and rejections excluded). */
  readonly createdJobCount: number;
  /** Answers the next CreateJob calls, one fault each, before any validation. */
  failNext(...faults: MediaConvertFault[]): void;
  /** Stops listening and closes every socket, keep-alive ones included. */
  close(): Promise<void>;
}

/** A request the service would reject; becomes an error response with `code`. */
class StubHttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
    this.name = 'StubHttpError';
  }
}

/** No route matches; answered with a NotFoundException and logged so the gap is obvious. */
class RouteNotFound extends Error {
  constructor() {
    super('no route');
    this.name = 'RouteNotFound';
  }
}

const badRequest = (message: string): StubHttpError => new StubHttpError(400, 'BadRequestException', message);
const notFound = (message: string): StubHttpError => new StubHttpError(404, 'NotFoundException', message);

type Json = Record<string, unknown>;

function epochSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

async function readJson(req: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw badRequest(`Request body is not valid JSON: ${(err as Error).message}`);
  }
  if (!isObject(parsed)) throw badRequest('Request body must be a JSON object');
  return parsed;
}

/**
 * Starts the stand-in on 127.0.0.1 with an account `Default` queue.
 * @returns a handle whose `url` is the endpoint and whose state tests can inspect.
 */
export async function startMediaConvertStub(options: MediaConvertStubOptions = {}): Promise<MediaConvertStub> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const idempotencyWindowMs = options.idempotencyWindowMs ?? DEFAULT_IDEMPOTENCY_WINDOW_MS;
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));

  const createJobRequests: Json[] = [];
  const requests: StubRequest[] = [];
  const jobs = new Map<string, StubJob>();
  const queues = new Map<string, StubQueue>();
  const tags = new Map<string, Record<string, string>>();
  const tokens = new Map<string, { jobId: string; at: number }>();
  const faults: MediaConvertFault[] = [];
  let jobCounter = 0;
  let requestCounter = 0;

  const queueArn = (name: string): string => `arn:aws:mediaconvert:${region}:${accountId}:queues/${name}`;
  const now = epochSeconds();
  queues.set(DEFAULT_QUEUE_NAME, {
    name: DEFAULT_QUEUE_NAME, arn: queueArn(DEFAULT_QUEUE_NAME), pricingPlan: 'ON_DEMAND', status: 'ACTIVE', type: 'SYSTEM',
    createdAt: now, lastUpdated: now, submittedJobsCount: 0, progressingJobsCount: 0,
  });

  const resolveQueue = (ref: string): StubQueue | undefined => [...queues.values()].find((q) => q.arn === ref || q.name === ref);
  const getQueue = (name: string): StubQueue => {
    const queue = queues.get(name);
    if (!queue) throw notFound(`The specified queue was not found: ${name}`);
    return queue;
  };
  const resourceExists = (arn: string): boolean =>
    [...queues.values()].some((q) => q.arn === arn) || [...jobs.values()].some((j) => j.arn === arn);
  const tagsOf = (arn: string): Record<string, string> => {
    if (!resourceExists(arn)) throw notFound(`The specified resource was not found: ${arn}`);
    return tags.get(arn) ?? {};
  };
  const stringMap = (value: unknown, member: string): Record<string, string> => {
    if (value === undefined) return {};
    if (!isObject(value) || Object.values(value).some((v) => typeof v !== 'string')) throw badRequest(`/${member}: must be a map of strings`);
    return value as Record<string, string>;
  };

  function createQueue(body: Json): [number, Json] {
    const { name, description, pricingPlan = 'ON_DEMAND', status = 'ACTIVE', concurrentJobs } = body;
    if (typeof name !== 'string' || !/^[\w-]{1,128}$/.test(name)) throw badRequest(`/name: required, 1-128 letters, digits, '-' or '_', got ${JSON.stringify(name)}`);
    if (pricingPlan !== 'ON_DEMAND' && pricingPlan !== 'RESERVED') throw badRequest(`/pricingPlan: ON_DEMAND or RESERVED, got ${JSON.stringify(pricingPlan)}`);
    if (status !== 'ACTIVE' && status !== 'PAUSED') throw badRequest(`/status: ACTIVE or PAUSED, got ${JSON.stringify(status)}`);
    if (queues.has(name)) throw new StubHttpError(409, 'ConflictException', `A queue named ${name} already exists`);
    const at = epochSeconds();
    const queue: StubQueue = {
      name, arn: queueArn(name), pricingPlan, status, type: 'CUSTOM', createdAt: at, lastUpdated: at, submittedJobsCount: 0, progressingJobsCount: 0,
      ...(typeof description === 'string' ? { description } : {}),
      ...(typeof concurrentJobs === 'number' ? { concurrentJobs } : {}),
    };
    queues.set(name, queue);
    const initialTags = stringMap(body.tags, 'tags');
    if (Object.keys(initialTags).length > 0) tags.set(queue.arn, { ...initialTags });
    return [201, { queue }];
  }

  function updateQueue(name: string, body: Json): [number, Json] {
    const queue = getQueue(name);
    if (body.status !== undefined && body.status !== 'ACTIVE' && body.status !== 'PAUSED') throw badRequest(`/status: ACTIVE or PAUSED, got ${JSON.stringify(body.status)}`);
    if (typeof body.description === 'string') queue.description = body.description;
    if (typeof body.status === 'string') queue.status = body.status;
    if (typeof body.concurrentJobs === 'number') queue.concurrentJobs = body.concurrentJobs;
    queue.lastUpdated = epochSeconds();
    return [200, { queue }];
  }

  function deleteQueue(name: string): [number, Json] {
    const queue = getQueue(name);
    if (queue.type === 'SYSTEM') throw badRequest(`The ${name} queue cannot be deleted`);
    queues.delete(name);
    tags.delete(queue.arn);
    return [202, {}];
  }

  function createJob(body: Json): [number, Json] {
    createJobRequests.push(body);
    const fault = faults.shift();
    if (fault) throw new StubHttpError(fault.status, fault.code, fault.message ?? `Injected fault: ${fault.code}`);
    const issues = validateCreateJob(body, resolveQueue);
    if (issues.length > 0) throw badRequest(issues.join('; '));

    const token = body.clientRequestToken as string | undefined;
    const previous = token === undefined ? undefined : tokens.get(token);
    const original = previous && Date.now() - previous.at <= idempotencyWindowMs ? jobs.get(previous.jobId) : undefined;
    if (original) return [201, { job: original }];

    jobCounter += 1;
    const id = `${Date.now()}-${jobCounter.toString(36).padStart(6, '0')}`;
    const createdAt = epochSeconds();
    const queue = resolveQueue((body.queue as string | undefined) ?? DEFAULT_QUEUE_NAME) as StubQueue;
    const job: StubJob = {
      id,
      arn: `arn:aws:mediaconvert:${region}:${accountId}:jobs/${id}`,
      status: 'SUBMITTED',
      createdAt,
      role: body.role as string,
      queue: queue.arn,
      priority: (body.priority as number | undefined) ?? 0,
      settings: body.settings as Json,
      userMetadata: (body.userMetadata as Record<string, string> | undefined) ?? {},
      timing: { submitTime: createdAt },
      ...(body.accelerationSettings !== undefined ? { accelerationSettings: body.accelerationSettings as Json } : {}),
      ...(typeof body.statusUpdateInterval === 'string' ? { statusUpdateInterval: body.statusUpdateInterval } : {}),
      ...(token !== undefined ? { clientRequestToken: token } : {}),
      ...(typeof body.jobTemplate === 'string' ? { jobTemplate: body.jobTemplate } : {}),
    };
    jobs.set(id, job);
    queue.submittedJobsCount += 1;
    if (token !== undefined) tokens.set(token, { jobId: id, at: Date.now() });
    const jobTags = stringMap(body.tags, 'tags');
    if (Object.keys(jobTags).length > 0) tags.set(job.arn, { ...jobTags });
    return [201, { job }];
  }

  async function route(method: string, segments: string[], req: IncomingMessage): Promise<[number, Json]> {
    const [prefix, collection, id, ...rest] = segments;
    if (prefix !== API_PREFIX || rest.length > 0) throw new RouteNotFound();
    const key = `${method} ${collection ?? ''}${id === undefined ? '' : '/{id}'}`;
    switch (key) {
      case 'POST queues':
        return createQueue(await readJson(req));
      case 'GET queues':
        return [200, { queues: [...queues.values()] }];
      case 'GET queues/{id}':
        return [200, { queue: getQueue(id as string) }];
      case 'PUT queues/{id}':
        return updateQueue(id as string, await readJson(req));
      case 'DELETE queues/{id}':
        return deleteQueue(id as string);
      case 'POST jobs':
        return createJob(await readJson(req));
      case 'GET jobs':
        return [200, { jobs: [...jobs.values()].reverse() }];
      case 'GET jobs/{id}': {
        const job = jobs.get(id as string);
        if (!job) throw notFound(`The specified job was not found: ${id as string}`);
        return [200, { job }];
      }
      case 'GET tags/{id}':
        return [200, { resourceTags: { arn: id, tags: tagsOf(id as string) } }];
      case 'POST tags': {
        const body = await readJson(req);
        if (typeof body.arn !== 'string') throw badRequest('/arn: required');
        const added = stringMap(body.tags, 'tags');
        tags.set(body.arn, { ...tagsOf(body.arn), ...added });
        return [200, {}];
      }
      case 'PUT tags/{id}': {
        const arn = id as string;
        const body = await readJson(req);
        const remaining = { ...tagsOf(arn) };
        const keys: unknown[] = Array.isArray(body.tagKeys) ? body.tagKeys : [];
        for (const k of keys) delete remaining[String(k)];
        tags.set(arn, remaining);
        return [200, {}];
      }
      default:
        throw new RouteNotFound();
    }
  }

  function send(res: ServerResponse, status: number, body: Json, errorCode?: string): void {
    const payload = JSON.stringify(body);
    requestCounter += 1;
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(payload),
      'x-amzn-requestid': `mediaconvert-stub-${requestCounter}`,
      ...(errorCode !== undefined ? { 'x-amzn-errortype': errorCode } : {}),
    });
    res.end(payload);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const rawPath = new URL(req.url ?? '/', 'http://stub').pathname;
    let segments: string[];
    try {
      // Path labels such as a tagged resource's ARN arrive percent-encoded, '/' included.
      segments = rawPath.split('/').slice(1).map(decodeURIComponent);
    } catch {
      send(res, 400, { message: `Malformed percent-encoding in ${rawPath}` }, 'BadRequestException');
      return;
    }
    requests.push({ method, path: `/${segments.join('/')}` });
    try {
      const [status, body] = await route(method, segments, req);
      send(res, status, body);
    } catch (err) {
      if (err instanceof RouteNotFound) {
        log(`mediaconvert-stub: no route for ${method} ${rawPath}; add it to scripts/lib/mediaconvert-stub.ts if the code under test needs it`);
        send(res, 404, { message: `mediaconvert-stub has no route for ${method} ${rawPath}` }, 'NotFoundException');
      } else if (err instanceof StubHttpError) {
        send(res, err.status, { message: err.message }, err.code);
      } else {
        log(`mediaconvert-stub: ${method} ${rawPath} failed: ${(err as Error).stack ?? String(err)}`);
        send(res, 500, { message: (err as Error).message }, 'InternalServerErrorException');
      }
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    region,
    accountId,
    createJobRequests,
    requests,
    jobs,
    queues,
    tags,
    get createdJobCount() {
      return jobCounter;
    },
    failNext(...injected: MediaConvertFault[]) {
      faults.push(...injected);
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

/** Parses `--port N --region R --account-id A` for the CLI entry. */
function parseCliArgs(argv: string[]): MediaConvertStubOptions {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i === -1 ? undefined : argv[i + 1];
  };
  const port = value('--port');
  if (port !== undefined && !/^\d+$/.test(port)) throw new Error(`--port must be a number, got ${JSON.stringify(port)}`);
  return {
    ...(port !== undefined ? { port: Number(port) } : {}),
    ...(value('--region') !== undefined ? { region: value('--region') } : {}),
    ...(value('--account-id') !== undefined ? { accountId: value('--account-id') } : {}),
  };
}

async function main(): Promise<void> {
  const stub = await startMediaConvertStub(parseCliArgs(process.argv.slice(2)));
  process.stdout.write(`${JSON.stringify({ url: stub.url })}\n`);
  const stop = (): void => {
    stub.close().then(() => process.exit(0), (err: unknown) => {
      process.stderr.write(`mediaconvert-stub: close failed: ${String(err)}\n`);
      process.exit(1);
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`mediaconvert-stub: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
