import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../stacks/lib/project-paths';

interface LintMessage {
  readonly ruleId: string | null;
  readonly message: string;
}

// One construct file with a props interface per case, linted once with the project's ESLint
// config as `npm run lint` would (ESLint's config loader needs ESM, so it runs in its own process).
const CASES = {
  documented: '  /** The name. */\n  readonly name: string;\n  /**\n   * How many.\n   * @default 2\n   */\n  readonly count?: number;',
  noDefault: '  /** How many. */\n  readonly count?: number;',
  noJsdoc: '  readonly name: string;',
  onlyTag: '  /** @default 2 */\n  readonly count?: number;',
};

describe('construct props lint (npm run lint)', () => {
  let messagesByCase: Record<keyof typeof CASES, string[]>;

  beforeAll(() => {
    const source = Object.entries(CASES)
      .map(([name, members]) => `export interface ${name}Props {\n${members}\n}\n`)
      .join('\n');
    let output: string;
    try {
      output = execFileSync(
        path.join(PROJECT_ROOT, 'node_modules', '.bin', 'eslint'),
        ['--stdin', '--stdin-filename', path.join('stacks', 'constructs', 'example.ts'), '--format', 'json'],
        { cwd: PROJECT_ROOT, input: source, encoding: 'utf8' },
      );
    } catch (error) {
      output = (error as { stdout: string }).stdout; // exit 1 when it reports errors
    }
    const messages = (JSON.parse(output) as { messages: LintMessage[] }[])[0]!.messages.filter(
      (m) => m.ruleId === 'local/construct-props-jsdoc',
    );
    messagesByCase = Object.fromEntries(
      Object.keys(CASES).map((name) => [name, messages.filter((m) => m.message.includes(` ${name}Props `)).map((m) => m.message)]),
    ) as Record<keyof typeof CASES, string[]>;
  }, 30_000);

  it('accepts props that each say what they are, with @default on optional ones', () => {
    expect(messagesByCase.documented).toEqual([]);
  });

  it.each<[string, keyof typeof CASES, RegExp]>([
    ['an optional prop without @default', 'noDefault', /Optional prop 'count' of noDefaultProps needs a @default tag/],
    ['a prop without JSDoc', 'noJsdoc', /Prop 'name' of noJsdocProps needs a JSDoc comment/],
    ['a prop with only a tag', 'onlyTag', /Prop 'count' of onlyTagProps needs a summary before its tags/],
  ])('fails on %s', (_case, name, message) => {
    expect(messagesByCase[name]).toEqual([expect.stringMatching(message)]);
  });
});
