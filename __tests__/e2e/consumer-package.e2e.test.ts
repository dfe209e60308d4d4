import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { terraformOrThrow, writeTerraformCliConfig } from '../../scripts/lib/terraform';
import { PROJECT_ROOT } from '../../stacks/lib/project-paths';
import { describeWithTools } from '../support/tiers';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const ourPackage = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** The page whose samples a consumer project writes verbatim. */
const SAMPLES_PAGE = path.join('docs', 'using-the-package.md');

/** The code block that follows `<!-- consumer:<file> -->` in docs/using-the-package.md, verbatim. */
function readmeBlock(file: string): string {
  const page = readFileSync(path.join(PROJECT_ROOT, SAMPLES_PAGE), 'utf8');
  const marker = `<!-- consumer:${file} -->`;
  const start = page.indexOf(marker);
  const match = start === -1 ? null : /```ts\n([\s\S]*?)```/.exec(page.slice(start));
  if (match?.[1] === undefined) throw new Error(`${SAMPLES_PAGE} has no \`\`\`ts block after ${marker}`);
  return match[1];
}

/** A fresh project of a platform team: strict compiler options, its own jest, our tarball. */
function writeConsumerProject(dir: string, tarball: string): void {
  const pinned = (name: string) => ourPackage.devDependencies[name]!;
  const packageJson = {
    name: 'acme-media-platform',
    private: true,
    scripts: { build: 'tsc -p tsconfig.json', test: 'jest' },
    dependencies: {
      [ourPackage.name]: `file:${tarball}`,
      ...Object.fromEntries(Object.keys(ourPackage.peerDependencies).map((name) => [name, pinned(name)])),
    },
    devDependencies: Object.fromEntries(
      ['typescript', 'jest', '@types/jest', '@types/node', '@swc/core', '@swc/jest'].map((n) => [n, pinned(n)]),
    ),
  };
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(packageJson, null, 2));
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'node16',
          moduleResolution: 'node16',
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          noImplicitOverride: true,
          skipLibCheck: true,
          types: ['node', 'jest'],
          outDir: 'build',
        },
        include: ['main.ts', '__tests__/**/*.ts'],
      },
      null,
      2,
    ),
  );
  writeFileSync(
    path.join(dir, 'jest.config.js'),
    "module.exports = { testEnvironment: 'node', testMatch: ['**/__tests__/**/*.test.ts'], transform: { '^.+\\\\.ts$': ['@swc/jest'] } };\n",
  );
  writeFileSync(path.join(dir, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: 'node build/main.js' }, null, 2));
  mkdirSync(path.join(dir, '__tests__'));
  writeFileSync(path.join(dir, 'main.ts'), readmeBlock('main.ts'));
  writeFileSync(path.join(dir, '__tests__', 'media-bucket.test.ts'), readmeBlock('__tests__/media-bucket.test.ts'));
  copyFileSync(
    path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'consumer', 'pipeline.test.ts.txt'),
    path.join(dir, '__tests__', 'pipeline.test.ts'),
  );
}

/** Runs a command in the consumer project; a failure shows its whole output. */
function run(dir: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  try {
    return execFileSync(command, args, { cwd: dir, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, CI: 'true', ...env } });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${dir}:\n${e.stdout ?? ''}\n${e.stderr ?? ''}\n${e.message}`);
  }
}

// The package as a platform team gets it: `npm pack`, installed into a new project from the
// npm cache `npm ci` filled, then their compiler, their tests, their app and terraform.
describeWithTools('the packed package in a consumer project', ['terraform', 'mirror'], () => {
  let workDir: string;
  let consumer: string;
  let tarballFiles: string[];

  beforeAll(() => {
    workDir = mkdtempSync(path.join(os.tmpdir(), 'vod-consumer-'));
    const packed = JSON.parse(run(PROJECT_ROOT, NPM, ['pack', '--json', '--pack-destination', workDir])) as {
      filename: string;
      files: { path: string }[];
    }[];
    tarballFiles = packed[0]!.files.map((f) => f.path);
    consumer = path.join(workDir, 'consumer');
    mkdirSync(consumer);
    writeConsumerProject(consumer, path.join(workDir, packed[0]!.filename));
    run(consumer, NPM, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error']);
  }, 300_000);

  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('the tarball holds the compiled package and its handler bundles, and no tests, CI files, sources, caches or output', () => {
    expect(tarballFiles).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'dist/stacks/index.js',
        'dist/stacks/index.d.ts',
        'dist/testing/index.js',
        'dist/testing/index.d.ts',
        'dist/lambda/manifest.json',
        'dist/lambda/submit-job/index.js',
        'dist/lambda/job-events/index.js',
      ]),
    );
    const unwanted = tarballFiles.filter((f) =>
      /^(__tests__|\.ci|\.github|scripts|lambda-src|stacks|testing|node_modules|cdktf\.out|\.local|coverage)\/|package-lock\.json|\.test\.|\.tfstate/.test(
        f,
      ),
    );
    expect(unwanted).toEqual([]);
  });

  it("type-checks with the consumer's strict compiler options", () => {
    expect(() => run(consumer, path.join('node_modules', '.bin', 'tsc'), ['--noEmit', '-p', 'tsconfig.json'])).not.toThrow();
  }, 120_000);

  it("runs the documented sample test (docs/using-the-package.md) and the consumer's pipeline test under jest", () => {
    // Act
    const report = JSON.parse(run(consumer, path.join('node_modules', '.bin', 'jest'), ['--ci', '--json'])) as {
      success: boolean;
      numFailedTests: number;
      testResults: { name: string; assertionResults: { status: string }[] }[];
    };

    // Assess
    expect(report.testResults.map((r) => path.basename(r.name)).sort()).toEqual(['media-bucket.test.ts', 'pipeline.test.ts']);
    expect(report.numFailedTests).toBe(0);
    expect(report.testResults.flatMap((r) => r.assertionResults.map((a) => a.status)).every((status) => status === 'passed')).toBe(true);
    expect(report.success).toBe(true);
  }, 120_000);

  it("synthesizes the consumer's app under plain node, and terraform validates it offline", async () => {
    // Prepare
    run(consumer, path.join('node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json']);
    const outdir = path.join(consumer, 'cdktf.out');

    // Act
    run(consumer, process.execPath, ['build/main.js'], { CDKTF_OUTDIR: outdir, PIPELINE_ENVIRONMENTS: '' });
    const stackDir = path.join(outdir, 'stacks', 'acme-staging');
    const cliConfig = writeTerraformCliConfig(path.join(workDir, 'terraform'));
    await terraformOrThrow(['init', '-backend=false', '-input=false', '-no-color'], stackDir, cliConfig);
    const result = await terraformOrThrow(['validate', '-json', '-no-color'], stackDir, cliConfig);

    // Assess
    expect(readdirSync(path.join(outdir, 'stacks')).sort()).toEqual(['acme-staging', 'state']);
    expect(JSON.parse(result.stdout)).toEqual(expect.objectContaining({ valid: true, error_count: 0 }));
  }, 180_000);
});
