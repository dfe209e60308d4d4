/**
 * The state of the local MediaConvert stand-in: queues, jobs, tags and client request
 * tokens, with the operations the REST routes call. No HTTP here (see router.ts).
 */
import { isRecord } from '../../../contracts/guards';
import { findFixtureByContent } from '../media-fixtures';
import { liveProbeEntry } from './live-probe';
import { probeResultFor } from './probe';
import { validateCreateJob } from './validation';

type Json = Record<string, unknown>;

const DEFAULT_QUEUE_NAME = 'Default';
/** The real service returns the original job for a repeated token within about a minute. */
export const DEFAULT_IDEMPOTENCY_WINDOW_MS = 60_000;

/** An error the next CreateJob call answers with instead of creating a job. */
export interface MediaConvertFault {
  /** HTTP status, e.g. 429, 500 or 400. */
  readonly status: number;
  /** Modelled error code sent as `x-amzn-ErrorType`, e.g. `TooManyRequestsException`. */
  readonly code: string;
  /** @default - "Injected fault: <code>" */
  readonly message?: string;
}

/**
 * Reads an S3 object for Probe, as the real service does with the caller's credentials.
 * Tests point it at moto with an S3 client; a rejection is answered as a 400.
 */
export type ObjectReader = (bucket: string, key: string) => Promise<Uint8Array>;

/** How the stand-in answers Probe. */
export interface ProbeOptions {
  /** Where Probe reads objects from. @default - none: Probe answers 400 and says to pass one */
  readonly reader?: ObjectReader;
  /**
   * Report `videoProperties.rotation` (the 3.1169 API model documents it; REFERENCE.md says the
   * service does not send it). @default false
   */
  readonly reportRotation?: boolean;
  /** ffprobe bytes that match no committed fixture (the transcoding stand-in). @default false */
  readonly liveFfprobe?: boolean;
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
  timing: { submitTime: number; startTime?: number; finishTime?: number };
  /** Set by the transcoder (transcode.ts) as the job runs. */
  jobPercentComplete?: number;
  outputGroupDetails?: Record<string, unknown>[];
  errorCode?: number;
  errorMessage?: string;
}

/** A request the service would reject; the router answers it with `status` and `code`. */
export class StubHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'StubHttpError';
  }
}

export const badRequest = (message: string): StubHttpError => new StubHttpError(400, 'BadRequestException', message);
const notFound = (message: string): StubHttpError => new StubHttpError(404, 'NotFoundException', message);

/** Milliseconds since the epoch; tests pass a simulated clock to move through token windows. */
export type Clock = () => number;

/** SearchJobs returns at most this many jobs per page, as the service does. */
export const SEARCH_PAGE_SIZE = 20;

/** The filters and paging of SearchJobs (`GET /2017-08-29/search`), as query members. */
export interface SearchJobsQuery {
  /** A substring of an input's `fileInput` (the service matches a URL or a partial name). */
  readonly inputFile?: string;
  /** Queue name or ARN. */
  readonly queue?: string;
  readonly status?: string;
  /** @default 'DESCENDING' (newest first) */
  readonly order?: string;
  /** 1..20. @default 20 */
  readonly maxResults?: number;
  /** The `nextToken` of the previous page. */
  readonly nextToken?: string;
}

function stringMap(value: unknown, member: string): Record<string, string> {
  if (value === undefined) return {};
  if (!isRecord(value) || Object.values(value).some((v) => typeof v !== 'string')) throw badRequest(`/${member}: must be a map of strings`);
  return value as Record<string, string>;
}

/** Everything the stand-in knows, starting with the account's `Default` system queue. */
export class MediaConvertStore {
  /** Parsed body of every CreateJob, in order, including rejected and repeated ones. */
  readonly createJobRequests: Json[] = [];
  readonly jobs = new Map<string, StubJob>();
  readonly queues = new Map<string, StubQueue>();
  readonly tags = new Map<string, Record<string, string>>();
  /** Parsed body of every Probe call, in order. */
  readonly probeRequests: Json[] = [];
  private readonly probeFaults: MediaConvertFault[] = [];
  private readonly tokens = new Map<string, { jobId: string; at: number }>();
  private readonly faults: MediaConvertFault[] = [];
  private jobCounter = 0;

  constructor(
    readonly region: string,
    readonly accountId: string,
    private readonly idempotencyWindowMs: number = DEFAULT_IDEMPOTENCY_WINDOW_MS,
    private readonly probeOptions: ProbeOptions = {},
    private readonly clock: Clock = Date.now,
  ) {
    const now = this.epochSeconds();
    this.queues.set(DEFAULT_QUEUE_NAME, {
      name: DEFAULT_QUEUE_NAME,
      arn: this.queueArn(DEFAULT_QUEUE_NAME),
      pricingPlan: 'ON_DEMAND',
      status: 'ACTIVE',
      type: 'SYSTEM',
      createdAt: now,
      lastUpdated: now,
      submittedJobsCount: 0,
      progressingJobsCount: 0,
    });
  }

