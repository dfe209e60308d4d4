/**
 * A loopback HTTP proxy the tests put between the code under test and an emulator (moto, the
 * MediaConvert stand-in). Per matching call it can answer a throttle or a server error without
 * forwarding, forward the call and then lose the answer (the work is applied, the caller sees a
 * reset connection), or hang (with or without applying the work) until the caller gives up.
 * Every call is recorded with what the proxy did to it.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** The AWS service a call is for, from the SigV4 credential scope. */
export type ServiceName = 'dynamodb' | 'sns' | 'sqs' | 'mediaconvert' | string;

/** One call as the proxy saw it. */
export interface ProxiedCall {
  readonly service: ServiceName;
  /** `PutItem`, `Publish`, `CreateJob`… (see {@link operationOf}). */
  readonly operation: string;
  readonly method: string;
  /** The path without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: string;
  /** The body parsed as JSON, when it is JSON. */
  readonly json?: Record<string, unknown>;
  readonly headers: IncomingMessage['headers'];
}

/** What the proxy does to a matching call. */
export type FaultAction =
  /** The service's own throttling answer (DynamoDB 400 ProvisionedThroughputExceeded, SNS 400 Throttling, MediaConvert 429). */
  | { readonly kind: 'throttle' }
  /** The service's own 500 answer. */
  | { readonly kind: 'server-error' }
  /** Forwarded and applied upstream; the answer never reaches the caller (the connection is reset). */
  | { readonly kind: 'lose-answer' }
  /** No answer until the caller gives up; `apply` forwards the call first, so its work is done. */
  | { readonly kind: 'hang'; readonly apply?: boolean }
  /** Runs `run` (another writer, say) before forwarding the call: a race, made deterministic. */
  | { readonly kind: 'interleave'; readonly run: (call: ProxiedCall) => Promise<void> };

/** Which calls a rule applies to; every given field must match. */
export interface CallMatcher {
  readonly service?: ServiceName;
  readonly operation?: string;
  readonly method?: string;
  readonly path?: RegExp;
  /** Any other test on the call, e.g. the DynamoDB key or the status a write sets. */
  readonly where?: (call: ProxiedCall) => boolean;
}

export interface FaultRule {
  readonly match: CallMatcher;
  readonly action: FaultAction;
  /** Matching calls let through before the rule applies. @default 0 */
  readonly skip?: number;
  /** How many matching calls it applies to; Infinity is a persistent fault. @default Infinity */
  readonly times?: number;
}

/** A rule in force; `hits` counts the calls it faulted. */
export interface ActiveRule {
  readonly rule: FaultRule;
  readonly hits: number;
  /** Takes the rule out; later calls pass. */
  remove(): void;
}

/** A recorded call and what the proxy did with it. */
export interface CallRecord {
  readonly service: ServiceName;
  readonly operation: string;
  readonly outcome: 'forwarded' | FaultAction['kind'];
}

export interface FaultProxy {
  /** Point the SDK here (`AWS_ENDPOINT_URL_<SERVICE>`). */
  readonly url: string;
  /** Every call, in arrival order. */
  readonly calls: readonly CallRecord[];
  /** Every request in full, in arrival order, when started with `keepRequests` (the IAM simulation maps them to actions). */
  readonly requests: readonly ProxiedCall[];
  /** Adds a rule; the first rule in force that matches a call decides what happens to it. */
  inject(rule: FaultRule): ActiveRule;
  /** Removes every rule and forgets the recorded calls. */
  reset(): void;
  /** How many calls of an operation arrived (faulted or not). */
  count(operation: string, service?: ServiceName): number;
  close(): Promise<void>;
}

const MEDIACONVERT_OPERATIONS: ReadonlyArray<readonly [string, RegExp, string]> = [
  ['POST', /^\/2017-08-29\/jobs$/, 'CreateJob'],
  ['GET', /^\/2017-08-29\/jobs\/[^/]+$/, 'GetJob'],
  ['GET', /^\/2017-08-29\/jobs$/, 'ListJobs'],
  ['GET', /^\/2017-08-29\/search$/, 'SearchJobs'],
  ['POST', /^\/2017-08-29\/probe$/, 'Probe'],
];

/**
 * The operation of a call: the JSON protocols' `X-Amz-Target` suffix, the query protocol's
 * `Action`, or for MediaConvert's REST API the operation its method and path stand for.
 */
export function operationOf(headers: IncomingMessage['headers'], method: string, path: string, body: string): string {
  const target = headers['x-amz-target'];
  if (typeof target === 'string') return target.slice(target.lastIndexOf('.') + 1);
  const action = new URLSearchParams(body).get('Action');
  if (action !== null && String(headers['content-type'] ?? '').includes('x-www-form-urlencoded')) return action;
  const rest = MEDIACONVERT_OPERATIONS.find(([m, pattern]) => m === method && pattern.test(path));
  return rest?.[2] ?? `${method} ${path}`;
}

/** The service named in the SigV4 `Authorization` header's credential scope. */
export function serviceOf(headers: IncomingMessage['headers']): ServiceName {
  const match = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(String(headers.authorization ?? ''));
  return match?.[1] ?? 'unknown';
}

