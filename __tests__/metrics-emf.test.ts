import { createPipelineMetrics, flushMetrics, recordMetrics } from '../lambda-src/io/metrics';
import { submissionMetrics } from '../lambda-src/metrics/pipeline-metrics';
import { MEDIACONVERT_PRICES } from '../contracts/pricing';

interface EmfLine {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[];
  };
  [key: string]: unknown;
}

/** Runs `act` and returns the EMF lines Powertools wrote to stdout. */
function captureEmf(act: () => void): EmfLine[] {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    act();
  } finally {
    spy.mockRestore();
  }
  return lines
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as EmfLine);
}

describe('pipeline metrics through Powertools (embedded metric format)', () => {
  it('writes one namespace, the Pipeline and service dimensions, units from the catalog', () => {
    // Prepare
    const metrics = createPipelineMetrics('submit-job', 'vod-prod');
    const data = [
      ...submissionMetrics(
        {
          outcome: 'submitted',
          source: { width: 1280, height: 720, durationMs: 90_000, fps: 30, audio: true, hdr: null, interlaced: false, rotation: 0 },
        },
        MEDIACONVERT_PRICES,
      ),
      ...submissionMetrics({ outcome: 'submitted' }, MEDIACONVERT_PRICES),
    ];

    // Act
    const lines = captureEmf(() => {
      recordMetrics(metrics, data);
      flushMetrics(metrics);
    });

    // Assess: the by-class line goes out at once, the buffered ones in one line at the flush.
    expect(lines).toHaveLength(2);
    const [byClass, buffered] = lines as [EmfLine, EmfLine];
    expect(byClass._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'VideoPipeline',
        Dimensions: [['service', 'Pipeline', 'ResolutionClass']],
        Metrics: [{ Name: 'SourceMinutes', Unit: 'None' }],
      },
    ]);
    expect(byClass).toEqual(
      expect.objectContaining({ service: 'submit-job', Pipeline: 'vod-prod', ResolutionClass: 'HD', SourceMinutes: 1.5 }),
    );
    expect(buffered._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'VideoPipeline',
        Dimensions: [['service', 'Pipeline']],
        Metrics: [
          { Name: 'JobsSubmitted', Unit: 'Count' },
          { Name: 'SourceMinutes', Unit: 'None' },
        ],
      },
    ]);
    expect(buffered).toEqual(
      expect.objectContaining({ service: 'submit-job', Pipeline: 'vod-prod', JobsSubmitted: [1, 1], SourceMinutes: 1.5 }),
    );
  });

  it('writes nothing when there is nothing to count', () => {
    // Prepare
    const metrics = createPipelineMetrics('job-events', 'vod-prod');

    // Act
    const lines = captureEmf(() => flushMetrics(metrics));

    // Assess
    expect(lines).toEqual([]);
  });

  it("refuses another function's metric, whose service dimension would be wrong", () => {
    // Prepare
    const metrics = createPipelineMetrics('job-events', 'vod-prod');

    // Act & Assess
    expect(() => recordMetrics(metrics, [{ name: 'JobsSubmitted', value: 1 }])).toThrow(
      /JobsSubmitted is emitted by submit-job, not job-events/,
    );
  });
});
