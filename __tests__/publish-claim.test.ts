import type { JobRecord } from '../lambda-src/jobs/job-record';
import { decideRefusedNotified, decideRefusedPublishClaim } from '../lambda-src/jobs/publish-claim';
import { NOW, T, TTL_MS, ME, SAME_EVENT, OTHER, completed } from './support/job-records';

describe('publish claim: what a refused claim means', () => {
  const publishing = { publishClaimId: ME, jobId: 'job-1', status: 'COMPLETE' as const, now: NOW, claimTtlMs: TTL_MS };

  it.each<[string, JobRecord | undefined, ReturnType<typeof decideRefusedPublishClaim>]>([
    ['our own publish claim: proceed', completed({ publishClaimId: ME, publishClaimedAt: T }), { action: 'proceed' }],
    ['released meanwhile: claim again', completed(), { action: 'claim' }],
    ['already notified', completed({ notifiedAt: 'x', publishClaimId: OTHER }), { action: 'notified' }],
    [
      'a stale publish claim: retake',
      completed({ publishClaimId: OTHER, publishClaimedAt: T - TTL_MS - 1 }),
      { action: 'retake', reason: 'stale', observedPublishClaimId: OTHER },
    ],
    [
      'an earlier attempt of this event: retake',
      completed({ publishClaimId: SAME_EVENT, publishClaimedAt: T }),
      { action: 'retake', reason: 'same-event', observedPublishClaimId: SAME_EVENT },
    ],
    ['a concurrent duplicate is publishing: in flight', completed({ publishClaimId: OTHER, publishClaimedAt: T }), { action: 'in-flight' }],
    ['the record moved to another job', { ...completed(), jobId: 'job-2' }, { action: 'moved-on' }],
  ])('decideRefusedPublishClaim: %s', (_name, record, expected) => {
    expect(decideRefusedPublishClaim(record, publishing)).toEqual(expected);
  });

  it.each<[string, JobRecord | undefined, ReturnType<typeof decideRefusedNotified>]>([
    ['notified under our own publish claim (the answer was lost): applied', completed({ publishClaimId: ME, notifiedAt: 'x' }), 'applied'],
    ['another invocation holds the publish now: taken over', completed({ publishClaimId: OTHER }), 'taken-over'],
    ['notified by another invocation: taken over', completed({ publishClaimId: OTHER, notifiedAt: 'x' }), 'taken-over'],
    ['no record: taken over', undefined, 'taken-over'],
  ])('decideRefusedNotified: %s', (_name, record, expected) => {
    expect(decideRefusedNotified(record, ME)).toBe(expected);
  });
});
