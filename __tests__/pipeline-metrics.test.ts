import { JobStateChange, parseJobStateEvent } from '../lambda-src/jobs/job-event';
import {
  JobEventOutcome,
  SubmissionOutcome,
  analysisMetrics,
  jobStateMetrics,
  submissionMetrics,
} from '../lambda-src/metrics/pipeline-metrics';
import { EXTRA_DIMENSIONS, MetricDatum, PIPELINE_METRICS, metricDimensions } from '../contracts/metrics';
import { MEDIACONVERT_PRICES } from '../contracts/pricing';
import { SKIP_REASONS } from '../contracts/metrics';
import type { SourceSummary } from '../lambda-src/encoding/source-profile';
import { PIPELINE, TIMESTAMP, completeEvent, jobStateChange } from './fixtures/mediaconvert-events';

const summary = (overrides: Partial<SourceSummary> = {}): SourceSummary => ({
  width: 1920,
  height: 1080,
  durationMs: 90_000,
  fps: 30,
  audio: true,
  hdr: null,
  interlaced: false,
  rotation: 0,
  ...overrides,
});

/** The recorded change of an event built by the fixtures. */
function change(event: Record<string, unknown>): JobStateChange {
  const plan = parseJobStateEvent(event, PIPELINE);
  if (plan.action !== 'record') throw new Error(`fixture event was skipped: ${plan.reason}`);
  return plan.event;
}

/** Every data point names a declared metric, with the extra dimensions of one of its dimension sets. */
function expectDeclared(data: readonly MetricDatum[]): void {
  for (const datum of data) {
    const sets = PIPELINE_METRICS[datum.name].dimensionSets.map((set) => [...set].sort().join(','));
    expect(sets).toContain(
      Object.keys(datum.dimensions ?? {})
        .sort()
        .join(','),
    );
    for (const [dimension, value] of Object.entries(datum.dimensions ?? {})) {
      expect(EXTRA_DIMENSIONS[dimension as keyof typeof EXTRA_DIMENSIONS]).toContain(value);
    }
  }
}

describe('submissionMetrics', () => {
  it.each<[string, SubmissionOutcome, MetricDatum[]]>([
    [
      'a submitted 1080p source: one job and its minutes, in total and as HD',
      { outcome: 'submitted', source: summary() },
      [
        { name: 'JobsSubmitted', value: 1 },
        { name: 'SourceMinutes', value: 1.5 },
        { name: 'SourceMinutes', value: 1.5, dimensions: { ResolutionClass: 'HD' } },
      ],
    ],
    [
      'fractional minutes to four decimals',
      { outcome: 'submitted', source: summary({ durationMs: 12_345 }) },
      [
        { name: 'JobsSubmitted', value: 1 },
        { name: 'SourceMinutes', value: 0.2058 },
        { name: 'SourceMinutes', value: 0.2058, dimensions: { ResolutionClass: 'HD' } },
      ],
    ],
    [
      'a portrait phone clip (720x1280) is HD',
      { outcome: 'submitted', source: summary({ width: 720, height: 1280, durationMs: 60_000 }) },
      [
        { name: 'JobsSubmitted', value: 1 },
        { name: 'SourceMinutes', value: 1 },
        { name: 'SourceMinutes', value: 1, dimensions: { ResolutionClass: 'HD' } },
      ],
    ],
    [
      'a 4K source is UHD',
      { outcome: 'submitted', source: summary({ width: 3840, height: 2160, durationMs: 60_000 }) },
      [
        { name: 'JobsSubmitted', value: 1 },
        { name: 'SourceMinutes', value: 1 },
        { name: 'SourceMinutes', value: 1, dimensions: { ResolutionClass: 'UHD' } },
      ],
    ],
    [
      'a 480p webcam clip is SD',
      { outcome: 'submitted', source: summary({ width: 640, height: 480, durationMs: 30_000 }) },
      [
        { name: 'JobsSubmitted', value: 1 },
        { name: 'SourceMinutes', value: 0.5 },
        { name: 'SourceMinutes', value: 0.5, dimensions: { ResolutionClass: 'SD' } },
      ],
    ],
    ['a job planned without a probe: no source minutes', { outcome: 'submitted' }, [{ name: 'JobsSubmitted', value: 1 }]],
    ['an upload recorded FAILED', { outcome: 'failed' }, [{ name: 'JobsFailed', value: 1 }]],
    [
      'a skipped record, by reason',
      { outcome: 'skipped', reason: 'not-a-video' },
      [{ name: 'JobsSkipped', value: 1, dimensions: { Reason: 'not-a-video' } }],
    ],
    ['a duplicate delivery: nothing, its upload was counted', { outcome: 'duplicate' }, []],
  ])('counts %s', (_case, outcome, expected) => {
    // Act
    const data = submissionMetrics(outcome, MEDIACONVERT_PRICES);

    // Assess
    expect(data).toEqual(expected);
    expectDeclared(data);
  });

  it.each(SKIP_REASONS)('declares skip reason %s as a value of the Reason dimension', (reason) => {
    expectDeclared(submissionMetrics({ outcome: 'skipped', reason }, MEDIACONVERT_PRICES));
  });
});

