import { DEFAULT_STATE_BUCKET } from '../../stacks/environments';

/** A command that would read or write state refuses the placeholder bucket with this error. */
export class StateBucketNotSetError extends Error {
  constructor(where: string) {
    super(
      `${where} uses the placeholder state bucket "${DEFAULT_STATE_BUCKET}". Bucket names are global, so whoever owns that name would receive your state: set TF_STATE_BUCKET to your own bucket (and TF_STATE_REGION), e.g. "vod-pipeline-state-<account id>", then run \`npm run bootstrap\` once.`,
    );
    this.name = 'StateBucketNotSetError';
  }
}

/**
 * Refuses a synthesized stack whose S3 backend is the placeholder bucket.
 * @param backend the stack's `terraform.backend` block of cdk.tf.json
 * @throws StateBucketNotSetError naming TF_STATE_BUCKET
 */
export function refusePlaceholderStateBucket(backend: unknown, where: string): void {
  const bucket = (backend as { s3?: { bucket?: unknown } } | undefined)?.s3?.bucket;
  if (bucket === DEFAULT_STATE_BUCKET) throw new StateBucketNotSetError(where);
}
