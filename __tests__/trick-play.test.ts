import { BASIC_TIER_PLAN_SETTINGS, planEncoding } from '../lambda-src/encoding/encoding-plan';
import { DEFAULT_RUNGS, EncodingLadderSchema } from '../contracts/ladder';
import { buildCreateJobRequest } from '../lambda-src/encoding/job-settings';
import { planTrickPlay, trickPlaySettings } from '../lambda-src/encoding/trick-play';
import { TRICK_PLAY_LIMITS, TrickPlayGrid, parseTrickPlayGrid, serializeTrickPlayGrid } from '../contracts/trick-play';
import { describeSource } from '../lambda-src/encoding/source-profile';
import { parseJobStateEvent } from '../lambda-src/jobs/job-event';
import { PIPELINE, jobStateChange } from './fixtures/mediaconvert-events';

const ladder = EncodingLadderSchema.parse({ rungs: [...DEFAULT_RUNGS] });
const top = (width: number, height: number) => ({ basis: 'probe' as const, renditions: [{ width, height }] as never });

describe('planTrickPlay', () => {
  it.each<[string, ReturnType<typeof top> | { basis: 'fallback'; renditions: never }, TrickPlayGrid]>([
    ['1080p landscape', top(1920, 1080), { intervalSeconds: 2, columns: 5, rows: 4, thumbnailWidth: 240, thumbnailHeight: 136 }],
    ['phone portrait 1080x1920', top(1080, 1920), { intervalSeconds: 2, columns: 5, rows: 4, thumbnailWidth: 128, thumbnailHeight: 228 }],
    ['4:3', top(640, 480), { intervalSeconds: 2, columns: 5, rows: 4, thumbnailWidth: 240, thumbnailHeight: 180 }],
    ['square', top(720, 720), { intervalSeconds: 2, columns: 5, rows: 4, thumbnailWidth: 240, thumbnailHeight: 240 }],
    // 8 px wide at the least; rows cut so a tile image stays within 4096 px.
    ['a 1:40 sliver', top(32, 1280), { intervalSeconds: 2, columns: 5, rows: 4, thumbnailWidth: 8, thumbnailHeight: 320 }],
    ['a 1:600 sliver', top(32, 19200), { intervalSeconds: 2, columns: 5, rows: 2, thumbnailWidth: 8, thumbnailHeight: 2048 }],
    [
      'the fallback plan (shape unknown): height left blank',
      { basis: 'fallback', renditions: [] as never },
      { intervalSeconds: 2, columns: 5, rows: 4, thumbnailWidth: 240 },
    ],
  ])('plans %s', (_, plan, expected) => {
    // Act
    const grid = planTrickPlay(plan);

    // Assess
    expect(grid).toEqual(expected);
  });

  it.each([
    [1920, 1080],
    [1080, 1920],
    [854, 480],
    [32, 19200],
    [8192, 32],
  ])('stays within the API model ranges for a %ix%i top rendition', (width, height) => {
    // Act
    const settings = trickPlaySettings(planTrickPlay(top(width, height)));

    // Assess
    const { thumbnailWidth, thumbnailHeight, tileWidth, tileHeight, tileImageMaxHeight } = TRICK_PLAY_LIMITS;
    expect(settings.ThumbnailWidth! % thumbnailWidth.multipleOf).toBe(0);
    expect(settings.ThumbnailWidth).toBeGreaterThanOrEqual(thumbnailWidth.min);
    expect(settings.ThumbnailWidth).toBeLessThanOrEqual(thumbnailWidth.max);
    expect(settings.ThumbnailHeight! % thumbnailHeight.multipleOf).toBe(0);
    expect(settings.ThumbnailHeight).toBeGreaterThanOrEqual(thumbnailHeight.min);
    expect(settings.TileWidth).toBeGreaterThanOrEqual(tileWidth.min);
    expect(settings.TileWidth).toBeLessThanOrEqual(tileWidth.max);
    expect(settings.TileHeight).toBeGreaterThanOrEqual(tileHeight.min);
    expect(settings.TileHeight! % tileHeight.multipleOf).toBe(0);
    expect(settings.TileHeight! * settings.ThumbnailHeight!).toBeLessThanOrEqual(tileImageMaxHeight);
    expect(settings.IntervalCadence).toBe('FOLLOW_CUSTOM');
    expect(settings.ThumbnailInterval).toBeGreaterThan(0);
  });
});

describe('trick play in the job', () => {
  it('asks the HLS group for ADVANCED image-based trick play with explicit tiles, and carries the grid in UserMetadata', () => {
    // Prepare
    const plan = planEncoding(describeSource(), ladder, BASIC_TIER_PLAN_SETTINGS);
    const context = {
      pipeline: 'vod-test',
      queueArn: 'arn:aws:mediaconvert:us-east-1:123456789012:queues/vod-test',
      roleArn: 'arn:aws:iam::123456789012:role/vod-test-mediaconvert',
      outputBucket: 'output-bucket',
      ladder,
      statusUpdateInterval: 'SECONDS_60' as const,
    };

    // Act
    const request = buildCreateJobRequest(
      { bucket: 'b', key: 'a.mp4', size: 1, eventName: 'ObjectCreated:Put', versionId: 'v' },
      context,
      plan,
    );

    // Assess
    const hls = request.Settings.OutputGroups?.find((g) => g.Name === 'HLS')?.OutputGroupSettings?.HlsGroupSettings;
    expect(hls?.ImageBasedTrickPlay).toBe('ADVANCED');
    expect(hls?.ImageBasedTrickPlaySettings).toEqual({
      IntervalCadence: 'FOLLOW_CUSTOM',
      ThumbnailInterval: 2,
      ThumbnailWidth: 240,
      ThumbnailHeight: 136,
      TileWidth: 5,
      TileHeight: 4,
    });
    expect(parseTrickPlayGrid(request.UserMetadata?.trickPlay)).toEqual(planTrickPlay(plan));
  });
});

describe('the trick-play grid in UserMetadata', () => {
  it.each<[TrickPlayGrid, string]>([
    [{ intervalSeconds: 2, columns: 5, rows: 4, thumbnailWidth: 240, thumbnailHeight: 136 }, '2/5x4/240x136'],
    [{ intervalSeconds: 0.5, columns: 10, rows: 1, thumbnailWidth: 312 }, '0.5/10x1/312x0'],
  ])('round-trips %j as %s', (grid, text) => {
    expect(serializeTrickPlayGrid(grid)).toBe(text);
    expect(parseTrickPlayGrid(text)).toEqual(grid);
  });

  it.each([undefined, '', 'yes', '0/5x5/240x136', '2/0x5/240x136', '2/5x5/4x136', 2])('reads %p as no trick play', (value) => {
    expect(parseTrickPlayGrid(value)).toBeUndefined();
  });
});

describe('the grid in job events', () => {
  it.each<[string, Record<string, string>, TrickPlayGrid | undefined]>([
    [
      'a job that asked for trick play',
      { trickPlay: '2/5x4/240x136' },
      { intervalSeconds: 2, columns: 5, rows: 4, thumbnailWidth: 240, thumbnailHeight: 136 },
    ],
    ['a job submitted before trick play', {}, undefined],
    ['a forged or garbled value', { trickPlay: '2/5x5/240x136;rm' }, undefined],
  ])('reads %s', (_, metadata, expected) => {
    // Act
    const plan = parseJobStateEvent(jobStateChange('COMPLETE', {}, { metadata }), PIPELINE);

    // Assess
    expect(plan.action === 'record' ? plan.event.trickPlay : 'skipped').toEqual(expected);
  });
});
