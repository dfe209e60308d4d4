/**
 * The storyboard WebVTT of a completed job: one cue per trick-play thumbnail, `<tile>#xywh=x,y,w,h`
 * into the tile images next to it (relative URLs), the way web players (video.js, Shaka, Vidstack,
 * our player page) show scrubbing previews. Pure: the same COMPLETE event always gives the same bytes,
 * so a retried event writes the same object.
 */
import { OUTPUT_FOLDERS, storyboardKey, trickPlayTileName } from '../../contracts/storage-layout';
import type { TrickPlayGrid } from '../../contracts/trick-play';
import type { JobStateChange } from '../jobs/job-event';
import { parseS3Uri } from './outputs';

/** A grid whose thumbnail size is known (the job's, or derived from the top rendition). */
export type SizedGrid = TrickPlayGrid & { readonly thumbnailHeight: number };

/** `HH:MM:SS.mmm`, as WebVTT cue timings are written. */
export function formatCueTime(ms: number): string {
  const whole = Math.max(0, Math.round(ms));
  const hours = Math.floor(whole / 3_600_000);
  const minutes = Math.floor((whole % 3_600_000) / 60_000);
  const seconds = Math.floor((whole % 60_000) / 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}.${pad(whole % 1000, 3)}`;
}

/** One cue: its time span, and which tile image and cell it shows. */
export interface StoryboardCue {
  readonly startMs: number;
  readonly endMs: number;
  readonly tile: number;
  readonly x: number;
  readonly y: number;
}

/**
 * The cues of a video `durationMs` long: a thumbnail per started interval (the last one ends with the
 * video), filled row by row into tiles of `columns x rows` cells; the last tile may be partly filled.
 */
export function storyboardCues(grid: SizedGrid, durationMs: number): StoryboardCue[] {
  const intervalMs = Math.round(grid.intervalSeconds * 1000);
  const count = durationMs > 0 ? Math.ceil(durationMs / intervalMs) : 0;
  const perTile = grid.columns * grid.rows;
  return Array.from({ length: count }, (_, k) => {
    const cell = k % perTile;
    return {
      startMs: k * intervalMs,
      endMs: Math.min((k + 1) * intervalMs, durationMs),
      tile: Math.floor(k / perTile),
      x: (cell % grid.columns) * grid.thumbnailWidth,
      y: Math.floor(cell / grid.columns) * grid.thumbnailHeight,
    };
  });
}

/** The WebVTT text of the cues, each pointing at `tileUrl(tile)#xywh=x,y,w,h`. */
export function renderStoryboard(grid: SizedGrid, cues: readonly StoryboardCue[], tileUrl: (tile: number) => string): string {
  const blocks = cues.map(
    (cue) =>
      `${formatCueTime(cue.startMs)} --> ${formatCueTime(cue.endMs)}\n` +
      `${tileUrl(cue.tile)}#xywh=${cue.x},${cue.y},${grid.thumbnailWidth},${grid.thumbnailHeight}`,
  );
  return `WEBVTT\n\n${blocks.join('\n\n')}\n`;
}

/** Why a COMPLETE job gets no storyboard; logged, never retried. */
export type StoryboardSkipReason =
  /** The job did not ask for trick play (submitted before it, or by something else). */
  | 'no-trick-play'
  /** No HLS master playlist in the output bucket. */
  | 'no-hls'
  /** The master playlist is not at `<assetId>/hls/<base>.m3u8`: tiles and storyboard would not sit together. */
  | 'unexpected-layout'
  /** The event gives no duration for the video outputs. */
  | 'no-duration'
  /** A blank thumbnail height and no rendition size to derive it from. */
  | 'no-size';

/** What to write for a COMPLETE job: the storyboard's key and text, or why there is none. */
export type StoryboardPlan =
  | { readonly action: 'write'; readonly key: string; readonly body: string; readonly cues: number }
  | { readonly action: 'skip'; readonly reason: StoryboardSkipReason };

/**
 * Plans the storyboard of a COMPLETE job from its event alone: the grid from its UserMetadata, the
 * tiles next to the master playlist, the duration of the longest HLS variant, and (for a blank
 * thumbnail height) the aspect of the largest variant.
 */
export function planStoryboard(
  change: Pick<JobStateChange, 'assetId' | 'trickPlay' | 'outputGroupDetails'>,
  outputBucket: string,
): StoryboardPlan {
  const grid = change.trickPlay;
  if (grid === undefined) return { action: 'skip', reason: 'no-trick-play' };
  const hls = change.outputGroupDetails.find((g) => g.type === 'HLS_GROUP');
  const masterPath = hls?.playlistFilePaths[0];
  const master = masterPath === undefined ? undefined : parseS3Uri(masterPath);
  if (master === undefined || master.bucket !== outputBucket) return { action: 'skip', reason: 'no-hls' };
  const folder = `${change.assetId}/${OUTPUT_FOLDERS.hls}/`;
  const base = master.key.startsWith(folder) ? master.key.slice(folder.length).replace(/\.m3u8$/, '') : '';
  if (base === '' || base.includes('/')) return { action: 'skip', reason: 'unexpected-layout' };
  // The HLS group's own outputs: its thumbnails cover its variants (an MP4 elsewhere may differ by a frame).
  const durationMs = Math.max(0, ...(hls?.outputDetails ?? []).map((d) => d.durationInMs ?? 0));
  if (durationMs <= 0) return { action: 'skip', reason: 'no-duration' };
  const sizes = (hls?.outputDetails ?? []).flatMap((d) => (d.videoDetails ? [d.videoDetails] : []));
  const largest = sizes.sort((a, b) => b.widthInPx * b.heightInPx - a.widthInPx * a.heightInPx)[0];
  const thumbnailHeight =
    grid.thumbnailHeight ??
    (largest ? Math.max(2, Math.round((grid.thumbnailWidth * largest.heightInPx) / largest.widthInPx / 2) * 2) : undefined);
  if (thumbnailHeight === undefined) return { action: 'skip', reason: 'no-size' };
  const sized = { ...grid, thumbnailHeight };
  const cues = storyboardCues(sized, durationMs);
  // Tiles sit in the storyboard's own folder: relative URLs work from any host that serves both.
  const body = renderStoryboard(sized, cues, (tile) => encodeURIComponent(trickPlayTileName(base, tile)));
  return { action: 'write', key: storyboardKey(change.assetId), body, cues: cues.length };
}
