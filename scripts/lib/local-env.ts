import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { App } from 'cdktf';
import { buildApp } from '../../stacks/app';
import type { PipelineConfigInput } from '../../stacks/config';
import { loadEnvironments } from '../../stacks/environment-loader';
import { ENVIRONMENTS } from '../../stacks/environments';
import { synthApp } from './synth';
import { terraformOrThrow, writeTerraformCliConfig } from './terraform';

/** Name of the emulator stack that `synthApp` writes for PIPELINE_ENVIRONMENTS=local. */
export const LOCAL_STACK = 'vod-local';

/** A free TCP port on loopback, picked by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto exited with code ${child.exitCode} before answering on ${url}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`moto did not answer on ${url} within ${timeoutMs} ms`);
}

/** A running moto server; `stop()` ends it and waits for the exit. */
export interface MotoServer {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * Starts moto's server (through scripts/lib/moto_server.py: DynamoDB's conditional writes atomic, as
 * AWS applies them) on a free loopback port and waits until it answers.
 * @param detached keep it running after this process exits (for `npm run local:up`).
 */
export async function startMoto(
  options: {
    detached?: boolean;
    python?: string;
    /**
     * Also apply AWS's rule (scripts/lib/moto_server.py --aws-condition-rule) that a policy statement whose
     * condition does not hold does not apply (moto denies instead): the stacks' bucket policies then stay as deployed.
     * @default false
     */
    awsConditionRule?: boolean;
  } = {},
): Promise<MotoServer> {
  const port = await freePort();
  const entry = [path.join(__dirname, 'moto_server.py'), ...(options.awsConditionRule ? ['--aws-condition-rule'] : [])];
  const child = spawn(options.python ?? process.env.PYTHON ?? 'python3', [...entry, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: 'ignore',
    detached: options.detached ?? false,
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    // Generous: moto takes ~3 s to start on an idle machine, many times that on a busy one.
    await waitForHttp(`${url}/moto-api/`, child, 90_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  if (options.detached) child.unref();
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Where a local deployment keeps its synth output, CLI config and state. */
export interface LocalDeployment {
  readonly stackDir: string;
  readonly cliConfig: string;
  readonly outputs: Record<string, string>;
}

/**
 * Synthesizes the `local` environment against the given endpoints, then runs
 * `terraform init` (offline, from the provider mirror) and `apply`.
 */
export async function deployLocalStack(args: {
  workDir: string;
  awsEndpoint: string;
  mediaconvertEndpoint: string;
  /** Told each step, and each resource terraform finishes. @default - silent */
  progress?: (message: string) => void;
  /** Settings laid over the embedded `local` environment (a test's variant). @default - the embedded one */
  localSettings?: Partial<PipelineConfigInput>;
}): Promise<LocalDeployment> {
  const progress = args.progress ?? (() => undefined);
  const outdir = path.join(args.workDir, 'cdktf.out');
  mkdirSync(outdir, { recursive: true });
  progress('synthesizing the local environment');
  const overrides = {
    PIPELINE_ENVIRONMENTS: 'local',
    LOCAL_AWS_ENDPOINT: args.awsEndpoint,
    LOCAL_MEDIACONVERT_ENDPOINT: args.mediaconvertEndpoint,
  };
  if (args.localSettings === undefined) synthApp(outdir, overrides);
  else {
    const app = new App({ outdir });
    buildApp(app, loadEnvironments(overrides, { local: { ...ENVIRONMENTS.local!, ...args.localSettings } }));
    app.synth();
  }
  const stackDir = path.join(outdir, 'stacks', LOCAL_STACK);
  const cliConfig = writeTerraformCliConfig(path.join(args.workDir, 'terraform'));
  progress('terraform init (provider from the offline mirror)');
  await terraformOrThrow(['init', '-input=false', '-no-color'], stackDir, cliConfig);
  progress('terraform apply (about 70 s: the emulator settles lifecycle rules and queues slowly)');
  await terraformOrThrow(['apply', '-auto-approve', '-input=false', '-no-color'], stackDir, cliConfig, {}, resourceProgress(progress));
  return { stackDir, cliConfig, outputs: await readOutputs(stackDir, cliConfig) };
}

/** Passes on terraform's per-resource completion lines ("aws_s3_bucket.x: Creation complete after 1s"). */
function resourceProgress(progress: (message: string) => void): (line: string) => void {
  return (line) => {
    if (/: (Creation|Destruction|Modifications) complete/.test(line)) progress(`  ${line.trim()}`);
  };
}

/** `terraform output -json` as name → value. */
export async function readOutputs(stackDir: string, cliConfig: string): Promise<Record<string, string>> {
  const { stdout } = await terraformOrThrow(['output', '-json', '-no-color'], stackDir, cliConfig);
  const raw = JSON.parse(stdout) as Record<string, { value: string }>;
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.value]));
}

/** `terraform destroy` of a local deployment. */
export async function destroyLocalStack(
  deployment: Pick<LocalDeployment, 'stackDir' | 'cliConfig'>,
  progress: (message: string) => void = () => undefined,
): Promise<void> {
  await terraformOrThrow(
    ['destroy', '-auto-approve', '-input=false', '-no-color'],
    deployment.stackDir,
    deployment.cliConfig,
    {},
    resourceProgress(progress),
  );
}

/**
 * S3 backend settings that point Terraform's S3 backend (and `terraform_remote_state`)
 * at the emulator. Test and emulator only: never part of a real environment.
 */
export function emulatorS3BackendSettings(endpoint: string): Record<string, unknown> {
  return {
    endpoints: { s3: endpoint },
    use_path_style: true,
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    skip_s3_checksum: true,
    access_key: 'testing',
    secret_key: 'testing',
  };
}

/** Writes {@link emulatorS3BackendSettings} as a `-backend-config` file; returns its path. */
export function writeEmulatorBackendConfig(file: string, endpoint: string): string {
  const lines = Object.entries(emulatorS3BackendSettings(endpoint)).map(([key, value]) => `${key} = ${JSON.stringify(value)}`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
