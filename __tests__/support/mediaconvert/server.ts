/**
 * A local stand-in for the AWS Elemental MediaConvert REST-JSON API (moto has none).
 *
 * It answers the calls this project makes: the AWS provider's `aws_media_convert_queue`
 * (CreateQueue, GetQueue, ListTagsForResource, DeleteQueue, plus TagResource/UntagResource),
 * and the Lambdas' calls through `@aws-sdk/client-mediaconvert` (CreateJob, GetJob, Probe). Wire names are the
 * service's camelCase JSON members, errors carry `x-amzn-ErrorType` so SDK v3 and
 * aws-sdk-go-v2 raise the modelled exception, and SigV4 headers are accepted unchecked.
 * State lives in store.ts, routes in router.ts; cli.ts keeps one up for `local:up`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isRecord } from '../../../contracts/guards';
import { RouteNotFound, routeRequest } from './router';
import { TranscodeOptions, Transcoder } from './transcode';
import {
  Clock,
  DEFAULT_IDEMPOTENCY_WINDOW_MS,
  MediaConvertFault,
  MediaConvertStore,
  ObjectReader,
  StubHttpError,
  StubJob,
  StubQueue,
  badRequest,
} from './store';

export type { MediaConvertFault, ObjectReader, StubJob, StubQueue } from './store';
export type { JobEventSink, TranscodeIo, TranscodeOptions } from './transcode';

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
  /**
   * The stand-in's time (token window, job ids, timestamps); tests pass a simulated clock.
   * @default Date.now
   */
  readonly clock?: Clock;
  /** Where diagnostics (unknown routes, bad JSON) go. @default - a line on process.stderr */
  readonly log?: (line: string) => void;
  /** Where Probe reads `s3://` objects from, e.g. moto through an S3 client. @default - none: Probe answers 400 */
  readonly reader?: ObjectReader;
  /** Report `videoProperties.rotation` in Probe answers (see probe.ts). @default false */
  readonly reportRotation?: boolean;
  /**
   * Run each created job with ffmpeg (transcode.ts): outputs written through `io`, events sent to
   * `onEvent`; Probe then also answers for files that are not committed fixtures.
   * @default - none: jobs stay SUBMITTED and no event is sent (the fast path of unit and integration tests)
   */
  readonly transcode?: TranscodeOptions;
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
  /** Everything the stand-in knows; tests inspect it. */
  readonly store: MediaConvertStore;
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
  /** Answers the next Probe calls, one fault each. */
  failNextProbe(...faults: MediaConvertFault[]): void;
  /** Parsed body of every POST /2017-08-29/probe, in order. */
  readonly probeRequests: Record<string, unknown>[];
  /** Settles when every job created so far has finished transcoding (immediately without `transcode`). */
  idle(): Promise<void>;
  /** Stops listening and closes every socket, keep-alive ones included. */
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
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
  if (!isRecord(parsed)) throw badRequest('Request body must be a JSON object');
  return parsed;
}

/**
 * Starts the stand-in on 127.0.0.1 with an account `Default` queue.
 * @returns a handle whose `url` is the endpoint and whose state tests can inspect.
 */
export async function startMediaConvertStub(options: MediaConvertStubOptions = {}): Promise<MediaConvertStub> {
  const store = new MediaConvertStore(
    options.region ?? 'us-east-1',
    options.accountId ?? '123456789012',
    options.idempotencyWindowMs ?? DEFAULT_IDEMPOTENCY_WINDOW_MS,
    {
      ...(options.reader ? { reader: options.reader } : {}),
      ...(options.reportRotation !== undefined ? { reportRotation: options.reportRotation } : {}),
      ...(options.transcode ? { liveFfprobe: true } : {}),
    },
    options.clock ?? Date.now,
  );
  const transcoder = options.transcode ? new Transcoder(options.transcode, store.region, store.accountId) : undefined;
  /** Settles when every job handed to the transcoder so far has ended. */
  let transcoding: Promise<void> = Promise.resolve();
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const requests: StubRequest[] = [];
  let requestCounter = 0;

  function send(res: ServerResponse, status: number, body: Record<string, unknown>, errorCode?: string): void {
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
    const url = new URL(req.url ?? '/', 'http://stub');
    const rawPath = url.pathname;
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
      const before = store.createdJobCount;
      const [status, body] = await routeRequest(store, method, segments, () => readJson(req), url.searchParams);
      send(res, status, body);
      // A new job (not a token repeat) starts after its CreateJob answer, as the service's queue does.
      if (transcoder && store.createdJobCount > before) transcoding = transcoder.enqueue(body.job as StubJob);
    } catch (err) {
      if (err instanceof RouteNotFound) {
        log(
          `mediaconvert-stub: no route for ${method} ${rawPath}; add it to __tests__/support/mediaconvert/router.ts if the code under test needs it`,
        );
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
    region: store.region,
    accountId: store.accountId,
    store,
    createJobRequests: store.createJobRequests,
    requests,
    jobs: store.jobs,
    queues: store.queues,
    tags: store.tags,
    get createdJobCount() {
      return store.createdJobCount;
    },
    failNext(...injected: MediaConvertFault[]) {
      store.failNextCreateJob(...injected);
    },
    failNextProbe(...injected: MediaConvertFault[]) {
      store.failNextProbe(...injected);
    },
    probeRequests: store.probeRequests,
    idle() {
      return transcoding;
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
