/**
 * Where things are in the buckets: which uploads are videos, and the layout of an asset's outputs.
 * The bucket notification, IAM scoping, the submit function and the completion side all read these.
 */
/**
 * Input containers MediaConvert accepts that users upload (MediaConvert's supported input containers). The bucket
 * notification lists each in lower and upper case; the handler checks any case.
 */
export const VIDEO_EXTENSIONS = [
  'mp4',
  'm4v',
  'mov',
  'mkv',
  'mxf',
  'webm',
  'ts',
  'm2ts',
  'mts',
  'avi',
  'mpg',
  'mpeg',
  'flv',
  '3gp',
  'wmv',
] as const;

/**
 * The folders of an asset's outputs, `<assetId>/<folder>/`: written by MediaConvert (hls, mp4,
 * thumbnails) and by content analysis (analysis). IAM policies scope reads and writes to them.
 */
export const OUTPUT_FOLDERS = { hls: 'hls', mp4: 'mp4', thumbnails: 'thumbnails', analysis: 'analysis' } as const;

/** Name modifiers of the frame-capture outputs; the completion function maps on them. */
export const THUMBNAIL_NAME_MODIFIER = '_thumb';
/** Jobs submitted before issue 19 had a poster output of its own; the completion side still reads it. */
export const POSTER_NAME_MODIFIER = '_poster';

/**
 * The output folders viewers fetch: renditions and their images. Everything else under an asset
 * (`analysis/`, whatever comes later) stays private: the distribution's bucket grant and its cache
 * behaviors cover only these. One list, read by the Delivery construct (and by whatever serves a
 * player page from the same distribution, which adds its own path).
 */
export const SERVED_OUTPUT_FOLDERS = [OUTPUT_FOLDERS.hls, OUTPUT_FOLDERS.mp4, OUTPUT_FOLDERS.thumbnails] as const;

/** CloudFront path patterns (and S3 key patterns) of the served folders: `*\/hls/*`, `*\/mp4/*`, `*\/thumbnails/*`. */
export const SERVED_PATH_PATTERNS: readonly string[] = SERVED_OUTPUT_FOLDERS.map((folder) => `*/${folder}/*`);

/**
 * Which thumbnail (0-based) is the poster, given how many there are: about a fifth of the way in,
 * never the first frame when there is a second (the first is often black). The submit side no longer
 * makes a poster output (it billed as a whole SD output); the completion side picks this thumbnail.
 */
export function posterThumbnailIndex(count: number): number {
  if (count <= 1) return 0;
  return Math.min(count - 1, Math.max(1, Math.floor(count / 5)));
}

/**
 * The storyboard WebVTT job events write next to the HLS outputs, `<assetId>/hls/storyboard.vtt`:
 * a served path (under `*\/hls/*`), and the only key the job-events role may write.
 */
export const STORYBOARD_FILE_NAME = 'storyboard.vtt';
export function storyboardKey(assetId: string): string {
  return `${assetId}/${OUTPUT_FOLDERS.hls}/${STORYBOARD_FILE_NAME}`;
}
/** The S3 key pattern of every storyboard (IAM resource of the job-events role's PutObject). */
export const STORYBOARD_KEY_PATTERN = `*/${OUTPUT_FOLDERS.hls}/${STORYBOARD_FILE_NAME}`;

/**
 * Trick-play tile images and their image playlist, `<base>_trickplay.NNNNNNN.jpg` (from 0) and
 * `<base>_trickplay.m3u8`, next to the master playlist. NOT CONFIRMED: no MediaConvert page read
 * here documents how it names image-based trick-play outputs; the stand-in writes these names and
 * the storyboard points at them (TRANSCODER_GAPS). Check against a real job before relying on it.
 */
export const TRICK_PLAY_NAME_MODIFIER = '_trickplay';
export function trickPlayTileName(base: string, index: number): string {
  return `${base}${TRICK_PLAY_NAME_MODIFIER}.${String(index).padStart(7, '0')}.jpg`;
}
export function trickPlayPlaylistName(base: string): string {
  return `${base}${TRICK_PLAY_NAME_MODIFIER}.m3u8`;
}
