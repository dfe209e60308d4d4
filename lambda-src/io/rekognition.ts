import { GetLabelDetectionCommand, LabelDetection, RekognitionClient } from '@aws-sdk/client-rekognition';
import type { LabelDetectionResult } from '../analysis/label-analysis';
import { LABELS_PAGE_SIZE } from '../analysis/label-analysis';

/** A bound on pages read, so a paging bug cannot loop until the timeout: 10,000 pages is 10 million labels. */
const MAX_PAGES = 10_000;

/**
 * Every page of one label-detection job's results (GetLabelDetection, 1,000 labels a page, by
 * timestamp), with the job's status and what the first page says of the video.
 */
export async function fetchAllLabels(client: RekognitionClient, rekognitionJobId: string): Promise<LabelDetectionResult> {
  const labels: LabelDetection[] = [];
  let nextToken: string | undefined;
  let first: Omit<LabelDetectionResult, 'labels'> | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const response = await client.send(
      new GetLabelDetectionCommand({ JobId: rekognitionJobId, MaxResults: LABELS_PAGE_SIZE, SortBy: 'TIMESTAMP', NextToken: nextToken }),
    );
    first ??= {
      jobStatus: response.JobStatus,
      statusMessage: response.StatusMessage,
      labelModelVersion: response.LabelModelVersion,
      videoMetadata: response.VideoMetadata,
    };
    labels.push(...(response.Labels ?? []));
    nextToken = response.NextToken;
    if (nextToken === undefined || response.JobStatus !== 'SUCCEEDED') break;
  }
  if (nextToken !== undefined)
    throw new Error(`GetLabelDetection ${rekognitionJobId} still had pages after ${MAX_PAGES}; not storing a partial result`);
  return { ...first!, labels };
}
