/**
 * `npm run local:up`: the pipeline, living, on this machine. Starts moto and the MediaConvert
 * stand-in (transcoding with ffmpeg) on free loopback ports, synthesizes and applies the `local`
 * environment, prints one JSON document (endpoints, distribution, stack outputs) on stdout, then
 * keeps running: uploads run the deployed submit function, job events run job-events, the sweep
 * runs on its schedule, and a local distribution serves the outputs. One line per upload and job
 * on stderr. Ctrl-C stops everything cleanly.
 * `npm run local:down`: stops a running `local:up` (or cleans up after one that was killed).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { PROJECT_ROOT } from '../stacks/lib/project-paths';
import { PLAYER_PAGE, playerUrl } from '../stacks/lib/player-paths';
import { loadEmbeddedEnvironments } from '../stacks/environments';
import { deployLocalStack, destroyLocalStack, freePort, MotoServer, startMoto } from './lib/local-env';
import { startLocalDistribution } from './lib/local-distribution';
import { startEventBus } from './lib/local-runtime/event-bus';
import { EMULATOR_CREDENTIALS, progressLine, startLocalRuntime } from './lib/local-runtime/pipeline';
import { LOCAL_DOCUMENT, LOCAL_WORK_DIR, LocalDocument } from './lib/local-paths';
import { MissingToolError, requireTerraform, findProviderMirror } from './lib/terraform';
import { requireFfmpeg, requireMoto } from './lib/tools';

const WORK_DIR = LOCAL_WORK_DIR;
const STATE_FILE = path.join(WORK_DIR, 'servers.json');
const REGION = 'us-east-1';
const ACCOUNT_ID = '123456789012';

interface Servers {
  /** The `local:up` process that owns everything below. */
  readonly ownerPid: number;
  readonly motoPid: number;
  readonly stubPid?: number;
  readonly stackDir?: string;
  readonly cliConfig?: string;
}

/** Progress goes to stderr, so stdout carries only the JSON document (pipe it to jq). */
function progress(message: string): void {
  process.stderr.write(`local: ${message}\n`);
}

function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function stop(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

async function startStub(s3Endpoint: string, eventSink: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      path.join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
      path.join(PROJECT_ROOT, '__tests__', 'support', 'mediaconvert', 'cli.ts'),
      '--port',
      String(port),
      '--region',
      REGION,
      // Probe reads uploads from moto's S3; jobs transcode with ffmpeg into moto's S3 and post their events to the local bus.
      '--s3-endpoint',
      s3Endpoint,
      '--transcode',
      '--event-sink',
      eventSink,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve((JSON.parse(d.toString()) as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`MediaConvert stand-in exited with ${code}`)));
  });
  return { url, child };
}

function corsAllowedOrigins(): readonly string[] {
  const local = loadEmbeddedEnvironments({ PIPELINE_ENVIRONMENTS: 'local' }).find((c) => c.environment === 'local');
  return local?.delivery.corsAllowedOrigins ?? ['*'];
}

