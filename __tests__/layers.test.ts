/**
 * The layers are declared in .dependency-cruiser.cjs and `npm run lint` enforces them. These
 * tests run the same checker (its API, all trees in one process), with the same config, on small
 * trees that break one rule each.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');
/** The checker of `npm run lint:layers` on many trees in one process (check-trees.mjs says why). */
const CHECK_TREES = path.join(__dirname, 'support', 'layers', 'check-trees.mjs');

type Tree = Record<string, string>;
interface LayerReport {
  readonly status: number;
  readonly report: string;
}

/** Writes each tree into a fresh project and runs the layer check on all of them; one report per tree, in order. */
function checkLayers(trees: readonly Tree[]): LayerReport[] {
  const base = mkdtempSync(path.join(os.tmpdir(), 'vod-layers-'));
  try {
    const dirs = trees.map((files, i) => {
      const dir = path.join(base, String(i));
      mkdirSync(dir);
      // The real packages, so a rule about the SDK sees the SDK.
      symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
      writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'commonjs', strict: true } }));
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        writeFileSync(path.join(dir, file), text);
      }
      return dir;
    });
    return JSON.parse(execFileSync(process.execPath, [CHECK_TREES, CONFIG, ...dirs], { encoding: 'utf8' })) as LayerReport[];
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

const FACT = 'export const FACT = 1;\n';

/** A tree whose imports all point down. */
const DOWNWARD: Tree = {
  'contracts/limits.ts': FACT,
  'lambda-src/jobs/record.ts': "import { FACT } from '../../contracts/limits';\nexport const RECORD = FACT;\n",
  'lambda-src/io/table.ts': "import { RECORD } from '../jobs/record';\nexport const TABLE = RECORD;\n",
  'lambda-src/functions/submit-job/index.ts': "import { TABLE } from '../../io/table';\nexport const handler = TABLE;\n",
  'stacks/ingest.ts': "import { FACT } from '../contracts/limits';\nexport const INGEST = FACT;\n",
  'scripts/estimate.ts':
    "import { INGEST } from '../stacks/ingest';\nimport { RECORD } from '../lambda-src/jobs/record';\nexport const E = INGEST + RECORD;\n",
};

/** Trees that each break one rule: the story, the rule's name, the files. */
const BROKEN: readonly [string, string, Tree][] = [
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
];

/** A contract that loads the AWS SDK, which is installed. */
const CONTRACT_WITH_SDK: Tree = {
  'contracts/client.ts': "import { S3Client } from '@aws-sdk/client-s3';\nexport const C = S3Client;\n",
};

describe('the layer rule (npm run lint)', () => {
  let reports: LayerReport[];

  beforeAll(() => {
    reports = checkLayers([DOWNWARD, ...BROKEN.map(([, , tree]) => tree), CONTRACT_WITH_SDK]);
  });

  it('passes a tree whose imports all point down', () => {
    // Act
    const result = reports[0]!;

    // Assess
    expect(result.report).toMatch(/no dependency violations/);
    expect(result.status).toBe(0);
  });

  it.each(BROKEN.map(([story, rule], i) => [story, rule, i + 1] as const))('fails on %s, naming the rule', (_story, rule, index) => {
    // Act
    const result = reports[index]!;

    // Assess
    expect(result.status).not.toBe(0);
    expect(result.report).toContain(`error ${rule}`);
  });

  it('fails when a contract loads the AWS SDK, even one that is installed', () => {
    // Act
    const result = reports[BROKEN.length + 1]!;

    // Assess
    expect(result.status).not.toBe(0);
    expect(result.report).toContain('error contracts-no-sdk-no-cdktf');
  });
});
