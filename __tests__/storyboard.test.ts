import { formatCueTime, planStoryboard, renderStoryboard, storyboardCues } from '../lambda-src/delivery/storyboard';
import type { OutputGroupDetail } from '../lambda-src/jobs/job-event';

const grid = { intervalSeconds: 2, columns: 3, rows: 2, thumbnailWidth: 240, thumbnailHeight: 136 };
const hlsGroup = (
  durationsMs: number[],
  master = 's3://out/a1/hls/clip.m3u8',
  size = { widthInPx: 1920, heightInPx: 1080 },
): OutputGroupDetail => ({
  type: 'HLS_GROUP',
  playlistFilePaths: [master],
  outputDetails: durationsMs.map((durationInMs, i) => ({
    outputFilePaths: [`s3://out/a1/hls/clip_${i}.m3u8`],
    durationInMs,
    videoDetails: { widthInPx: size.widthInPx / (i + 1), heightInPx: size.heightInPx / (i + 1) },
  })),
});

describe('formatCueTime', () => {
  it.each([
    [0, '00:00:00.000'],
    [1999.6, '00:00:02.000'],
    [61_005, '00:01:01.005'],
    [3_723_456, '01:02:03.456'],
  ])('writes %d ms as %s', (ms, text) => {
    expect(formatCueTime(ms)).toBe(text);
  });
});

describe('storyboardCues', () => {
  it.each<[string, number, { count: number; last: { startMs: number; endMs: number; tile: number; x: number; y: number } }]>([
    // 3x2 cells of 240x136 per tile, one every 2 s.
    ['one thumbnail for a clip shorter than the interval', 1_500, { count: 1, last: { startMs: 0, endMs: 1_500, tile: 0, x: 0, y: 0 } }],
    ['exact intervals: no empty last cue', 10_000, { count: 5, last: { startMs: 8_000, endMs: 10_000, tile: 0, x: 240, y: 136 } }],
    [
      'a started interval gets its thumbnail, ending with the video',
      10_001,
      { count: 6, last: { startMs: 10_000, endMs: 10_001, tile: 0, x: 480, y: 136 } },
    ],
    ['a full tile, then the first cell of the next', 12_500, { count: 7, last: { startMs: 12_000, endMs: 12_500, tile: 1, x: 0, y: 0 } }],
    [
      'a long video: the last tile partly filled',
      3_600_000,
      { count: 1800, last: { startMs: 3_598_000, endMs: 3_600_000, tile: 299, x: 480, y: 136 } },
    ],
    ['no duration, no cues', 0, { count: 0, last: undefined as never }],
  ])('%s (%d ms)', (_, durationMs, expected) => {
    // Act
    const cues = storyboardCues(grid, durationMs);

    // Assess
    expect(cues).toHaveLength(expected.count);
    if (expected.count > 0) expect(cues.at(-1)).toEqual(expected.last);
    // Contiguous, in order, row by row.
    cues.forEach((cue, k) => {
      expect(cue.startMs).toBe(k * 2000);
      if (k > 0) expect(cue.startMs).toBe(cues[k - 1]!.endMs);
    });
  });

  it('renders WebVTT with #xywh fragments into the tile images', () => {
    // Act
    const text = renderStoryboard(grid, storyboardCues(grid, 3_000), (tile) => `clip_trickplay.${tile}.jpg`);

    // Assess
    expect(text).toBe(
      'WEBVTT\n\n' +
        '00:00:00.000 --> 00:00:02.000\nclip_trickplay.0.jpg#xywh=0,0,240,136\n\n' +
        '00:00:02.000 --> 00:00:03.000\nclip_trickplay.0.jpg#xywh=240,0,240,136\n',
    );
  });
});

describe('planStoryboard', () => {
  const change = (overrides: Partial<Parameters<typeof planStoryboard>[0]> = {}) => ({
    assetId: 'a1',
    trickPlay: grid,
    outputGroupDetails: [hlsGroup([7_000, 7_040])],
    ...overrides,
  });

  it('writes <assetId>/hls/storyboard.vtt with relative tile URLs, timed by the longest HLS variant', () => {
    // Act
    const plan = planStoryboard(change(), 'out');

    // Assess
    expect(plan).toEqual({ action: 'write', key: 'a1/hls/storyboard.vtt', body: expect.any(String), cues: 4 });
    if (plan.action !== 'write') throw new Error('no storyboard');
    expect(plan.body).toContain('00:00:06.000 --> 00:00:07.040\nclip_trickplay.0000000.jpg#xywh=0,136,240,136');
  });

  it('writes the same bytes for a retried event', () => {
    expect(planStoryboard(change(), 'out')).toEqual(planStoryboard(change(), 'out'));
  });

  it('derives a blank thumbnail height from the largest variant (portrait)', () => {
    // Prepare
    const blank = { intervalSeconds: 2, columns: 3, rows: 2, thumbnailWidth: 128 };

    // Act
    const plan = planStoryboard(
      change({ trickPlay: blank, outputGroupDetails: [hlsGroup([4_000], undefined, { widthInPx: 1080, heightInPx: 1920 })] }),
      'out',
    );

    // Assess
    expect(plan.action === 'write' && plan.body).toContain('#xywh=128,0,128,228');
  });

  it.each<[string, Partial<Parameters<typeof planStoryboard>[0]>, string]>([
    ['a job without trick play', { trickPlay: undefined }, 'no-trick-play'],
    ['no HLS group', { outputGroupDetails: [] }, 'no-hls'],
    ['a master playlist in another bucket', { outputGroupDetails: [hlsGroup([7_000], 's3://elsewhere/a1/hls/clip.m3u8')] }, 'no-hls'],
    [
      'a master playlist outside <assetId>/hls/',
      { outputGroupDetails: [hlsGroup([7_000], 's3://out/a1/hls/deeper/clip.m3u8')] },
      'unexpected-layout',
    ],
    ['another asset’s folder', { outputGroupDetails: [hlsGroup([7_000], 's3://out/a2/hls/clip.m3u8')] }, 'unexpected-layout'],
    ['no duration', { outputGroupDetails: [hlsGroup([0])] }, 'no-duration'],
  ])('skips %s', (_, overrides, reason) => {
    expect(planStoryboard(change(overrides), 'out')).toEqual({ action: 'skip', reason });
  });
});
