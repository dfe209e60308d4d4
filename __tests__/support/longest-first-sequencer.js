// Jest's own order runs the files that took longest last time first, but only once it has a cache of
// timings: on a fresh clone (CI, a new contributor) it orders by file size, and a long real-tool file
// can start last and become the run's tail. These start first everywhere, longest first.
const path = require('node:path');
const { default: Sequencer } = require('@jest/test-sequencer');

/** The long real-tool files (paths under __tests__/), longest first; a test keeps the list pointing at files. */
const LONGEST_FIRST = [
  'e2e/plan-review.e2e.test.ts',
  'e2e/playback.e2e.test.ts',
  'integration/exactly-once.test.ts',
  'e2e/consumer-package.e2e.test.ts',
  'e2e/pipeline.e2e.test.ts',
];

class LongestFirstSequencer extends Sequencer {
  async sort(tests) {
    const rank = (test) => {
      const index = LONGEST_FIRST.findIndex((file) => test.path.split(path.sep).join('/').endsWith(`__tests__/${file}`));
      return index === -1 ? LONGEST_FIRST.length : index;
    };
    // Array#sort is stable: the rest keep Jest's order.
    return [...(await super.sort(tests))].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = LongestFirstSequencer;
module.exports.LONGEST_FIRST = LONGEST_FIRST;