  private epochSeconds(): number {
    return Math.floor(this.clock() / 1000);
  }

  /** How many jobs CreateJob has created (idempotent repeats and rejections excluded). */
  get createdJobCount(): number {
    return this.jobCounter;
  }

  /** Answers the next CreateJob calls, one fault each, before any validation. */
  failNextCreateJob(...faults: MediaConvertFault[]): void {
    this.faults.push(...faults);
  }

  /** Answers the next Probe calls, one fault each, before reading anything. */
  failNextProbe(...faults: MediaConvertFault[]): void {
    this.probeFaults.push(...faults);
  }

  /**
   * Probe: reads each `inputFiles[].fileUrl` (s3:// only) through the reader and answers from what
   * ffprobe saw of those bytes (see probe.ts); unknown bytes get a result with no format and no tracks.
   */
  async probe(body: Json): Promise<Json> {
    this.probeRequests.push(body);
    const fault = this.probeFaults.shift();
    if (fault) throw new StubHttpError(fault.status, fault.code, fault.message ?? `Injected fault: ${fault.code}`);
    const files = Array.isArray(body.inputFiles) ? body.inputFiles : [];
    if (files.length === 0) throw badRequest('/inputFiles: required, at least one file');
    const reader = this.probeOptions.reader;
    if (!reader) throw badRequest('mediaconvert-stub: Probe needs a `reader` option (startMediaConvertStub({ reader })) to read objects');
    const results = [];
    for (const [i, file] of files.entries()) {
      const url = isRecord(file) ? file.fileUrl : undefined;
      const match = typeof url === 'string' ? /^s3:\/\/([^/]+)\/(.+)$/.exec(url) : null;
      if (!match) throw badRequest(`/inputFiles/${i}/fileUrl: an s3://bucket/key URL, got ${JSON.stringify(url)}`);
      let bytes: Uint8Array;
      try {
        bytes = await reader(match[1]!, match[2]!);
      } catch (error) {
        throw badRequest(`Unable to read ${url}: ${(error as Error).name}: ${(error as Error).message}`);
      }
      const entry = findFixtureByContent(bytes) ?? (this.probeOptions.liveFfprobe ? liveProbeEntry(bytes) : undefined);
      results.push(probeResultFor(bytes, entry, { reportRotation: this.probeOptions.reportRotation ?? false }));
    }
    return { probeResults: results };
  }

  queueArn(name: string): string {
    return `arn:aws:mediaconvert:${this.region}:${this.accountId}:queues/${name}`;
  }

  resolveQueue(ref: string): StubQueue | undefined {
    return [...this.queues.values()].find((q) => q.arn === ref || q.name === ref);
  }

  getQueue(name: string): StubQueue {
    const queue = this.queues.get(name);
    if (!queue) throw notFound(`The specified queue was not found: ${name}`);
    return queue;
  }

  createQueue(body: Json): StubQueue {
    const { name, description, pricingPlan = 'ON_DEMAND', status = 'ACTIVE', concurrentJobs } = body;
    if (typeof name !== 'string' || !/^[\w-]{1,128}$/.test(name))
      throw badRequest(`/name: required, 1-128 letters, digits, '-' or '_', got ${JSON.stringify(name)}`);
    if (pricingPlan !== 'ON_DEMAND' && pricingPlan !== 'RESERVED')
      throw badRequest(`/pricingPlan: ON_DEMAND or RESERVED, got ${JSON.stringify(pricingPlan)}`);
    if (status !== 'ACTIVE' && status !== 'PAUSED') throw badRequest(`/status: ACTIVE or PAUSED, got ${JSON.stringify(status)}`);
    if (this.queues.has(name)) throw new StubHttpError(409, 'ConflictException', `A queue named ${name} already exists`);
    const at = this.epochSeconds();
    const queue: StubQueue = {
      name,
      arn: this.queueArn(name),
      pricingPlan,
      status,
      type: 'CUSTOM',
      createdAt: at,
      lastUpdated: at,
      submittedJobsCount: 0,
      progressingJobsCount: 0,
      ...(typeof description === 'string' ? { description } : {}),
      ...(typeof concurrentJobs === 'number' ? { concurrentJobs } : {}),
    };
    this.queues.set(name, queue);
    const initialTags = stringMap(body.tags, 'tags');
    if (Object.keys(initialTags).length > 0) this.tags.set(queue.arn, { ...initialTags });
    return queue;
  }

  updateQueue(name: string, body: Json): StubQueue {
    const queue = this.getQueue(name);
    if (body.status !== undefined && body.status !== 'ACTIVE' && body.status !== 'PAUSED')
      throw badRequest(`/status: ACTIVE or PAUSED, got ${JSON.stringify(body.status)}`);
    if (typeof body.description === 'string') queue.description = body.description;
    if (typeof body.status === 'string') queue.status = body.status;
    if (typeof body.concurrentJobs === 'number') queue.concurrentJobs = body.concurrentJobs;
    queue.lastUpdated = this.epochSeconds();
    return queue;
  }

