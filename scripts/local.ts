/**
 * `npm run local:up`: start moto and the MediaConvert stand-in on free loopback ports,
 * synthesize the `local` environment, `terraform init` from the offline mirror, apply,
 * print the outputs. `npm run local:down`: destroy and stop both servers.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../stacks/lib/project-paths';
import { deployLocalStack, destroyLocalStack, freePort, startMoto } from './lib/local-env';
import { MissingToolError, requireTerraform, findProviderMirror } from './lib/terraform';
import { requireMoto } from './lib/tools';

const WORK_DIR = path.join(PROJECT_ROOT, '.local', 'emulator');
const STATE_FILE = path.join(WORK_DIR, 'servers.json');

interface Servers {
  readonly motoPid: number;
  readonly stubPid: number;
  readonly stackDir: string;
  readonly cliConfig: string;
}

async function startStubDetached(s3Endpoint: string): Promise<{ url: string; pid: number }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      path.join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
      path.join(PROJECT_ROOT, '__tests__', 'support', 'mediaconvert', 'cli.ts'),
      '--port',
      String(port),
      // Probe reads uploads from moto's S3.
      '--s3-endpoint',
      s3Endpoint,
    ],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve((JSON.parse(d.toString()) as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`MediaConvert stand-in exited with ${code}`)));
  });
  child.stdout!.destroy();
  child.unref();
  return { url, pid: child.pid! };
}

/** Progress goes to stderr, so stdout carries only the final JSON (pipe it to jq). */
function progress(message: string): void {
  process.stderr.write(`local: ${message}\n`);
}

function stop(pid: number): void {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

async function up(): Promise<void> {
  requireTerraform();
  findProviderMirror();
  requireMoto();
  if (existsSync(STATE_FILE)) throw new Error(`A local deployment is already up (${STATE_FILE}); run \`npm run local:down\` first.`);
  mkdirSync(WORK_DIR, { recursive: true });
  progress('starting moto');
  const moto = await startMoto({ detached: true });
  progress(`moto is up on ${moto.url}; starting the MediaConvert stand-in`);
  const stub = await startStubDetached(moto.url);
  progress(`MediaConvert stand-in is up on ${stub.url}`);
  try {
    const deployment = await deployLocalStack({ workDir: WORK_DIR, awsEndpoint: moto.url, mediaconvertEndpoint: stub.url, progress });
    const servers: Servers = { motoPid: moto.pid, stubPid: stub.pid, stackDir: deployment.stackDir, cliConfig: deployment.cliConfig };
    writeFileSync(STATE_FILE, JSON.stringify(servers, null, 2));
    progress('done; the stack outputs follow (docs/local-emulator.md says what to do with them)');
    console.log(JSON.stringify({ emulator: moto.url, mediaconvert: stub.url, outputs: deployment.outputs }, null, 2));
  } catch (error) {
    stop(moto.pid);
    stop(stub.pid);
    throw error;
  }
}

async function down(): Promise<void> {
  if (!existsSync(STATE_FILE)) {
    console.log('Nothing is up.');
    return;
  }
  const servers = JSON.parse(readFileSync(STATE_FILE, 'utf8')) as Servers;
  try {
    progress('terraform destroy (about 60 s)');
    await destroyLocalStack(servers, progress);
  } finally {
    progress('stopping moto and the MediaConvert stand-in');
    stop(servers.motoPid);
    stop(servers.stubPid);
    rmSync(WORK_DIR, { recursive: true, force: true });
  }
  console.log('Destroyed the local stack and stopped the emulators.');
}

const command = process.argv[2];
(command === 'up' ? up() : command === 'down' ? down() : Promise.reject(new Error('usage: tsx scripts/local.ts up|down'))).catch(
  (error: unknown) => {
    console.error(error instanceof MissingToolError ? `Missing tool: ${error.message}` : error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
