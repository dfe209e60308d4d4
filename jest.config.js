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
  // Jest's default (cores - 1) runs everything in one worker on a 2-core machine. Three on two cores:
  // the real-tool tiers spend much of their time waiting (Terraform's waiters, simulated Lambda retries).
  // A number, not '150%': Jest reads a percentage above 100 as a worker count (150 workers).
  maxWorkers: Math.max(2, Math.round(availableParallelism() * 1.5)),
};
