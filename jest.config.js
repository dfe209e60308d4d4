const { availableParallelism } = require('node:os');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  setupFilesAfterEnv: ['<rootDir>/__tests__/setup.ts'],
  // The e2e tier applies real Terraform; it gets its own generous timeout in the file.
  // Generous real timeouts: a busy 2-core laptop must pass (tests never race the clock).
  testTimeout: 180_000,
  // Jest's default (cores - 1) runs everything in one worker on a 2-core machine. Two per core: the
  // real-tool tiers spend much of their time waiting (Terraform's waiters, simulated Lambda retries), and
  // the four longest files then start together. A number: Jest reads a percentage above 100 as a count.
  maxWorkers: Math.max(2, availableParallelism() * 2),
  // Jest gives a worker 500 ms to exit once the run ends, then kills it and warns of a leak. On a busy
  // 2-core machine four workers with large heaps exit together and one can take longer: every worker's
  // last file leaves only its stdio open, and with a longer bound the warning goes. A handle that kept a
  // worker alive would still be reported, after this bound.
  workerGracefulExitTimeout: 10_000,
  // The long real-tool files first, on a fresh clone too (Jest's own order needs cached timings).
  testSequencer: '<rootDir>/__tests__/support/longest-first-sequencer.js',
};
