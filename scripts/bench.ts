/**
 * Prints performance ratios from one run (ratios, not absolute timings, so machines compare):
 * - synth: full-app synth time / synth time of a one-bucket cdktf app (target <= 1.3);
 * - bundle: cold require of the submit bundle / require of an empty file, and the bundle size (target <= 600 KB);
 * - tiers: jest wall time of the unit tier, and of the emulator end-to-end tier (target <= 180 s);
 * - burst: 1,000 uploads with about 10% transient faults and 10% duplicate deliveries through the
 *   bundled submit handler at a concurrency of 10 (target: jobs = uploads - dead-lettered, 0 duplicates, 0 lost).
 *
 * `npx tsx scripts/bench.ts --only burst` (or synth, bundle, tiers) runs one section.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleLambda } from '../stacks/lib/lambda-bundle';
import { PROJECT_ROOT } from '../stacks/lib/project-paths';
import { runBurst } from './lib/burst';
import { missingTools } from './lib/tools';

const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const RUNS = 5;

function timeMs(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function synthMs(entry: string, outdir: string): number {
  return median(
    Array.from({ length: RUNS }, () =>
      timeMs(() => execFileSync(TSX, [entry], { cwd: PROJECT_ROOT, env: { ...process.env, CDKTF_OUTDIR: outdir }, stdio: 'ignore' })),
    ),
  );
}

function requireMs(file: string): number {
  // A fresh process each time: what a Lambda cold start pays for loading the module.
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  return median(
    Array.from({ length: RUNS }, () =>
      Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, PIPELINE_ID: '' } })),
    ),
  );
}

function jestMs(args: string[]): number {
  return timeMs(() => execFileSync(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'jest'), args, { cwd: PROJECT_ROOT, stdio: 'ignore' }));
}

const SECTIONS = ['synth', 'bundle', 'tiers', 'burst'] as const;
type Section = (typeof SECTIONS)[number];

/** `--only <section>` (repeatable) and `--seed <n>` from the command line. */
function parseArgs(argv: readonly string[]): { sections: Section[]; seed: number } {
  const only = argv.flatMap((arg, i) => (arg === '--only' ? [argv[i + 1] ?? ''] : []));
  for (const name of only) {
    if (!(SECTIONS as readonly string[]).includes(name)) throw new Error(`--only ${name}: use one of ${SECTIONS.join(', ')}`);
  }
  const seedArg = argv[argv.indexOf('--seed') + 1];
  return { sections: only.length > 0 ? (only as Section[]) : [...SECTIONS], seed: argv.includes('--seed') ? Number(seedArg) : 20261125 };
}

async function burst(seed: number): Promise<void> {
  const reason = missingTools(['moto']);
  if (reason) {
    console.log(`burst: skipped: ${reason}`);
    return;
  }
  const result = await runBurst({ uploads: 1000, faultRate: 0.1, duplicateRate: 0.1, concurrency: 10, seed });
  const target = result.jobs === result.uploads - result.deadLettered && result.duplicates === 0 && result.lost === 0;
  console.log(
    [
      `burst (seed ${seed}): uploads ${result.uploads}, jobs ${result.jobs}, duplicates ${result.duplicates}, lost ${result.lost}, dead-lettered ${result.deadLettered}`,
      `  ${result.deliveries} deliveries, ${result.invocations} invocations in ${result.wallSeconds.toFixed(1)} s: ${(result.deliveries / result.wallSeconds).toFixed(1)} events per second (${result.simulatedSeconds.toFixed(0)} s simulated)`,
      `  faults injected: ${Object.entries(result.faultsInjected)
        .map(([name, n]) => `${name} ${n}`)
        .join(', ')}`,
      `  duplicate deliveries: ${Object.entries(result.duplicateDeliveries)
        .map(([name, n]) => `${name} ${n}`)
        .join(', ')}`,
      `  target jobs = uploads - dead-lettered, 0 duplicates, 0 lost: ${target ? 'met' : 'MISSED'}`,
    ].join('\n'),
  );
  if (!target) process.exitCode = 1;
}

async function main(): Promise<void> {
  const { sections, seed } = parseArgs(process.argv.slice(2));
  const run = (section: Section) => sections.includes(section);
  const work = mkdtempSync(path.join(os.tmpdir(), 'vod-bench-'));
  const baselineDir = path.join(PROJECT_ROOT, '.local', 'bench');
  mkdirSync(baselineDir, { recursive: true });
  try {
    // 1. Synth: the whole app against the smallest useful cdktf app.
    if (run('synth')) {
      const oneBucket = path.join(baselineDir, 'one-bucket.ts');
      writeFileSync(
        oneBucket,
        [
          "import { App, TerraformStack } from 'cdktf';",
          "import { AwsProvider } from '@cdktf/provider-aws/lib/provider';",
          "import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';",
          'const app = new App();',
          "const stack = new TerraformStack(app, 'one-bucket');",
          "new AwsProvider(stack, 'aws', { region: 'us-east-1' });",
          "new S3Bucket(stack, 'bucket', { bucket: 'one-bucket-bench' });",
          'app.synth();',
        ].join('\n'),
      );
      const baseline = synthMs(oneBucket, path.join(work, 'one'));
      const full = synthMs(path.join(PROJECT_ROOT, 'main.ts'), path.join(work, 'full'));
      console.log(
        `synth: full app ${full.toFixed(0)} ms / one-bucket app ${baseline.toFixed(0)} ms = ${(full / baseline).toFixed(2)}x (target <= 1.3x)`,
      );
    }

    // 2. The submit bundle: size and cold require.
    if (run('bundle')) {
      const bundle = bundleLambda('submit-job');
      const empty = path.join(work, 'empty.js');
      writeFileSync(empty, '');
      // The handler reads its environment at load and would throw; time the module evaluation up to there.
      const bundleFile = path.join(work, 'submit-bundle.js');
      writeFileSync(bundleFile, `try { require(${JSON.stringify(path.join(bundle.directory, 'index.js'))}); } catch {}`);
      const bundleRequire = requireMs(bundleFile);
      const emptyRequire = requireMs(empty);
      console.log(
        `submit bundle: ${(bundle.bytes / 1024).toFixed(0)} KB (target <= 600 KB); cold require ${bundleRequire.toFixed(1)} ms / empty file ${emptyRequire.toFixed(2)} ms = ${(bundleRequire / emptyRequire).toFixed(1)}x`,
      );
    }

    // 3. Test tiers.
    if (run('tiers')) {
      const unit = jestMs(['--testPathIgnorePatterns', 'e2e']);
      console.log(`jest wall time, unit tier (everything but e2e): ${(unit / 1000).toFixed(1)} s`);
      const reason = missingTools(['terraform', 'mirror', 'moto']);
      if (reason) console.log(`jest wall time, emulator e2e tier: skipped: ${reason}`);
      else console.log(`jest wall time, emulator e2e tier: ${(jestMs(['__tests__/e2e']) / 1000).toFixed(1)} s (target <= 180 s)`);
    }

    // 4. A burst of uploads under faults and duplicates.
    if (run('burst')) await burst(seed);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
