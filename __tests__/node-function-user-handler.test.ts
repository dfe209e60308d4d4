/**
 * NodeFunction runs a user's own handler file: bundled at synth with esbuild like the package's
 * handlers (their dependencies included), a deterministic zip, and no path of this machine in the
 * synthesized configuration.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Testing } from 'cdktf';
import { NodeFunction } from '../stacks/constructs/node-function';
import { bundleUserHandler } from '../stacks/lib/lambda-bundle';
import { PROJECT_ROOT } from '../stacks/lib/project-paths';
import { Template } from '../testing';

/** A user's project: a TypeScript handler importing a file of theirs and a package from their node_modules. */
const PROJECT: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'thumbnails-team', private: true, dependencies: { 'tiny-casing': '1.0.0' } }),
  'node_modules/tiny-casing/package.json': JSON.stringify({ name: 'tiny-casing', version: '1.0.0', main: 'index.js' }),
  'node_modules/tiny-casing/index.js': 'exports.shout = (text) => text.toUpperCase();\n',
  'src/lib/greeting.ts':
    "import { shout } from 'tiny-casing';\nexport const greeting = (name: string): string => shout(`hello ${name}`);\n",
  'src/handlers/greet.ts':
    "import { greeting } from '../lib/greeting';\n\nexport const handler = async (event: { name: string }) => ({ message: greeting(event.name) });\n",
};

const projects: string[] = [];

/** Writes the project to a fresh temp directory; returns its root. */
function writeProject(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'vod-user-handler-'));
  projects.push(root);
  for (const [file, text] of Object.entries(PROJECT)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

afterAll(() => {
  for (const root of projects) rmSync(root, { recursive: true, force: true });
});

function synthUserFunction(entry: string, packaging: 'zip' | 'archive'): { json: string; template: Template } {
  const json = Testing.synthScope((scope) => new NodeFunction(scope, 'Greet', { functionName: 'team-greet', entry, packaging }));
  return { json, template: Template.parse(json) };
}

describe('NodeFunction with a user handler file', () => {
  it('bundles the file with its own imports and dependencies into a handler that runs', async () => {
    // Prepare
    const file = path.join(writeProject(), 'src/handlers/greet.ts');

    // Act
    synthUserFunction(file, 'zip');
    const bundle = bundleUserHandler(file);

    // Assess
    const bundled = path.join(bundle.directory, 'index.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { handler } = require(bundled) as { handler: (event: { name: string }) => Promise<{ message: string }> };
    await expect(handler({ name: 'platform team' })).resolves.toEqual({ message: 'HELLO PLATFORM TEAM' });
    expect(readFileSync(bundled, 'utf8')).not.toMatch(/require\(["'](tiny-casing|\.\.?\/)/);
  });

  it('synthesizes no path of this machine, and the same zip from two checkouts at different paths', () => {
    // Prepare
    const first = writeProject();
    const second = writeProject();
    const copy = path.join(second, 'elsewhere', 'deeper');
    mkdirSync(copy, { recursive: true });
    cpSync(first, copy, { recursive: true });

    // Act
    const a = synthUserFunction(path.join(first, 'src/handlers/greet.ts'), 'zip');
    const b = synthUserFunction(path.relative(process.cwd(), path.join(copy, 'src/handlers/greet.ts')), 'zip');

    // Assess
    for (const { json } of [a, b]) {
      for (const local of [first, second, os.tmpdir(), PROJECT_ROOT, os.homedir()]) expect(json).not.toContain(local);
    }
    const fnA = a.template.onlyResource('aws_lambda_function');
    const fnB = b.template.onlyResource('aws_lambda_function');
    expect(fnA.filename).toMatch(/^assets\/.+\.zip$/);
    expect(fnA.source_code_hash).toEqual(fnB.source_code_hash);
    expect(fnA.handler).toBe('index.handler');
  });

  it('packages with archive_file under a name of the function, not of the file', () => {
    // Prepare
    const file = path.join(writeProject(), 'src/handlers/greet.ts');

    // Act
    const { json, template } = synthUserFunction(file, 'archive');

    // Assess
    expect(Object.values(template.dataSources('archive_file'))[0]).toEqual(
      expect.objectContaining({ output_path: '${path.module}/build/custom-team-greet.zip', output_file_mode: '0644' }),
    );
    expect(json).not.toContain(path.dirname(file));
  });

  it.each([
    [
      'a file type esbuild is not given',
      'src/handlers/greet.py',
      /neither one of the package's handlers .* nor a handler file \(\.ts, \.mts/,
    ],
    ['a file that does not exist', 'src/handlers/absent.ts', /src\/handlers\/absent\.ts does not exist/],
  ])('fails at synth, naming the construct and the fix, for %s', (_case, relative, message) => {
    // Prepare
    const entry = path.join(writeProject(), relative);

    // Act / Assess
    expect(() => synthUserFunction(entry, 'zip')).toThrow(message);
    expect(() => synthUserFunction(entry, 'zip')).toThrow(/Greet: 'entry' is/);
  });
});