async function up(): Promise<void> {
  requireTerraform();
  findProviderMirror();
  requireMoto();
  requireFfmpeg();
  if (existsSync(STATE_FILE)) {
    const previous = JSON.parse(readFileSync(STATE_FILE, 'utf8')) as Servers;
    if (alive(previous.ownerPid))
      throw new Error(`A local pipeline is already up (process ${previous.ownerPid}); run \`npm run local:down\` first.`);
    progress('cleaning up after a local:up that did not stop cleanly');
    stop(previous.motoPid);
    stop(previous.stubPid);
    rmSync(WORK_DIR, { recursive: true, force: true });
  }
  mkdirSync(WORK_DIR, { recursive: true });
  const cleanups: (() => Promise<void> | void)[] = [];
  let stopping = false;
  const shutdown = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      progress('stopping');
      for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
      rmSync(WORK_DIR, { recursive: true, force: true });
    }
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  try {
    progress('starting moto (policy conditions evaluated as AWS does: scripts/lib/moto_server.py)');
    const moto: MotoServer = await startMoto({ awsConditionRule: true });
    cleanups.push(() => moto.stop());
    const config = { region: REGION, endpoint: moto.url, credentials: EMULATOR_CREDENTIALS };
    const events = new EventBridgeClient(config);
    const s3 = new S3Client({ ...config, forcePathStyle: true });
    cleanups.push(() => {
      events.destroy();
      s3.destroy();
    });
    const bus = await startEventBus({
      events,
      onError: (error) => progress(`event routing failed: ${error.message}`),
      observe: (event) => {
        const text = progressLine(event);
        if (text) progress(text);
      },
    });
    cleanups.push(() => bus.close());
    progress(`moto is up on ${moto.url}; starting the MediaConvert stand-in (ffmpeg)`);
    const stub = await startStub(moto.url, bus.url);
    cleanups.push(() => void stub.child.kill('SIGTERM'));
    const servers: Servers = { ownerPid: process.pid, motoPid: moto.pid, stubPid: stub.child.pid! };
    writeFileSync(STATE_FILE, JSON.stringify(servers, null, 2));
    progress(`MediaConvert stand-in is up on ${stub.url}`);

    const deployment = await deployLocalStack({ workDir: WORK_DIR, awsEndpoint: moto.url, mediaconvertEndpoint: stub.url, progress });
    writeFileSync(STATE_FILE, JSON.stringify({ ...servers, stackDir: deployment.stackDir, cliConfig: deployment.cliConfig }, null, 2));
    const outputs = deployment.outputs;
    const distribution = await startLocalDistribution({ s3, bucket: outputs.output_bucket!, allowedOrigins: corsAllowedOrigins() });
    cleanups.push(() => distribution.close());
    const runtime = await startLocalRuntime({
      stackDir: deployment.stackDir,
      workDir: WORK_DIR,
      region: REGION,
      accountId: ACCOUNT_ID,
      motoUrl: moto.url,
      mediaconvertUrl: stub.url,
      distributionUrl: distribution.url,
      outputs,
      bus,
      playerUrl: (assetId) => (outputs.player_url ? playerUrl(distribution.url, assetId) : undefined),
      log: progress,
    });
    cleanups.push(() => runtime.close());
    const document: LocalDocument = {
      environment: 'local',
      region: REGION,
      emulator: moto.url,
      mediaconvert: stub.url,
      distribution: distribution.url,
      ...(outputs.player_url ? { player: `${distribution.url}/${PLAYER_PAGE}` } : {}),
      outputs,
    };
    writeFileSync(LOCAL_DOCUMENT, JSON.stringify(document, null, 2));
    progress('up; the document follows on stdout. Upload with `npm run upload -- <file> --env local`. Ctrl-C stops everything.');
    process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  } catch (error) {
    progress(error instanceof Error ? error.message : String(error));
    await shutdown(1);
  }
}

async function down(): Promise<void> {
  if (!existsSync(STATE_FILE)) {
    console.log('Nothing is up.');
    return;
  }
  const servers = JSON.parse(readFileSync(STATE_FILE, 'utf8')) as Servers;
  if (alive(servers.ownerPid)) {
    progress(`stopping local:up (process ${servers.ownerPid})`);
    stop(servers.ownerPid);
    const deadline = Date.now() + 60_000;
    while (alive(servers.ownerPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  } else {
    try {
      if (alive(servers.motoPid) && servers.stackDir && servers.cliConfig) {
        progress('terraform destroy (about 60 s)');
        await destroyLocalStack({ stackDir: servers.stackDir, cliConfig: servers.cliConfig }, progress);
      }
    } finally {
      stop(servers.motoPid);
      stop(servers.stubPid);
    }
  }
  rmSync(WORK_DIR, { recursive: true, force: true });
  console.log('Stopped the local pipeline and the emulators.');
}

const command = process.argv[2];
(command === 'up' ? up() : command === 'down' ? down() : Promise.reject(new Error('usage: tsx scripts/local.ts up|down'))).catch(
  (error: unknown) => {
    console.error(error instanceof MissingToolError ? `Missing tool: ${error.message}` : error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
