/**
 * The burst benchmark: many distinct uploads through the bundled submit handler, run as Lambda
 * runs it asynchronously (concurrent execution environments, retries after one and two
 * minutes of simulated time, a dead-letter list), against moto and the MediaConvert stand-in,
 * with transient faults injected at the network on some uploads and duplicate deliveries of others.
 *
 * `npm run bench` runs it as a process (scripts never import test doubles):
 * `tsx __tests__/support/bench/burst.ts --seed N` prints its report and exits 1 when the target is missed.
 */
import path from 'node:path';
import { deriveAssetId } from '../../../lambda-src/jobs/keys';
import { bundleLambda } from '../../../stacks/lib/lambda-bundle';
import { s3Event, s3Record } from '../../fixtures/s3-events';
import { AsyncLambda } from '../faults/async-lambda';
import { createJob, writesStatus } from '../faults/matchers';
import type { CallMatcher, FaultAction, ProxiedCall } from '../faults/proxy';
import { RigTiming, startFaultRig } from '../faults/rig';

export interface BurstOptions {
  readonly uploads: number;
  /** Share of uploads with one injected transient fault. */
  readonly faultRate: number;
  /** Share of uploads delivered twice. */
  readonly duplicateRate: number;
  /** Execution environments at once (the function's reserved concurrency). */
  readonly concurrency: number;
  readonly seed: number;
  /** The bundled handler to run. @default - the submit-job bundle of this checkout */
  readonly entry?: string;
}

export interface BurstResult {
  readonly uploads: number;
  /** S3 events delivered: uploads plus duplicate deliveries. */
  readonly deliveries: number;
  readonly invocations: number;
  /** Jobs MediaConvert created for the burst's uploads. */
  readonly jobs: number;
  /** Jobs beyond the first of an upload. */
  readonly duplicates: number;
  /** Uploads with no job, no FAILED record and no dead-lettered delivery: silently lost. */
  readonly lost: number;
  /** Uploads with no job whose deliveries were all dead-lettered. */
  readonly deadLettered: number;
  readonly faultsInjected: Readonly<Record<string, number>>;
  readonly duplicateDeliveries: Readonly<Record<string, number>>;
  readonly wallSeconds: number;
  readonly simulatedSeconds: number;
}

/** A small seeded PRNG (mulberry32), so a run can be repeated. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The function's timing: the default 60 s / 10 s ratio, shrunk so a hung call costs seconds, not minutes. */
const TIMING: RigTiming = { timeoutMs: 6_000, requestTimeoutMs: 1_000 };

const FAULTS: ReadonlyArray<{ name: string; call: 'claim' | 'CreateJob' | 'SUBMITTED'; action: FaultAction; times: number }> = [
  { name: 'claim throttled', call: 'claim', action: { kind: 'throttle' }, times: 1 },
  { name: 'claim answer lost', call: 'claim', action: { kind: 'lose-answer' }, times: 1 },
  { name: 'CreateJob throttled', call: 'CreateJob', action: { kind: 'throttle' }, times: 2 },
  { name: 'CreateJob 5xx, one invocation', call: 'CreateJob', action: { kind: 'server-error' }, times: 5 },
  { name: 'CreateJob answer lost, every attempt', call: 'CreateJob', action: { kind: 'lose-answer' }, times: 5 },
  { name: 'CreateJob hung after creating', call: 'CreateJob', action: { kind: 'hang', apply: true }, times: 1 },
  { name: 'SUBMITTED write 5xx', call: 'SUBMITTED', action: { kind: 'server-error' }, times: 2 },
  { name: 'SUBMITTED answer lost', call: 'SUBMITTED', action: { kind: 'lose-answer' }, times: 1 },
];

/** When a duplicate delivery arrives, after the first. */
const DUPLICATES: ReadonlyArray<{ name: string; afterMs: number }> = [
  { name: 'at once', afterMs: 0 },
  { name: 'during the backoff (+30 s)', afterMs: 30_000 },
  { name: 'after the token window (+3 min)', afterMs: 180_000 },
];

function faultMatcher(call: 'claim' | 'CreateJob' | 'SUBMITTED', key: string, assetId: string): CallMatcher {
  const ofAsset = (proxied: ProxiedCall) => (proxied.json?.Key as { assetId?: { S?: string } } | undefined)?.assetId?.S === assetId;
  if (call === 'CreateJob') return createJob(key);
  return writesStatus(call === 'claim' ? 'SUBMITTING' : 'SUBMITTED', ofAsset);
}

