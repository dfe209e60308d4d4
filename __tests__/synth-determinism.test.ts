import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../stacks/lib/project-paths';

const COPY_EXCLUDES = new Set(['node_modules', 'cdktf.out', '.git', '.local', 'coverage']);

/** Every file below `dir`, as relative path → bytes. */
function readTree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (current: string) => {
    for (const name of readdirSync(current)) {
      const full = path.join(current, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.set(path.relative(dir, full), readFileSync(full));
    }
  };
  walk(dir);
  return files;
}

/** Runs `npm run synth`'s app command (cdktf.json) in a checkout, into `outdir`, with its own temp folder. */
function synthIn(checkout: string, outdir: string, tmpdir: string): Map<string, Buffer> {
  mkdirSync(tmpdir, { recursive: true });
  execFileSync(process.execPath, ['scripts/run-app.mjs'], {
    cwd: checkout,
    env: { ...process.env, CDKTF_OUTDIR: outdir, PIPELINE_ENVIRONMENTS: '', TMPDIR: tmpdir },
    stdio: 'pipe',
  });
  return readTree(outdir);
}

describe('synth output', () => {
  let workDir: string;
  let first: Map<string, Buffer>;
  let second: Map<string, Buffer>;
  let elsewhere: Map<string, Buffer>;
  let otherCheckout: string;

  beforeAll(() => {
    // Prepare: a second checkout at another path, sharing node_modules.
    workDir = mkdtempSync(path.join(os.tmpdir(), 'vod-determinism-'));
    otherCheckout = path.join(workDir, 'another', 'checkout');
    cpSync(PROJECT_ROOT, otherCheckout, { recursive: true, filter: (src) => !COPY_EXCLUDES.has(path.basename(src)) });
    symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(otherCheckout, 'node_modules'), 'dir');

    // Act
    first = synthIn(PROJECT_ROOT, path.join(workDir, 'out-1'), path.join(workDir, 'tmp-1'));
    second = synthIn(PROJECT_ROOT, path.join(workDir, 'out-2'), path.join(workDir, 'tmp-2'));
    elsewhere = synthIn(otherCheckout, path.join(workDir, 'out-3'), path.join(workDir, 'tmp-3'));
  }, 120_000);

  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('holds the state stack and one stack per environment, with Lambda assets', () => {
    const stacks = new Set([...first.keys()].map((f) => f.split(path.sep)[1]));

    expect([...stacks].sort()).toEqual(['state', 'vod-dev', 'vod-local', 'vod-prod']);
    expect([...first.keys()].some((f) => f.includes(`${path.sep}assets${path.sep}`))).toBe(true);
  });

  it('is byte-identical across two runs', () => {
    expect([...second.keys()].sort()).toEqual([...first.keys()].sort());
    for (const [file, bytes] of first) expect({ file, same: bytes.equals(second.get(file)!) }).toEqual({ file, same: true });
  });

  it('is byte-identical across two checkout locations', () => {
    expect([...elsewhere.keys()].sort()).toEqual([...first.keys()].sort());
    for (const [file, bytes] of first) expect({ file, same: bytes.equals(elsewhere.get(file)!) }).toEqual({ file, same: true });
  });

  it('leaves no bundle or zip directory in the temp folder once the synth process has exited', () => {
    // (tsx keeps its own compile cache there; that is not ours to remove.)
    for (const tmp of ['tmp-1', 'tmp-2', 'tmp-3']) {
      const ours = readdirSync(path.join(workDir, tmp)).filter((name) => name.startsWith('vod-'));
      expect({ tmp, ours }).toEqual({ tmp, ours: [] });
    }
  });

  it('holds no absolute path of this machine', () => {
    const machinePaths = [PROJECT_ROOT, otherCheckout, os.tmpdir(), os.homedir()].filter((p) => p.length > 1);
    for (const [file, bytes] of first) {
      const text = bytes.toString('latin1');
      for (const machinePath of machinePaths) expect({ file, leaks: text.includes(machinePath) }).toEqual({ file, leaks: false });
    }
  });
});
