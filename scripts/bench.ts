/**
 * Prints performance ratios from one run (ratios, not absolute timings, so machines compare):
 * - full-app synth time / synth time of a one-bucket cdktf app (target <= 1.3);
 * - cold require of the submit bundle / require of an empty file, and the bundle size (target <= 600 KB);
 * - jest wall time of the unit tier (target <= 20 s), the integration tier and the end-to-end tier;
 * - estimated MediaConvert cost per source minute of the per-source plan against the per-source plan
 *   at 31d5fa9 (a frozen table) and the old fixed job with PREFERRED acceleration, for a fixed corpus
 *   of sources (scripts/lib/cost-report.ts).
 *
 * - a burst of 1,000 uploads with about 10% transient faults and 10% duplicate deliveries through the
 *   bundled submit handler at a concurrency of 10 (target: jobs = uploads - dead-lettered, 0 duplicates, 0 lost).
 *
 * `npx tsx scripts/bench.ts --only cost` (or synth, bundle, jest, burst) runs one section; `--seed N` repeats a burst.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleLambda } from '../stacks/lib/lambda-bundle';
import { PROJECT_ROOT } from '../stacks/lib/project-paths';
import { costRows, formatCostTable, formatHdrLadderTable } from './lib/cost-report';
import { missingTools } from './lib/tools';

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

/** Wall time of `cdktf synth` (what `npm run synth` runs) for the app of a cdktf.json in `cwd`. */
function cdktfSynthMs(cwd: string, outdir: string): number {
  const cdktf = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'cdktf');
  const env = { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: '' };
  return median(
    Array.from({ length: RUNS }, () => timeMs(() => execFileSync(cdktf, ['synth', '--output', outdir], { cwd, env, stdio: 'ignore' }))),
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

/** Wall time of one jest run, and whether it passed: a failing tier is a figure too, not a crash. */
function jestRun(args: string[]): { ms: number; passed: boolean } {
  let passed = true;
  const ms = timeMs(() => {
    const run = spawnSync(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'jest'), args, { cwd: PROJECT_ROOT, stdio: 'ignore' });
    passed = run.status === 0;
  });
  return { ms, passed };
}

const verdict = (passed: boolean) => (passed ? '' : ' FAILED (run the tier for details)');

/** Every section that fails is printed as FAILED and the bench goes on; the exit code says one did. */
function section(name: string, run: () => void): void {
  try {
    run();
  } catch (error) {
    console.log(`${name}: FAILED: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    process.exitCode = 1;
  }
}

const SECTIONS = ['synth', 'bundle', 'jest', 'cost', 'burst'] as const;
const onlyIndex = process.argv.indexOf('--only');
const only = onlyIndex === -1 ? undefined : process.argv[onlyIndex + 1];
if (only !== undefined && !(SECTIONS as readonly string[]).includes(only)) {
  throw new Error(`--only ${only}: use one of ${SECTIONS.join(', ')}`);
}
const runs = (section: (typeof SECTIONS)[number]) => only === undefined || only === section;

const work = mkdtempSync(path.join(os.tmpdir(), 'vod-bench-'));
const baselineDir = path.join(PROJECT_ROOT, '.local', 'bench');
mkdirSync(baselineDir, { recursive: true });
try {
  if (runs('synth')) section('synth', benchSynth);
  if (runs('bundle')) section('submit bundle', benchBundle);
  if (runs('jest')) section('jest', benchJest);
  if (runs('cost')) {
    section('cost', () => {
      const table = formatCostTable(costRows());
      console.log(
        "MediaConvert cost per source minute: this per-source plan, the per-source plan at 31d5fa9 (issue 19's starting point, frozen), and the old fixed job with PREFERRED acceleration:",
      );
      console.log(table);
      console.log("\nWhat the opt-in HDR ladder (transcoding.hdr: 'hevc-ladder') adds for HDR sources, per source minute:");
      console.log(formatHdrLadderTable());
    });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
// Last: the burst runs its own emulators.
if (runs('burst')) {
  const seedIndex = process.argv.indexOf('--seed');
  section('burst', () => benchBurst(seedIndex === -1 ? 20261125 : Number(process.argv[seedIndex + 1])));
}

function benchSynth(): void {
  // 1. Synth: `npm run synth` against the smallest useful cdktf app in the same style (same CLI, same app command).
  const oneBucketDir = path.join(baselineDir, 'one-bucket');
  mkdirSync(oneBucketDir, { recursive: true });
  writeFileSync(
    path.join(oneBucketDir, 'main.ts'),
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
  const appCommand = `node ${path.join(PROJECT_ROOT, 'scripts', 'run-app.mjs')} ${path.join(oneBucketDir, 'main.ts')}`;
  writeFileSync(path.join(oneBucketDir, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: appCommand }));
  const baseline = cdktfSynthMs(oneBucketDir, path.join(work, 'one'));
  const full = cdktfSynthMs(PROJECT_ROOT, path.join(work, 'full'));
  console.log(
    `synth (cdktf synth, median of ${RUNS}): full app ${full.toFixed(0)} ms / one-bucket app ${baseline.toFixed(0)} ms = ${(full / baseline).toFixed(2)}x (target <= 1.3x)`,
  );
}

function benchBundle(): void {
  // 2. The submit bundle: size and cold require.
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

function benchJest(): void {
  // 3. Test tiers: unit (in-process and synth), integration (moto, terraform validate), e2e (terraform apply, consumer package).
  const unit = jestRun(['--testPathIgnorePatterns', 'integration', 'e2e']);
  console.log(
    `jest wall time, unit tier (no emulator, no terraform): ${(unit.ms / 1000).toFixed(1)} s (target <= 20 s)${verdict(unit.passed)}`,
  );
  const reason = missingTools(['terraform', 'mirror', 'moto']);
  if (reason) {
    console.log(`jest wall time, integration and e2e tiers: skipped: ${reason}`);
    return;
  }
  const integration = jestRun(['__tests__/integration']);
  console.log(
    `jest wall time, integration tier (moto, terraform validate): ${(integration.ms / 1000).toFixed(1)} s${verdict(integration.passed)}`,
  );
  const e2e = jestRun(['__tests__/e2e']);
  console.log(
    `jest wall time, e2e tier (terraform applies to moto, the consumer package): ${(e2e.ms / 1000).toFixed(1)} s${verdict(e2e.passed)}`,
  );
  const total = unit.ms + integration.ms + e2e.ms;
  console.log(`jest wall time, all tiers: ${(total / 1000).toFixed(1)} s / 300 s budget = ${(total / 300_000).toFixed(2)}x (target <= 1x)`);
}

function benchBurst(seed: number): void {
  // 5. A burst of uploads under transient faults and duplicate deliveries.
  const reason = missingTools(['moto']);
  if (reason) {
    console.log(`burst: skipped: ${reason}`);
    return;
  }
  // The harness drives the fault rig, a test double: it runs as its own process, never imported by a script.
  // It prints its own report; a missed target is its exit code, so the lines are printed either way.
  const run = spawnSync(
    path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'),
    [path.join(PROJECT_ROOT, '__tests__', 'support', 'bench', 'burst.ts'), '--seed', String(seed)],
    { cwd: PROJECT_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (run.stdout.trim() === '') throw new Error(run.stderr.trim().split('\n').at(-1) ?? `exit ${run.status}`);
  process.stdout.write(run.stdout);
  if (run.status !== 0) process.exitCode = 1;
}
