import {
  AnalysisRecord,
  buildAnalysisNotification,
  buildAnalysisPublishInput,
  decideRefusedAnalysisWrite,
  recordAnalysisResult,
  recordAnalysisStart,
} from '../lambda-src/analysis/analysis-record';

const NOW = new Date('2026-11-25T10:00:00.000Z');

describe('decideRefusedAnalysisWrite', () => {
  it.each([
    ['no record', undefined, 'no-record'],
    ['a record of another job of the upload', { assetId: 'a', jobId: 'job-2' }, 'foreign-job'],
    ['a record without a job', { assetId: 'a' }, 'foreign-job'],
    [
      'this job, its analysis recorded',
      { assetId: 'a', jobId: 'job-1', analysis: { status: 'IN_PROGRESS', jobId: 'job-1', updatedAt: '' } },
      'duplicate',
    ],
  ] as const)('reads %s as %s', (_case, record, decision) => {
    expect(decideRefusedAnalysisWrite(record, 'job-1')).toBe(decision);
  });
});

describe('analysis writes', () => {
  it.each([
    [
      'the start',
      recordAnalysisStart({
        table: 't',
        assetId: 'a',
        now: NOW,
        analysis: { status: 'IN_PROGRESS', jobId: 'job-1', rekognitionJobId: 'r' },
      }),
    ],
    [
      'the result',
      recordAnalysisResult({
        table: 't',
        assetId: 'a',
        now: NOW,
        analysis: { status: 'FAILED', jobId: 'job-1', rekognitionJobId: 'r', error: { code: 'FAILED', message: 'm' } },
      }),
    ],
  ])('writes only the analysis attribute for %s, and returns the blocking record when refused', (_case, input) => {
    expect(input.UpdateExpression).toBe('SET #analysis = :analysis');
    expect(input.ConditionExpression).toMatch(/^#jobId = :jobId AND /);
    expect(input.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
  });
});

describe('buildAnalysisNotification', () => {
  const base = { pipeline: 'vod-prod', assetId: 'my-trip-3f2a', outputBucket: 'vod-prod-output', now: NOW };
  const succeeded: AnalysisRecord = {
    status: 'SUCCEEDED',
    jobId: 'job-1',
    rekognitionJobId: 'r',
    labelsKey: 'my-trip-3f2a/analysis/labels.json',
    labelCount: 12,
    topLabels: [{ name: 'Dog', confidence: 97.7, occurrences: 3, firstSeenMs: 500 }],
    updatedAt: NOW.toISOString(),
  };

  it.each<[string, AnalysisRecord, Record<string, unknown>]>([
    [
      'a completed analysis: the labels URL, count and top labels',
      succeeded,
      {
        status: 'ANALYSIS_COMPLETE',
        labelsUrl: 's3://vod-prod-output/my-trip-3f2a/analysis/labels.json',
        labelCount: 12,
        topLabels: succeeded.topLabels,
        error: null,
      },
    ],
    [
      'a failed analysis: the error, no labels',
      { status: 'FAILED', jobId: 'job-1', error: { code: 'VideoTooLargeException', message: 'too large' }, updatedAt: '' },
      {
        status: 'ANALYSIS_FAILED',
        labelsUrl: null,
        labelCount: null,
        topLabels: [],
        error: { code: 'VideoTooLargeException', message: 'too large' },
      },
    ],
  ])('announces %s', (_case, analysis, expected) => {
    // Act
    const notification = buildAnalysisNotification({ ...base, analysis });

    // Assess
    expect(notification).toEqual({
      version: '1',
      pipeline: 'vod-prod',
      jobId: 'job-1',
      assetId: 'my-trip-3f2a',
      timestamp: NOW.toISOString(),
      ...expected,
    });
  });

  it('publishes with the filterable status and pipeline attributes of the job notifications', () => {
    // Act
    const input = buildAnalysisPublishInput('arn:topic', buildAnalysisNotification({ ...base, analysis: succeeded }));

    // Assess
    expect(input.Subject).toBe('[vod-prod] ANALYSIS_COMPLETE my-trip-3f2a');
    expect(input.MessageAttributes).toEqual({
      status: { DataType: 'String', StringValue: 'ANALYSIS_COMPLETE' },
      pipeline: { DataType: 'String', StringValue: 'vod-prod' },
    });
  });
});
