import { spawn } from 'node:child_process';
import path from 'node:path';

/** What a handler invocation returned or threw, plus its log lines. */
export interface Invocation {
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: { name: string; message: string };
  readonly logs: Record<string, unknown>[];
}

// Runs in a fresh Node process, like a Lambda cold start: env first, then require.
const RUNNER = `
const { handler } = require(process.argv[1]);
let input = '';
process.stdin.on('data', (d) => (input += d)).on('end', async () => {
  let outcome;
  try { outcome = { ok: true, result: await handler(JSON.parse(input), { awsRequestId: 'e2e' }) }; }
  catch (e) { outcome = { ok: false, error: { name: e.name, message: e.message } }; }
  process.stdout.write('\\n@@RESULT ' + JSON.stringify(outcome) + '\\n');
});`;

/**
 * Invokes `index.handler` of an unpacked Lambda bundle with `event`, in its own process.
 * Asynchronous on purpose: the MediaConvert stand-in it calls runs in this process.
 */
export function invokeBundledHandler(
  bundleDir: string,
  event: unknown,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<Invocation> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', RUNNER, path.join(bundleDir, 'index.js')], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const lines = stdout.split('\n');
      const resultLine = lines.find((l) => l.startsWith('@@RESULT '));
      if (!resultLine) {
        reject(new Error(`handler in ${bundleDir} produced no result (exit ${code}):\n${stderr}\n${stdout}`));
        return;
      }
      const logs = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
      resolve({ ...(JSON.parse(resultLine.slice('@@RESULT '.length)) as Omit<Invocation, 'logs'>), logs });
    });
    child.stdin.end(JSON.stringify(event));
  });
}
