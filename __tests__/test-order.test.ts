import Sequencer from '@jest/test-sequencer';
import { existsSync } from 'node:fs';
import path from 'node:path';
import LongestFirstSequencer, { LONGEST_FIRST } from './support/longest-first-sequencer';

const TESTS = __dirname;
/** What Jest hands a sequencer, one per test file. */
type Test = Parameters<Sequencer['sort']>[0][number];

describe('the suite starts its long real-tool files first, cache or not', () => {
  it('every file the sequencer starts first exists', () => {
    expect(LONGEST_FIRST.filter((file: string) => !existsSync(path.join(TESTS, file)))).toEqual([]);
  });

  it('puts them first in their listed order, and keeps the order Jest gave the rest', async () => {
    // Prepare: what Jest hands a sequencer on a fresh clone (no timings cached).
    const test = (file: string) => ({ path: path.join(TESTS, file) }) as Test;
    const given = ['zip.test.ts', ...[...LONGEST_FIRST].reverse(), 'config.test.ts'].map(test);
    const sequencer = new LongestFirstSequencer({ contexts: [], globalConfig: {} } as unknown as ConstructorParameters<
      typeof LongestFirstSequencer
    >[0]);
    // Jest's own part of the order (file size without a cache) is not what this test is about.
    jest.spyOn(Sequencer.prototype, 'sort').mockImplementation((tests) => tests);

    // Act
    const sorted = (await sequencer.sort(given)).map((t) => path.relative(TESTS, t.path).split(path.sep).join('/'));

    // Assess
    expect(sorted).toEqual([...LONGEST_FIRST, 'zip.test.ts', 'config.test.ts']);
  });
});
