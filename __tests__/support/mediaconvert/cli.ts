/**
 * Keeps a MediaConvert stand-in up for `npm run local:up`:
 * `npx tsx __tests__/support/mediaconvert/cli.ts --port 0 --s3-endpoint http://127.0.0.1:5000` prints
 * `{"url":"http://127.0.0.1:PORT"}` and runs until SIGTERM or SIGINT. With `--s3-endpoint`, Probe reads
 * objects from that S3 (moto); without it, Probe answers 400.
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { TranscodeOptions } from './transcode';
import { MediaConvertStubOptions, ObjectReader, startMediaConvertStub } from './server';

/** Reads objects for Probe from an S3 endpoint such as moto (path-style, test credentials). */
export function s3Reader(endpoint: string, region = 'us-east-1'): ObjectReader {
  const s3 = new S3Client({ endpoint, region, forcePathStyle: true, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  return async (bucket, key) => (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray();
}

/** Reads inputs from and writes outputs to an S3 endpoint such as moto, for the transcoder. */
export function s3TranscodeIo(endpoint: string, region = 'us-east-1'): TranscodeOptions['io'] {
  const s3 = new S3Client({ endpoint, region, forcePathStyle: true, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  return {
    read: async (bucket, key) => (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray(),
    write: async (bucket, key, body, contentType) =>
      void (await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }))),
  };
}

/** Posts each job event as JSON to `url` (the local runtime's event bus). */
export function postEvents(url: string): TranscodeOptions['onEvent'] {
  return async (event) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
    if (!response.ok) throw new Error(`event bus answered ${response.status}`);
  };
}

/**
 * Parses `--port N --region R --account-id A --s3-endpoint URL [--transcode --event-sink URL]`.
 * `--transcode` runs jobs with ffmpeg, reading and writing through `--s3-endpoint`, and posts their events to `--event-sink`.
 */
export function parseCliArgs(argv: readonly string[]): MediaConvertStubOptions {
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
    ...(value('--s3-endpoint') !== undefined ? { reader: s3Reader(value('--s3-endpoint')!, value('--region')) } : {}),
    ...(argv.includes('--transcode')
      ? { transcode: transcodeOptions(value('--s3-endpoint'), value('--event-sink'), value('--region')) }
      : {}),
  };
}

function transcodeOptions(s3Endpoint: string | undefined, eventSink: string | undefined, region: string | undefined): TranscodeOptions {
  if (s3Endpoint === undefined || eventSink === undefined) throw new Error('--transcode needs --s3-endpoint and --event-sink');
  return { io: s3TranscodeIo(s3Endpoint, region), onEvent: postEvents(eventSink) };
}

async function main(): Promise<void> {
  const stub = await startMediaConvertStub(parseCliArgs(process.argv.slice(2)));
  process.stdout.write(`${JSON.stringify({ url: stub.url })}\n`);
  const stop = (): void => {
    stub.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`mediaconvert-stub: close failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
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
