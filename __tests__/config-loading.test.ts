/**
 * The config schema reads every default from contracts/defaults, so loading it (as `npm run
 * estimate` does) loads no construct and no provider class.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

/** Loads `module` in a fresh Node process (through tsx, as the scripts run) and lists every file it loaded. */
function filesLoadedBy(module: string): string[] {
  const script = `require(${JSON.stringify(path.join(ROOT, module))}); process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`loading ${module} failed:\n${run.stderr}`);
  return JSON.parse(run.stdout) as string[];
}

describe('loading the config schema', () => {
  it.each(['stacks/config.ts', 'stacks/environments.ts', 'scripts/lib/estimate.ts'])(
    '%s loads no construct, no provider class and no cdktf',
    (module) => {
      // Act
      const loaded = filesLoadedBy(module).map((file) => path.relative(ROOT, file));

      // Assess
      expect(loaded).toContain(module);
      expect(loaded.filter((file) => /node_modules[\\/](@cdktf|cdktf|constructs)[\\/]/.test(file))).toEqual([]);
      expect(loaded.filter((file) => file.startsWith(`stacks${path.sep}constructs`))).toEqual([]);
    },
  );

  it('the test itself can see a provider class being loaded', () => {
    // Act
    const loaded = filesLoadedBy('stacks/constructs/jobs-table.ts');

    // Assess
    expect(loaded.some((file) => /node_modules[\\/]@cdktf[\\/]provider-aws[\\/]/.test(file))).toBe(true);
  });
});
