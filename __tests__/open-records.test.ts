import type { JobRecord } from '../lambda-src/jobs/job-record';
import { buildSweepMetrics, classifyOpenRecord, summarizeOpenRecords, sweepCutoff, SweepThresholds } from '../lambda-src/jobs/open-records';

const NOW = new Date('2026-11-25T12:00:00.000Z');
const T = NOW.getTime();
const MINUTE = 60_000;
const THRESHOLDS: SweepThresholds = { stuckSubmissionMs: 10 * MINUTE, overdueJobMs: 120 * MINUTE, unnotifiedOutcomeMs: 10 * MINUTE };
const open = (status: JobRecord['status'], openedMinutesAgo: number, extra: Partial<JobRecord> = {}): JobRecord => ({
  assetId: `${status.toLowerCase()}-${openedMinutesAgo}`,
  status,
  openShard: 'open',
  openSince: T - openedMinutesAgo * MINUTE,
  ...extra,
});
const ago = (minutes: number) => new Date(T - minutes * MINUTE).toISOString();

describe('classifyOpenRecord', () => {
  it.each<[string, JobRecord, string | undefined]>([
    ['a fresh claim', open('SUBMITTING', 2), undefined],
    ['a claim past the retry window', open('SUBMITTING', 11), 'stuckSubmissions'],
    ['a released claim past the retry window', open('RETRYABLE', 11), 'stuckSubmissions'],
    ['a job submitted an hour ago', open('SUBMITTED', 60, { submittedAt: ago(60) }), undefined],
    ['a job with no terminal state after N minutes', open('PROGRESSING', 200, { submittedAt: ago(121) }), 'overdueJobs'],
    ['an overdue job counted from submission, not from the first claim', open('SUBMITTED', 200, { submittedAt: ago(30) }), undefined],
    ['a job recorded by its events only, counted from the first event', open('PROGRESSING', 121), 'overdueJobs'],
    ['a terminal state being notified', open('COMPLETE', 60, { completedAt: ago(2) }), undefined],
    ['a terminal state never notified', open('ERROR', 60, { completedAt: ago(11) }), 'unnotifiedOutcomes'],
    ['a notified state (closed, but read anyway)', open('COMPLETE', 60, { completedAt: ago(50), notifiedAt: ago(49) }), undefined],
    ['a FAILED record', open('FAILED', 600), undefined],
  ])('%s → %p', (_case, record, metric) => {
    expect(classifyOpenRecord(record, NOW, THRESHOLDS)?.metric).toBe(metric);
  });
});

describe('sweepCutoff', () => {
  it('reads only records opened longer ago than the shortest threshold', () => {
    expect(sweepCutoff(NOW, THRESHOLDS)).toBe(T - 10 * MINUTE);
  });
});

describe('buildSweepMetrics', () => {
  it('emits every metric, zero included, as one embedded-metric-format line per pipeline', () => {
    // Prepare
    const summary = summarizeOpenRecords([open('SUBMITTING', 30), open('RETRYABLE', 30), open('SUBMITTING', 1)], NOW, THRESHOLDS);

    // Act
    const line = buildSweepMetrics(summary, 'vod-dev', NOW);

    // Assess
    expect(line).toEqual({
      _aws: {
        Timestamp: T,
        CloudWatchMetrics: [
          {
            Namespace: 'VideoPipeline',
            Dimensions: [['Pipeline']],
            Metrics: [
              { Name: 'StuckSubmissions', Unit: 'Count' },
              { Name: 'OverdueJobs', Unit: 'Count' },
              { Name: 'UnnotifiedOutcomes', Unit: 'Count' },
            ],
          },
        ],
      },
      Pipeline: 'vod-dev',
      StuckSubmissions: 2,
      OverdueJobs: 0,
      UnnotifiedOutcomes: 0,
    });
    expect(summary.findings.map((finding) => finding.assetId)).toEqual(['submitting-30', 'retryable-30']);
  });
});
