/**
 * Runs one content analysis of LABEL_MEMORY_PROBE_COUNT synthetic labels with in-memory ports and prints
 * `{ summary, written, retainedPeak }` as JSON. Started by label-memory.test.ts in a child process
 * with a small heap (--max-old-space-size) and --expose-gc: if the labels were held in memory, the
 * process would die of heap exhaustion; `retainedPeak` is the heap still in use after a full GC,
 * sampled every 100 pages.
 */
import type { LabelDetection } from '@aws-sdk/client-rekognition';
import type { ContentAnalysisConfig } from '../../../contracts/functions/content-analysis';
import type { LabelDetectionResult } from '../../../lambda-src/analysis/label-analysis';
import { Logger } from '../../../lambda-src/core/logger';
import { AnalysisPorts, collectAnalysis } from '../../../lambda-src/functions/content-analysis/analysis';

export const ASSET = 'long-film-3f2a';
export const CONFIG: ContentAnalysisConfig = {
  pipeline: 'vod-test',
  queueArn: 'arn:aws:mediaconvert:us-east-1:111122223333:queues/vod-test',
  jobsTable: 'vod-test-jobs',
  outputBucket: 'vod-test-output',
  distributionDomain: 'd1.cloudfront.net',
  notificationTopicArn: 'arn:aws:sns:us-east-1:111122223333:vod-test-job-notifications',
  analysisTopicArn: 'arn:aws:sns:us-east-1:111122223333:vod-test-rekognition',
  analysisRoleArn: 'arn:aws:iam::111122223333:role/vod-test-rekognition',
  minConfidence: 70,
  topLabels: 10,
  region: 'us-east-1',
};
const MESSAGE = JSON.stringify({
  JobId: 'rek-1',
  Status: 'SUCCEEDED',
  API: 'StartLabelDetection',
  JobTag: 'job-1',
  Video: { S3ObjectName: `${ASSET}/mp4/film_1080p.mp4`, S3Bucket: CONFIG.outputBucket },
});

/** Detection `i`: one of 500 names, a confidence that depends on the name, 40 ms apart. */
export function detection(i: number): LabelDetection {
  return {
    Timestamp: i * 40,
    Label: {
      Name: `Label ${i % 500}`,
      Confidence: 50 + ((i % 500) % 50),
      Parents: [{ Name: 'Thing' }],
      Categories: [{ Name: 'Everyday' }],
    },
  };
}

/** GetLabelDetection's pages of a job with `count` detections, made one page at a time (as Rekognition serves them). */
async function* syntheticPages(count: number): AsyncGenerator<LabelDetectionResult> {
  for (let start = 0; start < count; start += 1000) {
    yield {
      jobStatus: 'SUCCEEDED',
      statusMessage: undefined,
      labelModelVersion: '3.0',
      videoMetadata: { DurationMillis: count * 40 },
      labels: Array.from({ length: Math.min(1000, count - start) }, (_, i) => detection(start + i)),
    };
  }
}

async function main(count: number): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  const written: string[] = [];
  let retainedPeak = 0;
  const ports: AnalysisPorts = {
    startLabelDetection: () => Promise.reject(new Error('not called')),
    labelPages: () => syntheticPages(count),
    putLabels: async (key) => {
      written.push(key);
      if (written.length % 100 === 0) {
        gc();
        retainedPeak = Math.max(retainedPeak, process.memoryUsage().heapUsed);
      }
    },
    transition: async () => ({ applied: true }),
    readRecord: async () => ({
      assetId: ASSET,
      jobId: 'job-1',
      analysis: { status: 'IN_PROGRESS', jobId: 'job-1', rekognitionJobId: 'rek-1', updatedAt: '' },
    }),
    publish: async () => undefined,
    now: () => new Date('2026-12-02T12:00:00Z'),
  };
  const summary = await collectAnalysis(MESSAGE, { config: CONFIG, logger: new Logger('content-analysis', () => undefined) }, ports);
  process.stdout.write(JSON.stringify({ summary, written: written.length, first: written[0], last: written.at(-1), retainedPeak }));
}

const count = process.env.LABEL_MEMORY_PROBE_COUNT;
if (count !== undefined) void main(Number(count));
