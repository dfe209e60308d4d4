import type { LabelDetection } from '@aws-sdk/client-rekognition';
import type { ContentAnalysisConfig } from '../contracts/functions/content-analysis';
import { LabelAccumulator, MAX_DISTINCT_LABELS, labelsPageKey } from '../lambda-src/analysis/label-accumulator';
import type { LabelDetectionResult } from '../lambda-src/analysis/label-analysis';
import { summarizeLabels } from '../lambda-src/analysis/label-analysis';
import { Logger } from '../lambda-src/core/logger';
import { AnalysisPorts, collectAnalysis } from '../lambda-src/functions/content-analysis/analysis';

const ASSET = 'long-film-3f2a';
const CONFIG: ContentAnalysisConfig = {
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
function detection(i: number): LabelDetection {
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

describe('content analysis in bounded memory', () => {
  it('summarizes the same as the whole-set summary, page by page', () => {
    // Prepare
    const all = Array.from({ length: 5_000 }, (_, i) => detection(i));
    const accumulator = new LabelAccumulator();

    // Act
    for (let i = 0; i < all.length; i += 1000) accumulator.add(all.slice(i, i + 1000));

    // Assess
    expect(accumulator.top(10)).toEqual(summarizeLabels(all, 10));
    expect(accumulator.count).toBe(5_000);
  });

  it('keeps at most MAX_DISTINCT_LABELS names, counting the rest', () => {
    const accumulator = new LabelAccumulator(3);

    accumulator.add(['a', 'b', 'c', 'd', 'a', 'e'].map((name) => ({ Label: { Name: name, Confidence: 90 } })));

    expect(accumulator.top(10).map((label) => label.name)).toEqual(['a', 'b', 'c']);
    expect([accumulator.count, accumulator.uncounted]).toEqual([6, 2]);
    expect(MAX_DISTINCT_LABELS).toBe(10_000);
  });

  it('pages through 2 million labels with the heap bounded: each page goes to S3 and is dropped', async () => {
    // Prepare: 2,000 pages; holding every detection would take far more than the bound below
    const written: { key: string; bytes: number }[] = [];
    let baseline = 0;
    let peak = 0;
    const ports: AnalysisPorts = {
      startLabelDetection: () => Promise.reject(new Error('not called')),
      labelPages: () => syntheticPages(2_000_000),
      putLabels: async (key, body) => {
        written.push({ key, bytes: body.length });
        peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
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
    const logger = new Logger('content-analysis');
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    baseline = process.memoryUsage().heapUsed;

    // Act
    const summary = await collectAnalysis(MESSAGE, { config: CONFIG, logger }, ports);

    // Assess
    jest.restoreAllMocks();
    expect(summary).toEqual({ outcome: 'completed', jobId: 'job-1' });
    expect(written).toHaveLength(2_001);
    expect(written[0]!.key).toBe(labelsPageKey(ASSET, 0));
    expect(written.at(-1)!.key).toBe(`${ASSET}/analysis/labels.json`);
    // A generous bound (measured here: ~16 MB): 2 million detections held as objects take ~600 MB (156 MB per 500,000).
    expect(peak).toBeLessThan(256 * 1024 * 1024);
  }, 300_000);
});
