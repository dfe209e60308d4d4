/**
 * Keeps a MediaConvert stand-in up for `npm run local:up`:
 * `npx tsx __tests__/support/mediaconvert/cli.ts --port 0` prints `{"url":"http://127.0.0.1:PORT"}`
 * and runs until SIGTERM or SIGINT.
 */
import { MediaConvertStubOptions, startMediaConvertStub } from './server';

/** Parses `--port N --region R --account-id A`. */
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
  };
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
