import { execFileSync } from 'node:child_process';
import { LabelAccumulator, MAX_DISTINCT_LABELS, labelsPageKey } from '../lambda-src/analysis/label-accumulator';
import { summarizeLabels } from '../lambda-src/analysis/label-analysis';
import { ASSET, detection } from './support/analysis/label-memory-probe';

/** The probe's heap: holding 2 million detections as objects takes ~600 MB (measured: 156 MB per 500,000). */
const HEAP_MB = 96;

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

  it(`pages through 2 million labels in a ${HEAP_MB} MB heap: each page goes to S3 and is dropped`, () => {
    // Act: a process whose heap could not hold the labels (it would die of heap exhaustion)
    const stdout = execFileSync(
      process.execPath,
      ['--expose-gc', `--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', 'label-memory-probe.ts'],
      {
        cwd: `${__dirname}/support/analysis`,
        env: { ...process.env, LABEL_MEMORY_PROBE_COUNT: '2000000' },
        encoding: 'utf8',
      },
    );

    // Assess: 2,000 pages and the index written; the heap in use after a full GC stays small (measured ~8 MB)
    const result = JSON.parse(stdout) as { summary: unknown; written: number; first: string; last: string; retainedPeak: number };
    expect(result.summary).toEqual({ outcome: 'completed', jobId: 'job-1' });
    expect(result).toEqual(
      expect.objectContaining({ written: 2_001, first: labelsPageKey(ASSET, 0), last: `${ASSET}/analysis/labels.json` }),
    );
    expect(result.retainedPeak).toBeLessThan(64 * 1024 * 1024);
  }, 300_000);
});
