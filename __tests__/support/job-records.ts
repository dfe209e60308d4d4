/** Job records as the transitions leave them, shared by the transition and decision tests. */
import type { JobStateChange } from '../../lambda-src/jobs/job-event';
import { JobRecord, newClaimId } from '../../lambda-src/jobs/job-record';

export const TABLE = 'vod-test-jobs';
export const NOW = new Date('2026-11-25T10:00:00.000Z');
export const T = NOW.getTime();
export const TTL_MS = 60_000;
export const ME = newClaimId('req-1', 'me');
export const SAME_EVENT = newClaimId('req-1', 'earlier');
export const OTHER = newClaimId('req-2', 'other');
export const THIRD = newClaimId('req-3', 'third');
export const SOURCE = 's3://vod-test-source/uploads/clip.mp4';
export const OUTPUTS = { hls: { master: 'https://d1.cloudfront.net/a/hls/clip.m3u8', variants: [] }, mp4: [] };

export const change = (status: JobStateChange['status'], overrides: Partial<JobStateChange> = {}): JobStateChange => ({
  jobId: 'job-1',
  status,
  timestamp: T - 5_000,
  queue: 'arn:aws:mediaconvert:us-east-1:123456789012:queues/vod-test',
  assetId: 'asset',
  source: SOURCE,
  pipeline: 'vod-test',
  outputGroupDetails: [],
  outputGroupDetailsMissing: false,
  warnings: [],
  ...overrides,
});

/** Records as the transitions leave them (assetId is filled in per case). */
export const claimed = (claimId: string, claimedAt = T - 1_000): JobRecord => ({
  assetId: 'asset',
  status: 'SUBMITTING',
  source: SOURCE,
  pipeline: 'vod-test',
  clientRequestToken: 'token',
  claimId,
  claimedAt,
  claims: 1,
  openShard: 'open',
  openSince: claimedAt,
  updatedAt: new Date(claimedAt).toISOString(),
});
export const retryable = (claimId = OTHER): JobRecord => ({
  ...claimed(claimId),
  status: 'RETRYABLE',
  error: { name: 'TimeoutError', message: 'timed out' },
});
export const submitted = (claimId = ME): JobRecord => ({
  ...claimed(claimId),
  status: 'SUBMITTED',
  jobId: 'job-1',
  submittedAt: 'earlier',
});
export const progressing = (): JobRecord => ({ ...submitted(), status: 'PROGRESSING' });
export const completed = (extra: Partial<JobRecord> = {}): JobRecord => ({
  ...submitted(),
  status: 'COMPLETE',
  completedAt: 'earlier',
  outputs: OUTPUTS,
  ...extra,
});
export const failure = { name: 'InternalServerErrorException', message: 'boom' };
export const iso = NOW.toISOString();
export const holder = { table: TABLE, assetId: 'asset', now: NOW, claimId: ME };
export const publisher = { table: TABLE, assetId: 'asset', now: NOW, jobId: 'job-1', status: 'COMPLETE' as const, publishClaimId: ME };
