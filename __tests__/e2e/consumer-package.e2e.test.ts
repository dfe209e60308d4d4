import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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

/** The pages a consumer reads: README.md, then docs/ (the samples may live on either). */
function docPages(): string[] {
  const docs = path.join(PROJECT_ROOT, 'docs');
  const pages = existsSync(docs)
    ? readdirSync(docs, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.md'))
        .map((f) => path.join(docs, f))
    : [];
  return [path.join(PROJECT_ROOT, 'README.md'), ...pages.sort()];
}

/** The code block that follows `<!-- consumer:<file> -->` in the README (or a docs/ page), verbatim. */
function readmeBlock(file: string): string {
  const marker = `<!-- consumer:${file} -->`;
  for (const page of docPages()) {
    const text = readFileSync(page, 'utf8');
    const start = text.indexOf(marker);
    const match = start === -1 ? null : /```ts\n([\s\S]*?)```/.exec(text.slice(start));
    if (match?.[1] !== undefined) return match[1];
  }
  throw new Error(`Neither README.md nor docs/ has a \`\`\`ts block after ${marker}`);
}

/** The compiler options every strict consumer setup shares; each setup adds its module and resolution. */
const STRICT_OPTIONS = {
  target: 'ES2022',
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noImplicitOverride: true,
  skipLibCheck: true,
  types: ['node', 'jest'],
};

/**
 * The module setups TypeScript projects use: each must find `cdktf-video-pipeline` and its
 * `./testing` entry (node10 ignores `exports`: typesVersions serves it there).
 */
const MODULE_SETUPS = {
  node16: { module: 'node16', moduleResolution: 'node16' },
  nodenext: { module: 'nodenext', moduleResolution: 'nodenext' },
  bundler: { module: 'esnext', moduleResolution: 'bundler' },
  node10: { module: 'commonjs', moduleResolution: 'node10' },
} as const;

/** The setup the consumer's tsconfig.json builds its app with: the synth test compiles under it. */
const BUILD_SETUP = 'node16' satisfies keyof typeof MODULE_SETUPS;

/** Where `cdktf init --template=typescript` of the installed cdktf-cli takes its project files from. */
const CDKTF_INIT_TEMPLATE = path.join(PROJECT_ROOT, 'node_modules', 'cdktf-cli', 'bundle', 'templates', 'typescript');

/**
 * A project as `cdktf init --template=typescript` makes it, beside the consumer (sharing its
 * node_modules): the template's tsconfig.json verbatim, the README's main.ts and test sample.
 * Its tests run as that tsconfig compiles them (CommonJS JavaScript), under plain jest.
 */
function writeCdktfInitProject(dir: string): void {
  mkdirSync(path.join(dir, '__tests__'), { recursive: true });
  copyFileSync(path.join(CDKTF_INIT_TEMPLATE, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
  writeFileSync(path.join(dir, 'main.ts'), readmeBlock('main.ts'));
  writeFileSync(path.join(dir, '__tests__', 'media-bucket.test.ts'), readmeBlock('__tests__/media-bucket.test.ts'));
  writeFileSync(
    path.join(dir, 'jest.config.js'),
    "module.exports = { testEnvironment: 'node', testMatch: ['**/__tests__/**/*.test.js'], transform: {} };\n",
  );
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
      ['typescript', 'jest', '@types/jest', '@types/node', '@swc/core', '@swc/jest', 'esbuild'].map((n) => [n, pinned(n)]),
    ),
  };
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(packageJson, null, 2));
  const include = ['main.ts', 'handlers/**/*.ts', '__tests__/**/*.ts'];
  // tsconfig.json (node16) builds the app, and so is the node16 check; each other setup type-checks the same sources.
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { ...STRICT_OPTIONS, ...MODULE_SETUPS[BUILD_SETUP], outDir: 'build' }, include }, null, 2),
  );
  for (const [name, setup] of Object.entries(MODULE_SETUPS).filter(([name]) => name !== BUILD_SETUP)) {
    writeFileSync(
      path.join(dir, `tsconfig.${name}.json`),
      JSON.stringify({ compilerOptions: { ...STRICT_OPTIONS, ...setup, noEmit: true }, include }, null, 2),
    );
  }
  writeFileSync(
    path.join(dir, 'jest.config.js'),
    "module.exports = { testEnvironment: 'node', testMatch: ['**/__tests__/**/*.test.ts'], testPathIgnorePatterns: ['/node_modules/', '/cdktf-app/'], transform: { '^.+\\\\.ts$': ['@swc/jest'] } };\n",
  );
  writeFileSync(path.join(dir, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: 'node build/main.js' }, null, 2));
  mkdirSync(path.join(dir, '__tests__'));
  writeFileSync(path.join(dir, 'main.ts'), readmeBlock('main.ts'));
  writeFileSync(path.join(dir, '__tests__', 'media-bucket.test.ts'), readmeBlock('__tests__/media-bucket.test.ts'));
  const fixtures = path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'consumer');
  copyFileSync(path.join(fixtures, 'pipeline.test.ts.txt'), path.join(dir, '__tests__', 'pipeline.test.ts'));
  // Their own Lambda on our NodeFunction: bundled at synth with their esbuild.
  mkdirSync(path.join(dir, 'handlers'));
  copyFileSync(path.join(fixtures, 'notes-handler.ts.txt'), path.join(dir, 'handlers', 'notes.ts'));
  copyFileSync(path.join(fixtures, 'own-handler.test.ts.txt'), path.join(dir, '__tests__', 'own-handler.test.ts'));
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
    writeCdktfInitProject(path.join(consumer, 'cdktf-app'));
    run(consumer, NPM, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error']);
  });

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

  it.each(Object.keys(MODULE_SETUPS).filter((setup) => setup !== BUILD_SETUP))(
    "type-checks with the consumer's strict compiler options under %s module resolution",
    (setup) => {
      expect(() => run(consumer, path.join('node_modules', '.bin', 'tsc'), ['-p', `tsconfig.${setup}.json`])).not.toThrow();
    },
    120_000,
  );

  it("compiles the README's samples with the tsconfig `cdktf init` writes, and runs the test sample as it compiled it", () => {
    // Prepare
    const app = path.join(consumer, 'cdktf-app');
    const template = JSON.parse(readFileSync(path.join(CDKTF_INIT_TEMPLATE, 'tsconfig.json'), 'utf8')) as {
      compilerOptions: { module: string; moduleResolution?: string };
    };
    expect(template.compilerOptions).toEqual(expect.objectContaining({ module: 'CommonJS' }));
    expect(template.compilerOptions.moduleResolution).toBeUndefined();

    // Act
    run(app, path.join(consumer, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json']);
    const report = JSON.parse(run(app, path.join(consumer, 'node_modules', '.bin', 'jest'), ['--ci', '--json'])) as {
      success: boolean;
      testResults: { name: string; assertionResults: { status: string }[] }[];
    };

    // Assess
    expect(report.testResults.map((r) => path.basename(r.name))).toEqual(['media-bucket.test.js']);
    expect(report.testResults.flatMap((r) => r.assertionResults.map((a) => a.status))).toEqual(['passed']);
    expect(report.success).toBe(true);
  });

  it("runs the README's sample test, the consumer's pipeline test and its own-handler test under jest", () => {
    // Act
    const report = JSON.parse(run(consumer, path.join('node_modules', '.bin', 'jest'), ['--ci', '--json'])) as {
      success: boolean;
      numFailedTests: number;
      testResults: { name: string; assertionResults: { status: string }[] }[];
    };

    // Assess
    expect(report.testResults.map((r) => path.basename(r.name)).sort()).toEqual([
      'media-bucket.test.ts',
      'own-handler.test.ts',
      'pipeline.test.ts',
    ]);
    expect(report.numFailedTests).toBe(0);
    expect(report.testResults.flatMap((r) => r.assertionResults.map((a) => a.status)).every((status) => status === 'passed')).toBe(true);
    expect(report.success).toBe(true);
  });

  it(`builds the consumer's app with its strict compiler options under ${BUILD_SETUP} module resolution, synthesizes it under plain node, and terraform validates it offline`, async () => {
    // Prepare
    const outdir = path.join(consumer, 'cdktf.out');

    // Act: their build (tsconfig.json, the node16 type-check too), then their app, then terraform.
    run(consumer, path.join('node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json']);
    run(consumer, process.execPath, ['build/main.js'], { CDKTF_OUTDIR: outdir, PIPELINE_ENVIRONMENTS: '' });
    const stackDir = path.join(outdir, 'stacks', 'acme-staging');
    const cliConfig = writeTerraformCliConfig(path.join(workDir, 'terraform'));
    await terraformOrThrow(['init', '-backend=false', '-input=false', '-no-color'], stackDir, cliConfig);
    const result = await terraformOrThrow(['validate', '-json', '-no-color'], stackDir, cliConfig);

    // Assess
    expect(readdirSync(path.join(outdir, 'stacks')).sort()).toEqual(['acme-staging', 'state']);
    expect(JSON.parse(result.stdout)).toEqual(expect.objectContaining({ valid: true, error_count: 0 }));
  });
});