/** The throttling or server-error answer in the service's own protocol, so the SDK raises its modelled error. */
function errorAnswer(
  service: ServiceName,
  kind: 'throttle' | 'server-error',
): { status: number; headers: Record<string, string>; body: string } {
  const throttle = kind === 'throttle';
  if (service === 'dynamodb') {
    const type = throttle ? 'ProvisionedThroughputExceededException' : 'InternalServerError';
    return {
      status: throttle ? 400 : 500,
      headers: { 'content-type': 'application/x-amz-json-1.0' },
      body: JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message: `Injected fault: ${type}` }),
    };
  }
  if (service === 'sns' || service === 'sqs') {
    const code = throttle ? 'Throttling' : 'InternalError';
    return {
      status: throttle ? 400 : 500,
      headers: { 'content-type': 'text/xml' },
      body: `<ErrorResponse><Error><Type>${throttle ? 'Sender' : 'Receiver'}</Type><Code>${code}</Code><Message>Injected fault: ${code}</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>`,
    };
  }
  if (service === 's3') {
    const code = throttle ? 'SlowDown' : 'InternalError';
    return {
      status: throttle ? 503 : 500,
      headers: { 'content-type': 'application/xml' },
      body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>Injected fault: ${code}</Message><RequestId>fault-proxy</RequestId></Error>`,
    };
  }
  const code = throttle ? 'TooManyRequestsException' : 'InternalServerErrorException';
  return {
    status: throttle ? 429 : 500,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': code },
    body: JSON.stringify({ message: `Injected fault: ${code}` }),
  };
}

function matches(matcher: CallMatcher, call: ProxiedCall): boolean {
  return (
    (matcher.service === undefined || matcher.service === call.service) &&
    (matcher.operation === undefined || matcher.operation === call.operation) &&
    (matcher.method === undefined || matcher.method === call.method) &&
    (matcher.path === undefined || matcher.path.test(call.path)) &&
    (matcher.where === undefined || matcher.where(call))
  );
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Starts a proxy on 127.0.0.1 that forwards to `target` (e.g. moto's URL) unless a rule says otherwise.
 * With `keepRequests`, every request is also kept in full (`requests`).
 */
export async function startFaultProxy(target: string, options: { keepRequests?: boolean } = {}): Promise<FaultProxy> {
  const upstream = new URL(target);
  const rules: { rule: FaultRule; seen: number; hits: number; removed: boolean }[] = [];
  const calls: CallRecord[] = [];
  const requests: ProxiedCall[] = [];
  const sockets = new Set<Socket>();

  function forward(req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const out = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host, 'content-length': String(body.length) },
        },
        (res) => {
          readBody(res).then((data) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: data }), reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });
  }

  function ruleFor(call: ProxiedCall): FaultAction | undefined {
    for (const entry of rules) {
      if (entry.removed || !matches(entry.rule.match, call)) continue;
      entry.seen += 1;
      if (entry.seen <= (entry.rule.skip ?? 0)) continue;
      if (entry.hits >= (entry.rule.times ?? Number.POSITIVE_INFINITY)) continue;
      entry.hits += 1;
      return entry.rule.action;
    }
    return undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const text = body.toString('utf8');
    const url = new URL(req.url ?? '/', 'http://proxy');
    const method = req.method ?? 'GET';
    let json: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = text === '' ? undefined : JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
    } catch {
      // not JSON: a query-protocol form body
    }
    const call: ProxiedCall = {
      service: serviceOf(req.headers),
      operation: operationOf(req.headers, method, url.pathname, text),
      method,
      path: url.pathname,
      query: url.searchParams,
      body: text,
      ...(json !== undefined ? { json } : {}),
      headers: req.headers,
    };
    if (options.keepRequests) requests.push(call);
    const action = ruleFor(call);
    calls.push({ service: call.service, operation: call.operation, outcome: action?.kind ?? 'forwarded' });

    if (action?.kind === 'throttle' || action?.kind === 'server-error') {
      const answer = errorAnswer(call.service, action.kind);
      res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
      res.end(answer.body);
      return;
    }
    if (action?.kind === 'hang') {
      // Held until the caller's timeout closes the socket (or the proxy closes).
      if (action.apply) await forward(req, body).catch(() => undefined);
      return;
    }
    if (action?.kind === 'interleave') await action.run(call);
    let answer: Awaited<ReturnType<typeof forward>>;
    try {
      answer = await forward(req, body);
    } catch (error) {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`fault proxy: upstream ${target} failed: ${(error as Error).message}`);
      return;
    }
    if (action?.kind === 'lose-answer') {
      req.socket.destroy();
      return;
    }
    const headers = { ...answer.headers, 'content-length': String(answer.body.length) };
    delete headers['transfer-encoding'];
    res.writeHead(answer.status, headers);
    res.end(answer.body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(error));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    requests,
    inject(rule) {
      const entry = { rule, seen: 0, hits: 0, removed: false };
      rules.push(entry);
      return {
        rule,
        get hits() {
          return entry.hits;
        },
        remove() {
          entry.removed = true;
        },
      };
    },
    reset() {
      rules.length = 0;
      calls.length = 0;
      requests.length = 0;
    },
    count(operation, service) {
      return calls.filter((c) => c.operation === operation && (service === undefined || c.service === service)).length;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
