/**
 * The deployed Lambda functions, run locally: each zip terraform deployed is unpacked once, and
 * each invocation runs `index.handler` in a fresh Node process with the function's deployed
 * environment plus the emulator's endpoints and credentials. Asynchronous invocations are retried
 * as Lambda does (up to `maximum_retry_attempts`, here after seconds instead of minutes).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';

/** One function as deployed: its name, unpacked code and environment. */
export interface DeployedFunction {
  readonly name: string;
  readonly arn: string;
  readonly codeDir: string;
  readonly handler: string;
  readonly timeoutSeconds: number;
  readonly environment: Record<string, string>;
  readonly retryAttempts: number;
}

/** What one invocation did. */
export interface InvocationResult {
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: { readonly name: string; readonly message: string };
  readonly logs: string[];
}

const RUNNER = `
const [entry, handlerName] = process.argv.slice(1);
const handler = require(entry)[handlerName];
let input = '';
process.stdin.on('data', (d) => (input += d)).on('end', async () => {
  let outcome;
  const deadline = Date.now() + Number(process.env.AWS_LAMBDA_FUNCTION_TIMEOUT) * 1000;
  const context = { awsRequestId: process.env.LOCAL_REQUEST_ID, functionName: process.env.AWS_LAMBDA_FUNCTION_NAME, getRemainingTimeInMillis: () => deadline - Date.now() };
  try { outcome = { ok: true, result: await handler(JSON.parse(input), context) }; }
  catch (e) { outcome = { ok: false, error: { name: e.name, message: e.message } }; }
  process.stdout.write('\\n@@RESULT ' + JSON.stringify(outcome) + '\\n');
});`;

/** The zips terraform deployed, by function name, from the synthesized stack it applied. */
export function deployedZips(stackDir: string): Map<string, { zip: string; handler: string; retryAttempts: number }> {
  const config = JSON.parse(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as {
    resource: Record<string, Record<string, Record<string, unknown>>>;
  };
  const zips = new Map<string, { zip: string; handler: string; retryAttempts: number }>();
  const invokeConfigs = Object.values(config.resource.aws_lambda_function_event_invoke_config ?? {});
  for (const [id, fn] of Object.entries(config.resource.aws_lambda_function ?? {})) {
    if (typeof fn.filename !== 'string' || typeof fn.function_name !== 'string') continue;
    const invoke = invokeConfigs.find((c) => String(c.function_name).includes(`aws_lambda_function.${id}.`));
    zips.set(fn.function_name, {
      zip: path.resolve(stackDir, fn.filename),
      handler: String(fn.handler ?? 'index.handler'),
      retryAttempts: typeof invoke?.maximum_retry_attempts === 'number' ? invoke.maximum_retry_attempts : 2,
    });
  }
  return zips;
}

/** Unpacks each deployed zip and reads each function's deployed configuration from the emulator. */
export async function loadDeployedFunctions(args: {
  stackDir: string;
  workDir: string;
  lambda: LambdaClient;
  names: readonly string[];
}): Promise<Map<string, DeployedFunction>> {
  const zips = deployedZips(args.stackDir);
  const functions = new Map<string, DeployedFunction>();
  for (const name of args.names) {
    const zip = zips.get(name);
    if (!zip) throw new Error(`local runtime: no zip for function ${name} in ${args.stackDir}/cdk.tf.json`);
    const config = await args.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    const codeDir = path.join(args.workDir, 'functions', name);
    if (!existsSync(path.join(codeDir, 'index.js'))) {
      mkdirSync(codeDir, { recursive: true });
      execFileSync('unzip', ['-o', '-q', zip.zip, '-d', codeDir]);
    }
    functions.set(name, {
      name,
      arn: config.FunctionArn ?? name,
      codeDir,
      handler: config.Handler ?? zip.handler,
      timeoutSeconds: config.Timeout ?? 30,
      environment: config.Environment?.Variables ?? {},
      retryAttempts: zip.retryAttempts,
    });
  }
  return functions;
}

let requestCounter = 0;

/** Runs the handler once with `event`, in its own process (a cold start each time). */
export function invokeOnce(fn: DeployedFunction, event: unknown, runtimeEnv: Record<string, string>): Promise<InvocationResult> {
  const [file, handlerName] = [fn.handler.slice(0, fn.handler.lastIndexOf('.')), fn.handler.slice(fn.handler.lastIndexOf('.') + 1)];
  requestCounter += 1;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', RUNNER, path.join(fn.codeDir, `${file}.js`), handlerName], {
      env: {
        PATH: process.env.PATH ?? '',
        ...fn.environment,
        ...runtimeEnv,
        AWS_LAMBDA_FUNCTION_NAME: fn.name,
        AWS_LAMBDA_FUNCTION_TIMEOUT: String(fn.timeoutSeconds),
        LOCAL_REQUEST_ID: `local-${process.pid}-${requestCounter}`,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), fn.timeoutSeconds * 1000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      const lines = stdout.split('\n');
      const resultLine = lines.find((l) => l.startsWith('@@RESULT '));
      const logs = [
        ...lines.filter((l) => l.trim() !== '' && !l.startsWith('@@RESULT ')),
        ...stderr.split('\n').filter((l) => l.trim() !== ''),
      ];
      if (!resultLine) {
        resolve({
          ok: false,
          error: { name: 'Runtime.ExitError', message: `no result (timed out after ${fn.timeoutSeconds} s or crashed)` },
          logs,
        });
        return;
      }
      resolve({ ...(JSON.parse(resultLine.slice('@@RESULT '.length)) as Omit<InvocationResult, 'logs'>), logs });
    });
    child.stdin.end(JSON.stringify(event));
  });
}

/**
 * Lambda's asynchronous invocation: the first attempt, then up to `retryAttempts` retries after
 * `retryDelaysMs` (Lambda waits about one and two minutes; locally seconds), then the event is
 * reported as dead-lettered through `onDeadLetter`.
 */
export async function invokeAsync(
  fn: DeployedFunction,
  event: unknown,
  runtimeEnv: Record<string, string>,
  hooks: {
    onResult?: (result: InvocationResult, attempt: number) => void;
    retryDelaysMs?: readonly number[];
    sleep?: (ms: number) => Promise<void>;
  } = {},
): Promise<InvocationResult> {
  const delays = hooks.retryDelaysMs ?? [2_000, 4_000];
  const sleep = hooks.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let last: InvocationResult | undefined;
  for (let attempt = 0; attempt <= fn.retryAttempts; attempt += 1) {
    if (attempt > 0) await sleep(delays[attempt - 1] ?? delays[delays.length - 1] ?? 0);
    last = await invokeOnce(fn, event, runtimeEnv);
    hooks.onResult?.(last, attempt);
    if (last.ok) return last;
  }
  return last!;
}
