import { GetLabelDetectionCommand, RekognitionClient } from '@aws-sdk/client-rekognition';
import type { LabelDetectionResult } from '../analysis/label-analysis';
import { LABELS_PAGE_SIZE } from '../analysis/label-analysis';

/** A bound on pages read, so a paging bug cannot loop until the timeout: 10,000 pages is 10 million labels. */
const MAX_PAGES = 10_000;

/**
 * The pages of one label-detection job's results (GetLabelDetection, 1,000 labels a page, by
 * timestamp), one at a time: the caller keeps what it needs of each, never the whole set.
 * Stops after the first page unless the job SUCCEEDED.
 */
export async function* labelPages(client: RekognitionClient, rekognitionJobId: string): AsyncGenerator<LabelDetectionResult> {
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const response = await client.send(
      new GetLabelDetectionCommand({ JobId: rekognitionJobId, MaxResults: LABELS_PAGE_SIZE, SortBy: 'TIMESTAMP', NextToken: nextToken }),
    );
    yield {
      jobStatus: response.JobStatus,
      statusMessage: response.StatusMessage,
      labelModelVersion: response.LabelModelVersion,
      videoMetadata: response.VideoMetadata,
      labels: response.Labels ?? [],
    };
    nextToken = response.NextToken;
    if (nextToken === undefined || response.JobStatus !== 'SUCCEEDED') return;
  }
  throw new Error(`GetLabelDetection ${rekognitionJobId} still had pages after ${MAX_PAGES}; not storing a partial result`);
}
