import type { Job } from '@aws-sdk/client-mediaconvert';
import { pickJobOfUpload } from '../lambda-src/jobs/job-lookup';

const SOURCE = 's3://vod-source/uploads/clip.mp4';
const job = (id: string, assetId: string, fileInput: string, createdAt: string): Job =>
  ({
    Id: id,
    UserMetadata: { assetId },
    Settings: { Inputs: [{ FileInput: fileInput }] },
    CreatedAt: new Date(createdAt),
  }) as unknown as Job;

describe('pickJobOfUpload', () => {
  it.each<[string, Job[], string | undefined]>([
    ['no jobs', [], undefined],
    ['the job of this asset and input', [job('j1', 'clip-1', SOURCE, '2026-11-25T10:00:00Z')], 'j1'],
    ['a job of a re-upload of the same key (another asset)', [job('j1', 'clip-2', SOURCE, '2026-11-25T10:00:00Z')], undefined],
    ['a partial-name match of another file', [job('j1', 'clip-1', `${SOURCE}.bak.mp4`, '2026-11-25T10:00:00Z')], undefined],
    [
      'two jobs of the asset (a duplicate made before this fix): the oldest',
      [job('j2', 'clip-1', SOURCE, '2026-11-25T10:05:00Z'), job('j1', 'clip-1', SOURCE, '2026-11-25T10:00:00Z')],
      'j1',
    ],
  ])('among %s picks %p', (_case, jobs, expected) => {
    expect(pickJobOfUpload(jobs, { assetId: 'clip-1', source: SOURCE })?.Id).toBe(expected);
  });
});
