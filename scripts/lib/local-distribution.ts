/**
 * A local stand-in for the CloudFront distribution (moto stores distributions but serves nothing):
 * serves the output bucket at the same paths (the object key is the path, no origin path), with the
 * distribution's response headers (CORS and security headers, from stacks/lib/delivery-headers.ts),
 * GET, HEAD and OPTIONS only, byte ranges passed to S3. A missing object answers 403, as S3 does
 * through an OAC that may not list the bucket. Plain HTTP on loopback: CloudFront's HTTPS redirect
 * is a gap of the stand-in.
 */
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { deliveryResponseHeaders } from '../../stacks/lib/delivery-headers';

export interface LocalDistribution {
  /** `http://127.0.0.1:PORT`: the origin the URLs in records and notifications use. */
  readonly url: string;
  close(): Promise<void>;
}

/** The CORS and security headers CloudFront adds to a response for a request from `origin`. */
export function distributionHeaders(
  allowedOrigins: readonly string[],
  origin: string | undefined,
  preflight: boolean,
): Record<string, string> {
  const { corsConfig, securityHeadersConfig } = deliveryResponseHeaders(allowedOrigins);
  const headers: Record<string, string> = {};
  const hsts = securityHeadersConfig!.strictTransportSecurity!;
  headers['strict-transport-security'] =
    `max-age=${hsts.accessControlMaxAgeSec}${hsts.includeSubdomains ? '; includeSubDomains' : ''}${hsts.preload ? '; preload' : ''}`;
  headers['x-content-type-options'] = 'nosniff';
  headers['x-frame-options'] = securityHeadersConfig!.frameOptions!.frameOption;
  headers['referrer-policy'] = securityHeadersConfig!.referrerPolicy!.referrerPolicy;
  const origins = corsConfig!.accessControlAllowOrigins.items ?? [];
  if (origin !== undefined && (origins.includes('*') || origins.includes(origin))) {
    headers['access-control-allow-origin'] = origins.includes('*') ? '*' : origin;
    headers['access-control-expose-headers'] = (corsConfig!.accessControlExposeHeaders?.items ?? []).join(', ');
    if (preflight) {
      headers['access-control-allow-methods'] = (corsConfig!.accessControlAllowMethods.items ?? []).join(', ');
      headers['access-control-allow-headers'] = (corsConfig!.accessControlAllowHeaders.items ?? []).join(', ');
      headers['access-control-max-age'] = String(corsConfig!.accessControlMaxAgeSec);
    }
    if (!origins.includes('*')) headers.vary = 'Origin';
  }
  return headers;
}

/**
 * Starts the stand-in on a loopback port.
 * @param routes extra paths served before the bucket (the player page), by path prefix.
 */
export async function startLocalDistribution(args: {
  s3: S3Client;
  bucket: string;
  allowedOrigins: readonly string[];
  port?: number;
  routes?: (path: string) => { body: Buffer; contentType: string; headers?: Record<string, string> } | undefined;
}): Promise<LocalDistribution> {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    const method = req.method ?? 'GET';
    const headers = distributionHeaders(args.allowedOrigins, origin, method === 'OPTIONS');
    if (method === 'OPTIONS') {
      res.writeHead(200, headers).end();
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      res
        .writeHead(403, { ...headers, 'content-type': 'text/plain' })
        .end('This distribution is not configured to allow the HTTP request method.');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://local');
    const extra = args.routes?.(url.pathname);
    if (extra) {
      res.writeHead(200, { ...headers, ...extra.headers, 'content-type': extra.contentType, 'content-length': extra.body.length });
      res.end(method === 'HEAD' ? undefined : extra.body);
      return;
    }
    let key: string;
    try {
      key = url.pathname.slice(1).split('/').map(decodeURIComponent).join('/');
    } catch {
      res.writeHead(400, headers).end();
      return;
    }
    const range = typeof req.headers.range === 'string' ? req.headers.range : undefined;
    try {
      const object = await args.s3.send(new GetObjectCommand({ Bucket: args.bucket, Key: key, ...(range ? { Range: range } : {}) }));
      const body = Buffer.from(await object.Body!.transformToByteArray());
      res.writeHead(range ? 206 : 200, {
        ...headers,
        'content-type': object.ContentType ?? 'application/octet-stream',
        'content-length': body.length,
        'accept-ranges': 'bytes',
        ...(object.ETag ? { etag: object.ETag } : {}),
        ...(object.ContentRange ? { 'content-range': object.ContentRange } : {}),
        'cache-control': 'public, max-age=86400',
      });
      res.end(method === 'HEAD' ? undefined : body);
    } catch (error) {
      const name = (error as Error).name;
      res.writeHead(name === 'InvalidRange' ? 416 : 403, { ...headers, 'content-type': 'application/xml' });
      res.end(method === 'HEAD' ? undefined : '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>');
    }
  };
  const server = createServer((req, res) => void handle(req, res));
  // Node closes an idle connection after 5 s; a viewer whose event loop was busy for that long (a test
  // running ffprobe between requests) would reuse it as it closes and see "other side closed".
  // CloudFront keeps idle viewer connections open far longer.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(args.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
