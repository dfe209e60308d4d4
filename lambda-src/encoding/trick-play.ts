import type { HlsImageBasedTrickPlaySettings } from '@aws-sdk/client-mediaconvert';
import { TRICK_PLAY_DEFAULTS, TRICK_PLAY_LIMITS, TrickPlayGrid } from '../../contracts/trick-play';
import type { EncodingPlan } from './encoding-plan';

const floorTo = (value: number, step: number) => Math.floor(value / step) * step;
const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/**
 * The trick-play grid of a plan: thumbnails whose long side is about {@link TRICK_PLAY_DEFAULTS}.longSidePx,
 * shaped like the top rendition (width a multiple of 8, height even, as the API model requires), and no
 * more rows than keep a tile image within 4096 pixels. A plan without a known shape (the fallback plan's
 * square boxes) leaves the height blank: MediaConvert keeps the output's aspect ratio.
 */
export function planTrickPlay(plan: Pick<EncodingPlan, 'basis' | 'renditions'>): TrickPlayGrid {
  const top = plan.renditions[0];
  const { intervalSeconds, longSidePx, columns, rows } = TRICK_PLAY_DEFAULTS;
  const widthLimits = TRICK_PLAY_LIMITS.thumbnailWidth;
  if (plan.basis !== 'probe' || top === undefined) {
    return { intervalSeconds, columns, rows, thumbnailWidth: floorTo(longSidePx, widthLimits.multipleOf) };
  }
  const landscape = top.width >= top.height;
  const rawWidth = landscape ? longSidePx : (longSidePx * top.width) / top.height;
  const thumbnailWidth = clamp(floorTo(rawWidth, widthLimits.multipleOf), widthLimits.min, widthLimits.max);
  const heightLimits = TRICK_PLAY_LIMITS.thumbnailHeight;
  const rowLimits = TRICK_PLAY_LIMITS.tileHeight;
  // At least the fewest rows allowed must fit a tile image.
  const thumbnailHeight = clamp(
    Math.round((thumbnailWidth * top.height) / top.width / heightLimits.multipleOf) * heightLimits.multipleOf,
    heightLimits.min,
    floorTo(TRICK_PLAY_LIMITS.tileImageMaxHeight / rowLimits.min, heightLimits.multipleOf),
  );
  const fittingRows = clamp(floorTo(TRICK_PLAY_LIMITS.tileImageMaxHeight / thumbnailHeight, rowLimits.multipleOf), rowLimits.min, rows);
  return { intervalSeconds, columns, rows: fittingRows, thumbnailWidth, thumbnailHeight };
}

/** The HLS group's ADVANCED trick-play settings for a grid: thumbnails at a fixed interval (FOLLOW_CUSTOM), explicit tiles. */
export function trickPlaySettings(grid: TrickPlayGrid): HlsImageBasedTrickPlaySettings {
  return {
    IntervalCadence: 'FOLLOW_CUSTOM',
    ThumbnailInterval: grid.intervalSeconds,
    ThumbnailWidth: grid.thumbnailWidth,
    ...(grid.thumbnailHeight !== undefined ? { ThumbnailHeight: grid.thumbnailHeight } : {}),
    TileWidth: grid.columns,
    TileHeight: grid.rows,
  };
}
