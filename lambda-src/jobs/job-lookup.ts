import { ASSET_ID_METADATA_KEY } from '../../contracts/job-metadata';
import type { Job } from '@aws-sdk/client-mediaconvert';

/** What identifies the job of one upload among MediaConvert's jobs. */
export interface UploadJobIdentity {
  /** `UserMetadata.assetId`, unique per upload. */
  readonly assetId: string;
  /** The exact `s3://` input (SearchJobs also matches partial names). */
  readonly source: string;
}

/**
 * The job an earlier attempt created for this upload, among SearchJobs results: the same
 * asset id in its user metadata and exactly this input file. If several match (a duplicate
 * was created before this fix), the oldest is the one to keep.
 */
export function pickJobOfUpload(jobs: readonly Job[], upload: UploadJobIdentity): Job | undefined {
  const matching = jobs.filter(
    (job) =>
      job.UserMetadata?.[ASSET_ID_METADATA_KEY] === upload.assetId &&
      (job.Settings?.Inputs ?? []).some((input) => input.FileInput === upload.source),
  );
  return [...matching].sort((a, b) => (a.CreatedAt?.getTime() ?? 0) - (b.CreatedAt?.getTime() ?? 0))[0];
}