/** Runs one burst and counts what became of every upload. */
export async function runBurst(options: BurstOptions): Promise<BurstResult> {
  const random = seededRandom(options.seed);
  const rig = await startFaultRig();
  const fn = new AsyncLambda({
    entry: options.entry ?? path.join(bundleLambda('submit-job').directory, 'index.js'),
    env: rig.submitEnv(TIMING),
    clock: rig.clock,
    timeoutMs: TIMING.timeoutMs,
    retryAttempts: 2,
    concurrency: options.concurrency,
  });
  const faultsInjected: Record<string, number> = {};
  const duplicateDeliveries: Record<string, number> = {};
  try {
    const start = rig.clock.now();
    const uploads = Array.from({ length: options.uploads }, (_, i) => {
      const key = `burst/clip-${String(i).padStart(5, '0')}.mp4`;
      return {
        key,
        assetId: deriveAssetId({ bucket: 'source-bucket', key, versionId: 'v1' }),
        event: s3Event([s3Record({ key, versionId: 'v1' })]),
      };
    });
    let deliveries = 0;
    for (const upload of uploads) {
      if (random() < options.faultRate) {
        const fault = FAULTS[Math.floor(random() * FAULTS.length)]!;
        const proxy = fault.call === 'CreateJob' ? rig.mediaconvertProxy : rig.awsProxy;
        proxy.inject({ match: faultMatcher(fault.call, upload.key, upload.assetId), action: fault.action, times: fault.times });
        faultsInjected[fault.name] = (faultsInjected[fault.name] ?? 0) + 1;
      }
      fn.send(upload.event);
      deliveries += 1;
      if (random() < options.duplicateRate) {
        const duplicate = DUPLICATES[Math.floor(random() * DUPLICATES.length)]!;
        fn.send(upload.event, { at: start + duplicate.afterMs });
        duplicateDeliveries[duplicate.name] = (duplicateDeliveries[duplicate.name] ?? 0) + 1;
        deliveries += 1;
      }
    }

    const wallStart = process.hrtime.bigint();
    await fn.drain();
    const wallSeconds = Number(process.hrtime.bigint() - wallStart) / 1e9;

    const jobsByAsset = new Map<string, number>();
    for (const job of rig.mediaconvert.jobs.values()) {
      const assetId = job.userMetadata.assetId;
      if (assetId !== undefined) jobsByAsset.set(assetId, (jobsByAsset.get(assetId) ?? 0) + 1);
    }
    const records = new Map((await rig.records()).map((record) => [record.assetId, record]));
    const deadLetteredKeys = new Set(fn.deadLetters.map((letter) => JSON.stringify(letter.event)));
    let jobs = 0;
    let duplicates = 0;
    let lost = 0;
    let deadLettered = 0;
    for (const upload of uploads) {
      const count = jobsByAsset.get(upload.assetId) ?? 0;
      jobs += count;
      duplicates += Math.max(0, count - 1);
      if (count > 0 || records.get(upload.assetId)?.status === 'FAILED') continue;
      if (deadLetteredKeys.has(JSON.stringify(upload.event))) deadLettered += 1;
      else lost += 1;
    }
    return {
      uploads: uploads.length,
      deliveries,
      invocations: fn.invocations.length,
      jobs,
      duplicates,
      lost,
      deadLettered,
      faultsInjected,
      duplicateDeliveries,
      wallSeconds,
      simulatedSeconds: (rig.clock.now() - start) / 1000,
    };
  } finally {
    await fn.close();
    await rig.close();
  }
}

/** The report `npm run bench` prints: counts, rate, and whether the target was met. */
export function formatBurstReport(seed: number, result: BurstResult): { lines: string[]; met: boolean } {
  const met = result.jobs === result.uploads - result.deadLettered && result.duplicates === 0 && result.lost === 0;
  const list = (counts: Readonly<Record<string, number>>) =>
    Object.entries(counts)
      .map(([name, n]) => `${name} ${n}`)
      .join(', ');
  const lines = [
    `burst (seed ${seed}): uploads ${result.uploads}, jobs ${result.jobs}, duplicates ${result.duplicates}, lost ${result.lost}, dead-lettered ${result.deadLettered}`,
    `  ${result.deliveries} deliveries, ${result.invocations} invocations in ${result.wallSeconds.toFixed(1)} s: ${(result.deliveries / result.wallSeconds).toFixed(1)} events per second (${result.simulatedSeconds.toFixed(0)} s simulated)`,
    `  faults injected: ${list(result.faultsInjected)}`,
    `  duplicate deliveries: ${list(result.duplicateDeliveries)}`,
    `  target jobs = uploads - dead-lettered, 0 duplicates, 0 lost: ${met ? 'met' : 'MISSED'}`,
  ];
  return { lines, met };
}

if (require.main === module) {
  const seedIndex = process.argv.indexOf('--seed');
  const seed = seedIndex === -1 ? 20261125 : Number(process.argv[seedIndex + 1]);
  runBurst({ uploads: 1000, faultRate: 0.1, duplicateRate: 0.1, concurrency: 10, seed }).then(
    (result) => {
      const report = formatBurstReport(seed, result);
      process.stdout.write(`${report.lines.join('\n')}\n`);
      if (!report.met) process.exitCode = 1;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
