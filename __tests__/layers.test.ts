/**
 * The layers are declared in .dependency-cruiser.cjs and `npm run lint` enforces them. These
 * tests run the same checker, with the same config, on small trees that break one rule each.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const DEPCRUISE = path.join(ROOT, 'node_modules', '.bin', 'depcruise');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');

/** Writes `files` into a fresh project and runs the layer check on it; returns its exit code and report. */
function checkLayers(files: Record<string, string>): { status: number | null; report: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vod-layers-'));
  try {
    // The real packages, so a rule about the SDK sees the SDK.
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'commonjs', strict: true } }));
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    const folders = [...new Set(Object.keys(files).map((f) => f.split('/')[0]!))];
    const run = spawnSync(DEPCRUISE, ['--config', CONFIG, '--output-type', 'err', ...folders], { cwd: dir, encoding: 'utf8' });
    return { status: run.status, report: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const FACT = 'export const FACT = 1;\n';

describe('the layer rule (npm run lint)', () => {
  it('passes a tree whose imports all point down', () => {
    // Prepare
    const files = {
      'contracts/limits.ts': FACT,
      'lambda-src/jobs/record.ts': "import { FACT } from '../../contracts/limits';\nexport const RECORD = FACT;\n",
      'lambda-src/io/table.ts': "import { RECORD } from '../jobs/record';\nexport const TABLE = RECORD;\n",
      'lambda-src/functions/submit-job/index.ts': "import { TABLE } from '../../io/table';\nexport const handler = TABLE;\n",
      'stacks/ingest.ts': "import { FACT } from '../contracts/limits';\nexport const INGEST = FACT;\n",
      'scripts/estimate.ts':
        "import { INGEST } from '../stacks/ingest';\nimport { RECORD } from '../lambda-src/jobs/record';\nexport const E = INGEST + RECORD;\n",
    };

    // Act
    const result = checkLayers(files);

    // Assess
    expect(result.report).toMatch(/no dependency violations/);
    expect(result.status).toBe(0);
  });

  it.each([
    [
      'contracts importing a domain folder',
      'contracts-import-only-contracts',
      {
        'contracts/limits.ts': "import { RECORD } from '../lambda-src/jobs/record';\nexport const L = RECORD;\n",
        'lambda-src/jobs/record.ts': 'export const RECORD = 1;\n',
      },
    ],
    [
      'a domain folder importing an adapter',
      'domain-imports-contracts-and-domain',
      {
        'lambda-src/jobs/record.ts': "import { TABLE } from '../io/table';\nexport const R = TABLE;\n",
        'lambda-src/io/table.ts': 'export const TABLE = 1;\n',
      },
    ],
    [
      'an adapter importing a function entry point',
      'io-below-functions',
      {
        'lambda-src/io/table.ts': "import { handler } from '../functions/submit-job/index';\nexport const T = handler;\n",
        'lambda-src/functions/submit-job/index.ts': 'export const handler = 1;\n',
      },
    ],
    [
      'one function importing another',
      'functions-do-not-import-each-other',
      {
        'lambda-src/functions/job-events/index.ts': "import { handler as h } from '../submit-job/index';\nexport const handler = h;\n",
        'lambda-src/functions/submit-job/index.ts': 'export const handler = 1;\n',
      },
    ],
    [
      'a stack importing handler code',
      'stacks-import-contracts-only',
      {
        'stacks/ingest.ts': "import { RECORD } from '../lambda-src/jobs/record';\nexport const I = RECORD;\n",
        'lambda-src/jobs/record.ts': 'export const RECORD = 1;\n',
      },
    ],
    [
      'a script importing a test double',
      'scripts-never-import-tests',
      {
        'scripts/bench.ts': "import { RIG } from '../__tests__/support/rig';\nexport const B = RIG;\n",
        '__tests__/support/rig.ts': 'export const RIG = 1;\n',
      },
    ],
    [
      'a cycle between two domain modules',
      'no-cycle',
      {
        'lambda-src/jobs/a.ts': "import { B } from './b';\nexport const A = () => B;\n",
        'lambda-src/jobs/b.ts': "import { A } from './a';\nexport const B = () => A;\n",
      },
    ],
  ])('fails on %s, naming the rule', (_story, rule, files) => {
    // Act
    const result = checkLayers(files);

    // Assess
    expect(result.status).not.toBe(0);
    expect(result.report).toContain(`error ${rule}`);
  });

  it('fails when a contract loads the AWS SDK, even one that is installed', () => {
    // Act
    const result = checkLayers({
      'contracts/client.ts': "import { S3Client } from '@aws-sdk/client-s3';\nexport const C = S3Client;\n",
    });

    // Assess
    expect(result.status).not.toBe(0);
    expect(result.report).toContain('error contracts-no-sdk-no-cdktf');
  });
});
