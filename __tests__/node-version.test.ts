/**
 * The Node.js versions have one owner each, package.json: `engines.node` is what the published
 * package needs (its runtime dependencies' floors), `devEngines.runtime.version` what developing
 * and testing it needs (every dependency's floor). The docs quote them; these tests keep both honest.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  devEngines: { runtime: { name: string; version: string } };
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { engines?: { node?: string } | string[] }>;
};

type Version = readonly [major: number, minor: number, patch: number];

function parseVersion(text: string): Version {
  const [major = 0, minor = 0, patch = 0] = text.split('.').map(Number);
  return [major, minor, patch];
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/**
 * Whether `version` satisfies an npm engines range, in the forms dependencies use: alternatives
 * joined by `||`, each of comparators `>=x.y.z`, `>x`, `<x`, `<=x`, `^x.y.z` or an exact version.
 */
function satisfies(version: Version, range: string): boolean {
  return range.split('||').some((alternative) =>
    [...alternative.matchAll(/(>=|<=|>|<|\^|=)?\s*(\d+(?:\.\d+){0,2})/g)].every(([, operator = '=', bound = '']) => {
      const b = parseVersion(bound);
      const order = compare(version, b);
      if (operator === '>=') return order >= 0;
      if (operator === '>') return order > 0;
      if (operator === '<=') return order <= 0;
      if (operator === '<') return order < 0;
      if (operator === '^') return order >= 0 && version[0] === b[0];
      return order === 0;
    }),
  );
}

/** The floor a `>=x.y[.z]` range states. */
function floorOf(range: string): Version {
  const match = /^>=\s*(\d+\.\d+(?:\.\d+)?)$/.exec(range.trim());
  if (match === null) throw new Error(`expected a ">=x.y.z" range, got "${range}"`);
  return parseVersion(match[1]!);
}

/** The version just below a floor (20.9.0 → 20.8.999). */
function justBelow(floor: Version): Version {
  return floor[2] > 0 ? [floor[0], floor[1], floor[2] - 1] : [floor[0], floor[1] - 1, 999];
}

/** The engines.node ranges of the installed top-level packages `names`. */
function enginesOf(names: readonly string[]): [string, string][] {
  return names.flatMap((name) => {
    const engines = lock.packages[`node_modules/${name}`]?.engines;
    const node = engines !== undefined && !Array.isArray(engines) ? engines.node : undefined;
    return node === undefined ? [] : [[name, node] as [string, string]];
  });
}

/** Every markdown page a reader sees: README.md, CONTRIBUTING.md and docs/. */
function docs(): { file: string; text: string }[] {
  const pages = ['README.md', 'CONTRIBUTING.md'].filter((file) => existsSync(path.join(ROOT, file)));
  const docsDir = path.join(ROOT, 'docs');
  if (existsSync(docsDir)) {
    for (const entry of readdirSync(docsDir, { recursive: true, encoding: 'utf8' }))
      if (entry.endsWith('.md')) pages.push(path.join('docs', entry));
  }
  return pages.map((file) => ({ file, text: readFileSync(path.join(ROOT, file), 'utf8') }));
}

const runtimeDependencies = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)];
const everyDependency = [...new Set([...runtimeDependencies, ...Object.keys(pkg.devDependencies)])];

describe('the Node.js versions', () => {
  it.each([
    ['a plain floor', '>=20.9.0', [20, 9, 0], true],
    ['below a plain floor', '>= 20.9.0', [20, 8, 999], false],
    ['a caret in one of the alternatives', '^20.19.0 || ^22.13.0 || >=24', [22, 13, 0], true],
    ['between two alternatives', '^20.19.0 || ^22.13.0 || >=24', [21, 0, 0], false],
    ['a short caret', '^20.12||^22||>=24', [20, 12, 0], true],
    ['below a short caret', '^20.12||^22||>=24', [20, 11, 3], false],
  ] as const)('the range check reads %s', (_what, range, version, expected) => {
    // Act / Assess
    expect(satisfies(version, range)).toBe(expected);
  });

  it.each([
    ['engines.node (using the package)', pkg.engines.node, runtimeDependencies],
    ['devEngines.runtime.version (developing and testing it)', pkg.devEngines.runtime.version, everyDependency],
  ])('%s is the lowest version every dependency it covers accepts', (_what, range, names) => {
    // Prepare
    const floor = floorOf(range);
    const engines = enginesOf(names);

    // Act
    const refusing = engines.filter(([, node]) => !satisfies(floor, node));
    const refusingBelow = engines.filter(([, node]) => !satisfies(justBelow(floor), node));

    // Assess
    expect(refusing).toEqual([]);
    expect(refusingBelow.length).toBeGreaterThan(0);
  });

  it('devEngines names Node.js and is at least engines.node', () => {
    // Assess
    expect(pkg.devEngines.runtime.name).toBe('node');
    expect(compare(floorOf(pkg.devEngines.runtime.version), floorOf(pkg.engines.node))).toBeGreaterThanOrEqual(0);
  });

  it('every "Node.js ≥ x" in the docs quotes package.json, and the docs state both', () => {
    // Prepare
    const declared = [floorOf(pkg.engines.node), floorOf(pkg.devEngines.runtime.version)].map(([major, minor]) => `${major}.${minor}`);

    // Act
    const quoted = docs().flatMap(({ file, text }) =>
      [...text.matchAll(/Node(?:\.js)?\s*(?:≥|>=)\s*(\d+\.\d+)/g)].map((match) => ({ file, version: match[1]! })),
    );

    // Assess
    expect(quoted.filter(({ version }) => !declared.includes(version))).toEqual([]);
    expect(new Set(quoted.map(({ version }) => version))).toEqual(new Set(declared));
  });
});
