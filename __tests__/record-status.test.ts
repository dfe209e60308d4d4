import { statusesBefore } from '../lambda-src/jobs/record-status';
import {} from './support/job-records';

describe('record statuses', () => {
  it.each([
    ['PROGRESSING', ['SUBMITTING', 'RETRYABLE', 'SUBMITTED', 'FAILED']],
    ['COMPLETE', ['SUBMITTING', 'RETRYABLE', 'SUBMITTED', 'FAILED', 'PROGRESSING']],
  ] as const)('a %s event replaces only lower ranks', (status, expected) => {
    expect(statusesBefore(status)).toEqual(expected);
  });
});
