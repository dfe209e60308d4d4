import type { JobStateChange } from '../lambda-src/jobs/job-event';
import type { JobRecord } from '../lambda-src/jobs/job-record';
import { decideRefusedJobState } from '../lambda-src/jobs/job-state-record';
import { change, progressing, completed } from './support/job-records';

describe('job state record: what a refused change means', () => {
  it.each<[string, JobRecord | undefined, JobStateChange, ReturnType<typeof decideRefusedJobState>]>([
    ['a recorded but unnotified terminal state: publish', completed(), change('COMPLETE'), { action: 'publish' }],
    ['a notified terminal state: stale', completed({ notifiedAt: 'x' }), change('COMPLETE'), { action: 'stale' }],
    ['a late PROGRESSING: stale', completed(), change('PROGRESSING'), { action: 'stale' }],
    [
      'an event of a second job: foreign',
      progressing(),
      change('COMPLETE', { jobId: 'job-2' }),
      { action: 'foreign-job', recordedJobId: 'job-1' },
    ],
  ])('decideRefusedJobState: %s', (_name, record, event, expected) => {
    expect(decideRefusedJobState(record, event)).toEqual(expected);
  });
});