describe('jobStateMetrics', () => {
  const submittedAt = TIMESTAMP - 95_500;
  const timing = { submittedAt: String(submittedAt), billingTier: 'BASIC' };
  const profile = (fps: number) => JSON.stringify(summary({ fps }));
  // The fixture's COMPLETE job: 4 HLS variants and an MP4 (HD, 180.041 s -> 181 s billed), two captures (180 s, 1 s -> 10 s).
  const videoMinutes = (5 * 181) / 60;
  const captureMinutes = (180 + 10) / 60;

  it.each<[string, Record<string, unknown>, JobEventOutcome, MetricDatum[]]>([
    [
      'a notified COMPLETE at 30 fps: count, processing time, output minutes, cost',
      completeEvent('my-trip', { metadata: { ...timing, sourceProfile: profile(30) } }),
      'notified',
      [
        { name: 'JobsCompleted', value: 1 },
        { name: 'ProcessingSeconds', value: 95.5 },
        { name: 'OutputMinutes', value: Math.round((videoMinutes + captureMinutes) * 1e4) / 1e4 },
        { name: 'EstimatedCostUSD', value: Math.round((videoMinutes * 2 + captureMinutes) * 0.0075 * 1e6) / 1e6 },
      ],
    ],
    [
      'a notified COMPLETE above 30 fps: video outputs cost twice',
      completeEvent('my-trip', { metadata: { ...timing, sourceProfile: profile(59.94) } }),
      'notified',
      [
        { name: 'JobsCompleted', value: 1 },
        { name: 'ProcessingSeconds', value: 95.5 },
        { name: 'OutputMinutes', value: Math.round((videoMinutes + captureMinutes) * 1e4) / 1e4 },
        { name: 'EstimatedCostUSD', value: Math.round((videoMinutes * 4 + captureMinutes) * 0.0075 * 1e6) / 1e6 },
      ],
    ],
    [
      'a notified COMPLETE on the Professional tier',
      completeEvent('my-trip', { metadata: { ...timing, billingTier: 'PROFESSIONAL', sourceProfile: profile(30) } }),
      'notified',
      [
        { name: 'JobsCompleted', value: 1 },
        { name: 'ProcessingSeconds', value: 95.5 },
        { name: 'OutputMinutes', value: Math.round((videoMinutes + captureMinutes) * 1e4) / 1e4 },
        { name: 'EstimatedCostUSD', value: Math.round((videoMinutes * 2 + captureMinutes) * 0.0225 * 1e6) / 1e6 },
      ],
    ],
    [
      'a COMPLETE of a job without timing metadata: no processing time, Basic rate',
      completeEvent('my-trip'),
      'notified',
      [
        { name: 'JobsCompleted', value: 1 },
        { name: 'OutputMinutes', value: Math.round((videoMinutes + captureMinutes) * 1e4) / 1e4 },
        { name: 'EstimatedCostUSD', value: Math.round((videoMinutes * 2 + captureMinutes) * 0.0075 * 1e6) / 1e6 },
      ],
    ],
    [
      'a notified ERROR: count and processing time, no cost',
      jobStateChange('ERROR', { errorCode: 1040, errorMessage: 'Demuxer: file read failed' }, { metadata: timing }),
      'notified',
      [
        { name: 'JobsErrored', value: 1 },
        { name: 'ProcessingSeconds', value: 95.5 },
      ],
    ],
    [
      'a notified CANCELED',
      jobStateChange('CANCELED', {}, { metadata: timing }),
      'notified',
      [
        { name: 'JobsCanceled', value: 1 },
        { name: 'ProcessingSeconds', value: 95.5 },
      ],
    ],
    [
      'a recorded PROGRESSING: the queue wait',
      jobStateChange('PROGRESSING', {}, { metadata: timing }),
      'recorded',
      [{ name: 'QueueWaitSeconds', value: 95.5 }],
    ],
    ['a stale PROGRESSING: nothing', jobStateChange('PROGRESSING', {}, { metadata: timing }), 'stale', []],
    ['a PROGRESSING without a submission time: nothing', jobStateChange('PROGRESSING'), 'recorded', []],
    [
      'a PROGRESSING stamped before its submission (clock skew): nothing',
      jobStateChange('PROGRESSING', {}, { metadata: { submittedAt: String(TIMESTAMP + 1000) } }),
      'recorded',
      [],
    ],
    ['a duplicate COMPLETE: nothing, the first delivery counted it', completeEvent('my-trip', { metadata: timing }), 'duplicate', []],
    ['a stale COMPLETE: nothing', completeEvent('my-trip', { metadata: timing }), 'stale', []],
    ['a COMPLETE of another job of the upload: nothing', completeEvent('my-trip', { metadata: timing }), 'foreign-job', []],
  ])('counts %s', (_case, event, outcome, expected) => {
    // Act
    const data = jobStateMetrics(change(event), outcome, MEDIACONVERT_PRICES);

    // Assess
    expect(data).toEqual(expected);
    expectDeclared(data);
  });
});

describe('analysisMetrics', () => {
  it.each([
    ['started', [{ name: 'AnalysesStarted', value: 1 }]],
    ['completed', [{ name: 'AnalysesCompleted', value: 1 }]],
    ['failed', [{ name: 'AnalysesFailed', value: 1 }]],
    ['skipped', []],
    ['duplicate', []],
  ] as const)('counts an analysis %s', (outcome, expected) => {
    expect(analysisMetrics(outcome)).toEqual(expected);
  });
});

describe('metricDimensions', () => {
  it('names the pipeline and the emitting function, plus the extra dimensions', () => {
    expect(metricDimensions('JobsSkipped', 'vod-prod', { Reason: 'empty-object' })).toEqual({
      Pipeline: 'vod-prod',
      service: 'submit-job',
      Reason: 'empty-object',
    });
    expect(metricDimensions('EstimatedCostUSD', 'vod-prod')).toEqual({ Pipeline: 'vod-prod', service: 'job-events' });
  });
});
