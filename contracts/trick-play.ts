/**
 * Scrubbing previews: the image-based trick play the submit function asks MediaConvert for (tiles of
 * thumbnails next to the HLS renditions), and the grid job events read back to write the storyboard
 * WebVTT. The grid travels in the job's UserMetadata, so a storyboard always matches its own job.
 *
 * Ranges: the MediaConvert API model (HlsImageBasedTrickPlaySettings, @aws-sdk/client-mediaconvert
 * 3.1169): ThumbnailWidth 8..4096 and divisible by 8 (default 312), ThumbnailHeight 2..4096 and even
 * (blank keeps the aspect ratio), TileWidth 1..512, TileHeight 1..2048, and a whole tile image at most
 * 4096 pixels high (the job is rejected otherwise). Another rendering of the model (AWS SDK for SAP ABAP
 * docs, HlsImageBasedTrickPlaySettings) says TileHeight "between 2 and 2048. Must be divisible by 2":
 * the pipeline keeps it even, which satisfies both readings.
 */

/** The API model's ranges of HlsImageBasedTrickPlaySettings. */
export const TRICK_PLAY_LIMITS = {
  thumbnailWidth: { min: 8, max: 4096, multipleOf: 8 },
  thumbnailHeight: { min: 2, max: 4096, multipleOf: 2 },
  tileWidth: { min: 1, max: 512 },
  /** Kept even and at least 2 (one reading of the model requires it). */
  tileHeight: { min: 2, max: 2048, multipleOf: 2 },
  /** Rows x thumbnail height: a taller tile image rejects the job. */
  tileImageMaxHeight: 4096,
} as const;

/** This pipeline's grid: a thumbnail every 2 s, its long side about 240 px, 5x4 per tile image (40 s of video). */
export const TRICK_PLAY_DEFAULTS = { intervalSeconds: 2, longSidePx: 240, columns: 5, rows: 4 } as const;

/** One job's trick-play grid, as asked of MediaConvert. */
export interface TrickPlayGrid {
  /** Seconds between thumbnails (IntervalCadence FOLLOW_CUSTOM, ThumbnailInterval). */
  readonly intervalSeconds: number;
  /** Thumbnails per row of a tile image (TileWidth). */
  readonly columns: number;
  /** Thumbnails per column of a tile image (TileHeight). */
  readonly rows: number;
  readonly thumbnailWidth: number;
  /** Undefined when the job left it blank (aspect ratio kept from the output): read the size from the COMPLETE event. */
  readonly thumbnailHeight?: number;
}

/** `2/5x4/240x136` (or `2/5x4/240x0` with a blank height): compact, for a UserMetadata value. */
export function serializeTrickPlayGrid(grid: TrickPlayGrid): string {
  return `${grid.intervalSeconds}/${grid.columns}x${grid.rows}/${grid.thumbnailWidth}x${grid.thumbnailHeight ?? 0}`;
}

/** The grid read back; undefined when absent or malformed (a job submitted before trick play, or not ours). */
export function parseTrickPlayGrid(value: unknown): TrickPlayGrid | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)\/(\d{1,4})x(\d{1,4})\/(\d{1,4})x(\d{1,4})$/.exec(value);
  if (!match) return undefined;
  const [intervalSeconds, columns, rows, thumbnailWidth, thumbnailHeight] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (!(intervalSeconds > 0) || columns < 1 || rows < 1 || thumbnailWidth < TRICK_PLAY_LIMITS.thumbnailWidth.min) return undefined;
  return { intervalSeconds, columns, rows, thumbnailWidth, ...(thumbnailHeight > 0 ? { thumbnailHeight } : {}) };
}
