import type { JobRecord } from '../lambda-src/jobs/job-record';
import { decideRefusedClaim, decideRefusedHolderWrite } from '../lambda-src/jobs/submission-claim';
import { NOW, T, TTL_MS, ME, SAME_EVENT, OTHER, claimed, retryable, submitted } from './support/job-records';

describe('submission claim: what a refused write means', () => {
  const me = { claimId: ME, now: NOW, claimTtlMs: TTL_MS };

  it.each<[string, JobRecord | undefined, ReturnType<typeof decideRefusedClaim>]>([
    ['no record: claim it', undefined, { action: 'claim' }],
    ['our own claim (the answer was lost): proceed', claimed(ME), { action: 'proceed' }],
    ['a released claim: retake', retryable(), { action: 'retake', reason: 'released', observed: { status: 'RETRYABLE', claimId: OTHER } }],
    [
      'a claim older than the TTL: retake',
      claimed(OTHER, T - TTL_MS - 1),
      { action: 'retake', reason: 'stale', observed: { status: 'SUBMITTING', claimId: OTHER } },
    ],
    [
      'a fresh claim of an earlier attempt of this event: retake',
      claimed(SAME_EVENT),
      { action: 'retake', reason: 'same-event', observed: { status: 'SUBMITTING', claimId: SAME_EVENT } },
    ],
    [
      'a released claim with the job it created: retake and find that job',
      { ...retryable(), jobId: 'job-1' },
      { action: 'retake', reason: 'released', observed: { status: 'RETRYABLE', claimId: OTHER }, jobId: 'job-1' },
    ],
    ['a fresh claim of another delivery: duplicate in flight', claimed(OTHER, T - TTL_MS), { action: 'duplicate', reason: 'in-flight' }],
    ['a FAILED record: duplicate', { ...claimed(OTHER), status: 'FAILED' }, { action: 'duplicate', reason: 'failed' }],
    ['a SUBMITTED record: duplicate', submitted(OTHER), { action: 'duplicate', reason: 'has-job' }],
    [
      'a record the job events moved on: duplicate',
      { ...claimed(ME), status: 'PROGRESSING', jobId: 'job-1' },
      { action: 'duplicate', reason: 'has-job' },
    ],
  ])('decideRefusedClaim: %s', (_name, record, expected) => {
    expect(decideRefusedClaim(record, me)).toEqual(expected);
  });

  it.each<[string, JobRecord | undefined, Parameters<typeof decideRefusedHolderWrite>[2], ReturnType<typeof decideRefusedHolderWrite>]>([
    ['our SUBMITTED write was applied', { ...submitted(ME) }, { status: 'SUBMITTED', jobId: 'job-1' }, { action: 'applied' }],
    ['our RETRYABLE write was applied', { ...retryable(ME) }, { status: 'RETRYABLE' }, { action: 'applied' }],
    [
      'the job events recorded our job first',
      { ...claimed(ME), status: 'PROGRESSING', jobId: 'job-1' },
      { status: 'SUBMITTED', jobId: 'job-1' },
      { action: 'job-recorded', jobId: 'job-1', sameJob: true },
    ],
    [
      'the job events recorded the job whose CreateJob answer we lost',
      { ...claimed(ME), status: 'PROGRESSING', jobId: 'job-1' },
      { status: 'RETRYABLE' },
      { action: 'job-recorded', jobId: 'job-1', sameJob: true },
    ],
    [
      'the job events recorded another job than ours',
      { ...claimed(ME), status: 'COMPLETE', jobId: 'job-0' },
      { status: 'SUBMITTED', jobId: 'job-1' },
      { action: 'job-recorded', jobId: 'job-0', sameJob: false },
    ],
    [
      'our SUBMITTED write was applied before a release that lost its answers',
      { ...submitted(ME) },
      { status: 'RETRYABLE' },
      { action: 'job-recorded', jobId: 'job-1', sameJob: true },
    ],
    ['another invocation retook the claim', claimed(OTHER), { status: 'SUBMITTED', jobId: 'job-1' }, { action: 'superseded' }],
    ['the record vanished', undefined, { status: 'FAILED' }, { action: 'conflict' }],
  ])('decideRefusedHolderWrite: %s', (_name, record, intended, expected) => {
    expect(decideRefusedHolderWrite(record, { claimId: ME }, intended)).toEqual(expected);
  });
});