  deleteQueue(name: string): void {
    const queue = this.getQueue(name);
    if (queue.type === 'SYSTEM') throw badRequest(`The ${name} queue cannot be deleted`);
    this.queues.delete(name);
    this.tags.delete(queue.arn);
  }

  /** CreateJob: validates like the API model, honours the token window, records the job. */
  createJob(body: Json): StubJob {
    this.createJobRequests.push(body);
    const fault = this.faults.shift();
    if (fault) throw new StubHttpError(fault.status, fault.code, fault.message ?? `Injected fault: ${fault.code}`);
    const issues = validateCreateJob(body, (ref) => this.resolveQueue(ref));
    if (issues.length > 0) throw badRequest(issues.join('; '));

    const token = body.clientRequestToken as string | undefined;
    const previous = token === undefined ? undefined : this.tokens.get(token);
    const original = previous && this.clock() - previous.at <= this.idempotencyWindowMs ? this.jobs.get(previous.jobId) : undefined;
    if (original) return original;

    this.jobCounter += 1;
    const id = `${this.clock()}-${this.jobCounter.toString(36).padStart(6, '0')}`;
    const createdAt = this.epochSeconds();
    const queue = this.resolveQueue((body.queue as string | undefined) ?? DEFAULT_QUEUE_NAME) as StubQueue;
    const job: StubJob = {
      id,
      arn: `arn:aws:mediaconvert:${this.region}:${this.accountId}:jobs/${id}`,
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
    this.jobs.set(id, job);
    queue.submittedJobsCount += 1;
    if (token !== undefined) this.tokens.set(token, { jobId: id, at: this.clock() });
    const jobTags = stringMap(body.tags, 'tags');
    if (Object.keys(jobTags).length > 0) this.tags.set(job.arn, { ...jobTags });
    return job;
  }

  getJob(id: string): StubJob {
    const job = this.jobs.get(id);
    if (!job) throw notFound(`The specified job was not found: ${id}`);
    return job;
  }

  /**
   * SearchJobs: jobs whose input file contains `inputFile`, in `queue` and `status` when
   * given, newest first unless `order` is ASCENDING, one page of at most 20 at a time.
   */
  searchJobs(query: SearchJobsQuery): { jobs: StubJob[]; nextToken?: string } {
    const maxResults = query.maxResults ?? SEARCH_PAGE_SIZE;
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > SEARCH_PAGE_SIZE)
      throw badRequest(`/maxResults: 1..${SEARCH_PAGE_SIZE}, got ${String(query.maxResults)}`);
    const offset = query.nextToken === undefined ? 0 : Number(query.nextToken);
    if (!Number.isInteger(offset) || offset < 0) throw badRequest(`/nextToken: not a token this service issued: ${query.nextToken}`);
    const queueArn = query.queue === undefined ? undefined : this.resolveQueue(query.queue)?.arn;
    if (query.queue !== undefined && queueArn === undefined) throw notFound(`The specified queue was not found: ${query.queue}`);
    const inputsOf = (job: StubJob): string[] => {
      const inputs = (job.settings as { inputs?: { fileInput?: unknown }[] }).inputs ?? [];
      return inputs.map((input) => input.fileInput).filter((file): file is string => typeof file === 'string');
    };
    const matching = [...this.jobs.values()].filter(
      (job) =>
        (query.inputFile === undefined || inputsOf(job).some((file) => file.includes(query.inputFile as string))) &&
        (queueArn === undefined || job.queue === queueArn) &&
        (query.status === undefined || job.status === query.status),
    );
    const ordered = query.order === 'ASCENDING' ? matching : matching.reverse();
    const page = ordered.slice(offset, offset + maxResults);
    const next = offset + maxResults;
    return { jobs: page, ...(next < ordered.length ? { nextToken: String(next) } : {}) };
  }

  /** Jobs, newest first, as ListJobs returns them. */
  listJobs(): StubJob[] {
    return [...this.jobs.values()].reverse();
  }

  tagsOf(arn: string): Record<string, string> {
    const exists = [...this.queues.values()].some((q) => q.arn === arn) || [...this.jobs.values()].some((j) => j.arn === arn);
    if (!exists) throw notFound(`The specified resource was not found: ${arn}`);
    return this.tags.get(arn) ?? {};
  }

  tagResource(body: Json): void {
    if (typeof body.arn !== 'string') throw badRequest('/arn: required');
    this.tags.set(body.arn, { ...this.tagsOf(body.arn), ...stringMap(body.tags, 'tags') });
  }

  untagResource(arn: string, body: Json): void {
    const remaining = { ...this.tagsOf(arn) };
    const keys: unknown[] = Array.isArray(body.tagKeys) ? body.tagKeys : [];
    for (const k of keys) delete remaining[String(k)];
    this.tags.set(arn, remaining);
  }
}
