/**
 * TypeScript's node10 resolution (`module: commonjs`, what `cdktf init` writes) ignores `exports`:
 * typesVersions serves it every subpath entry. The consumer e2e tier compiles against each setup;
 * this keeps the two maps equal as entries are added.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '..', 'package.json'), 'utf8')) as {
  types: string;
  exports: Record<string, string | { types?: string; default: string }>;
  typesVersions: Record<string, Record<string, string[]>>;
};

describe('the package manifest', () => {
  it('maps every subpath entry of exports to the same declarations in typesVersions, and nothing else', () => {
    // Prepare
    const subpaths = Object.entries(pkg.exports).filter(([subpath, target]) => subpath !== '.' && typeof target !== 'string');

    // Act
    const fromExports = Object.fromEntries(
      subpaths.map(([subpath, target]) => [subpath.replace(/^\.\//, ''), [(target as { types: string }).types.replace(/^\.\//, '')]]),
    );

    // Assess
    expect(pkg.typesVersions).toEqual({ '*': fromExports });
  });

  it('gives the root entry the same declarations through types and exports', () => {
    expect(pkg.types).toBe((pkg.exports['.'] as { types: string }).types.replace(/^\.\//, ''));
  });
});
