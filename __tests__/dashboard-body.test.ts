import { buildDashboardBody, DashboardInput } from '../stacks/lib/dashboard-body';
import { metricLines, unpublishedMetricLines } from './support/dashboard-metrics';

const QUEUE_ARN = 'arn:aws:mediaconvert:us-east-1:123456789012:queues/vod-test';
const INPUT: DashboardInput = {
  pipeline: 'vod-test',
  region: 'us-east-1',
  functions: { 'submit-job': 'vod-test-submit-job', 'job-events': 'vod-test-job-events' },
  deadLetterQueues: { 'submit-job': 'vod-test-submit-job-dlq', 'job-events-rule': 'vod-test-job-events-rule-dlq' },
  mediaconvertQueueArn: QUEUE_ARN,
  dailyCostBudgetUsd: 25,
  errorRateThresholdPercent: 5,
  contentAnalysis: false,
};
const CONTEXT = {
  pipeline: 'vod-test',
  dimensionValues: {
    FunctionName: Object.values(INPUT.functions),
    QueueName: Object.values(INPUT.deadLetterQueues),
    Queue: [QUEUE_ARN],
  },
};

/** The body as CloudWatch receives it: serialized, then parsed. */
const bodyOf = (input: DashboardInput) => JSON.parse(JSON.stringify(buildDashboardBody(input))) as ReturnType<typeof buildDashboardBody>;
const titles = (input: DashboardInput) =>
  bodyOf(input)
    .widgets.map((w) => w.properties.title)
    .filter(Boolean);

describe('buildDashboardBody', () => {
  it('shows every view the on-call engineer needs', () => {
    expect(titles(INPUT)).toEqual([
      'Jobs by status',
      'Processing and queue time (s)',
      'Job error rate (%)',
      'Estimated MediaConvert cost per day (USD)',
      'Source minutes per day',
      'Lambda duration (ms)',
      'Lambda errors and throttles',
      'Dead-letter queue depth',
      'MediaConvert queue',
    ]);
  });

  it('draws only metrics the functions emit or AWS publishes, with the dimensions they carry', () => {
    // Act
    const problems = unpublishedMetricLines(bodyOf({ ...INPUT, contentAnalysis: true }), CONTEXT);

    // Assess
    expect(problems).toEqual([]);
  });

  it('would catch a metric drawn without the service dimension Powertools adds', () => {
    // Prepare: the cost line as if the functions emitted it with the Pipeline dimension alone.
    const body = bodyOf(INPUT);
    const cost = body.widgets.find((w) => w.properties.title === 'Estimated MediaConvert cost per day (USD)')!;
    (cost.properties.metrics as unknown[][])[0] = ['VideoPipeline', 'EstimatedCostUSD', 'Pipeline', 'vod-test', { stat: 'Sum' }];

    // Act
    const problems = unpublishedMetricLines(body, CONTEXT);

    // Assess
    expect(problems).toEqual([expect.stringContaining('EstimatedCostUSD')]);
  });

  it('charts processing time at p50 and p90, and cost and source minutes per day', () => {
    // Act
    const lines = metricLines(bodyOf(INPUT));
    const widgets = bodyOf(INPUT).widgets;

    // Assess
    expect(lines.filter((l) => l.name === 'ProcessingSeconds').map((l) => l.options.stat)).toEqual(['p50', 'p90']);
    for (const title of ['Estimated MediaConvert cost per day (USD)', 'Source minutes per day']) {
      expect(widgets.find((w) => w.properties.title === title)?.properties.period).toBe(86_400);
    }
  });

  it('computes the error rate from the hidden counts, with the alarm threshold drawn', () => {
    // Act
    const widget = bodyOf(INPUT).widgets.find((w) => w.properties.title === 'Job error rate (%)')!;
    const metrics = widget.properties.metrics as unknown[][];
    const ids = metrics.map((m) => (m[m.length - 1] as { id: string }).id);
    const expression = (metrics.find((m) => typeof m[0] === 'object')![0] as { expression: string }).expression;

    // Assess
    expect(ids).toEqual(['errored', 'completed', 'canceled', 'errorRate']);
    for (const id of ['errored', 'completed', 'canceled']) expect(expression).toContain(id);
    expect(widget.properties.annotations).toEqual({ horizontal: [{ label: 'alarm threshold', value: 5 }] });
  });

  it('adds the content-analysis widget only when analysis is on', () => {
    expect(titles(INPUT)).not.toContain('Content analysis');
    expect(titles({ ...INPUT, contentAnalysis: true })).toContain('Content analysis');
  });

  it('lays the widgets out two per row without overlap', () => {
    // Act
    const cells = bodyOf({ ...INPUT, contentAnalysis: true }).widgets.map((w) => `${w.x},${w.y}`);

    // Assess
    expect(new Set(cells).size).toBe(cells.length);
  });
});
