import type { OutputGroupDetail } from '../jobs/job-event';
import { POSTER_NAME_MODIFIER, THUMBNAIL_NAME_MODIFIER, posterThumbnailIndex } from '../../contracts/storage-layout';

/** Where the renditions are served from. */
export interface OutputLocation {
  /** The output bucket's name: only its paths are mapped. */
  readonly outputBucket: string;
  /** The CloudFront host name, e.g. `d111111abcdef8.cloudfront.net` (no scheme, no slash). */
  readonly distributionDomain: string;
  /**
   * At most this many thumbnail URLs are listed; `count` stays the real number and
   * `truncated` is set. Keeps the SNS message under 256 KB and the item under 400 KB
   * (a ladder may allow 10,000 captures, about 1 MB of URLs).
   * @default 1000
   */
  readonly maxThumbnailUrls?: number;
}

/** One video rendition as MediaConvert made it: its URL and its real size. */
export interface RenditionSize {
  /** The HLS variant playlist or the MP4 file. */
  readonly url: string;
  readonly width: number;
  readonly height: number;
}

/** The viewer URLs of one job's renditions. */
export interface OutputUrls {
  /** The HLS master playlist and the variant playlists. */
  readonly hls?: { readonly master: string; readonly variants: readonly string[] };
  /** Progressive-download MP4 renditions. */
  readonly mp4: readonly string[];
  /**
   * The real size of each HLS variant and MP4, from the event's `videoDetails` (the plan's sizes are
   * ceilings: the source, its rotation and FIT_NO_UPSCALE decide). Absent when the event has none.
   */
  readonly renditions?: readonly RenditionSize[];
  /**
   * Every frame capture, in order. When the list is cut (`truncated`), `count` stays the real
   * number and `prefix` is the folder URL every image's URL starts with (images are numbered
   * from `.0000000`).
   */
  readonly thumbnails?: {
    readonly urls: readonly string[];
    readonly count: number;
    readonly truncated?: true;
    readonly prefix?: string;
  };
  readonly poster?: string;
  /**
   * The storyboard WebVTT of scrubbing previews (`#xywh` cues into the trick-play tiles, next to the
   * HLS outputs); absent for a job without trick play. Added in notification version 1.
   */
  readonly storyboard?: string;
  /**
   * Set on a record whose outputs did not fit a DynamoDB item even without thumbnail URLs: only the
   * master playlist is kept (the files are all under `<assetId>/` in the output bucket).
   */
  readonly truncated?: true;
}

/** Why an output path gets no URL. */
export type SkippedOutputReason =
  /** Not in the output bucket: CloudFront does not serve it. */
  | 'other-bucket'
  /** Not an `s3://bucket/key` path. */
  | 'not-s3-uri'
  /** A group type this pipeline does not create (DASH_ISO_GROUP, CMAF_GROUP…). */
  | 'unsupported-group'
  /** A FILE_GROUP file that is neither `.mp4` nor a `_thumb`/`_poster` frame capture. */
  | 'unrecognized-file'
  /** An HLS group without a master playlist (in the output bucket): its variants alone are of no use. */
  | 'no-master-playlist'
  /** A second HLS group, master playlist, thumbnail or poster output; the first one is kept. */
  | 'duplicate-output';

/** {@link OutputUrls}, the longest output duration, and every path that got no URL. */
export interface MappedOutputs extends OutputUrls {
  /** The longest `durationInMs` of the video outputs (HLS variants, MP4s); frame captures can report more. */
  readonly durationMs?: number;
  readonly skipped: readonly { readonly path: string; readonly reason: SkippedOutputReason }[];
}

const DEFAULT_MAX_THUMBNAIL_URLS = 1000;

/**
 * The viewer URL of an output key: `https://<domain>/<key>`, every path segment
 * URL-encoded (a space becomes `%20`, `#` becomes `%23`), the `/` separators kept.
 */
export function toDistributionUrl(distributionDomain: string, key: string): string {
  // A whole origin (`http://127.0.0.1:PORT`, the local stand-in) is used as given.
  const origin = /^https?:\/\//.test(distributionDomain) ? distributionDomain : `https://${distributionDomain}`;
  return `${origin}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/** Splits `s3://bucket/key`; undefined when the path is not of that form. */
export function parseS3Uri(path: string): { bucket: string; key: string } | undefined {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(path);
  return match?.[1] !== undefined && match[2] !== undefined ? { bucket: match[1], key: match[2] } : undefined;
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Splits a frame capture's key, `<prefix><nameModifier>.<sequence>.jpg`, where the sequence
 * is 0-based and zero-padded to 7 digits; undefined when the key is not one of `nameModifier`.
 */
export function parseFrameCaptureKey(
  key: string,
  nameModifier: string,
): { prefix: string; sequence: string; extension: string } | undefined {
  const match = new RegExp(`^(.*${escapeRegExp(nameModifier)})\\.(\\d{7,})(\\.jpe?g)$`).exec(key);
  return match?.[1] !== undefined && match[2] !== undefined && match[3] !== undefined
    ? { prefix: match[1], sequence: match[2], extension: match[3] }
    : undefined;
}

/**
 * The keys of every image of a frame capture from its last key, which is all a COMPLETE
 * event lists: `x_thumb.0000011.jpg` means 12 images, `.0000000` to `.0000011`. At most
 * `max` keys are listed; `count` is always the real number.
 */
export function expandFrameCaptureKeys(
  lastKey: string,
  nameModifier: string,
  max: number = Number.POSITIVE_INFINITY,
): { keys: string[]; count: number } | undefined {
  const parts = parseFrameCaptureKey(lastKey, nameModifier);
  if (parts === undefined) return undefined;
  const count = Number(parts.sequence) + 1;
  const keys = Array.from(
    { length: Math.min(count, max) },
    (_, i) => `${parts.prefix}.${String(i).padStart(parts.sequence.length, '0')}${parts.extension}`,
  );
  return { keys, count };
}

/**
 * Maps the output paths of a COMPLETE event to viewer URLs on the distribution.
 *
 * - `HLS_GROUP`: `playlistFilePaths[0]` is the master playlist, the outputs' files are variants.
 * - `CMAF_GROUP` (the HDR ladder): the same, its `.m3u8` being the master.
 * - `FILE_GROUP`: `.mp4` files are MP4 renditions; `.jpg` files are frame captures told apart by
 *   the name modifiers the submit function sets (`_thumb` expands to every image, `_poster` is one).
 *
 * Paths in another bucket, or that fit none of these, are listed in `skipped`, never dropped silently.
 */
export function mapOutputsToUrls(outputGroupDetails: readonly OutputGroupDetail[], location: OutputLocation): MappedOutputs {
  const maxThumbnailUrls = location.maxThumbnailUrls ?? DEFAULT_MAX_THUMBNAIL_URLS;
  const skipped: { path: string; reason: SkippedOutputReason }[] = [];
  const mp4: string[] = [];
  let hls: OutputUrls['hls'];
  let thumbnails: OutputUrls['thumbnails'];
  let poster: string | undefined;
  /** The poster among the thumbnails (jobs since issue 19 make no poster output). */
  let posterFromThumbnails: string | undefined;
  const durations: number[] = [];
  const renditions: RenditionSize[] = [];
  /** A video output (not a frame capture): its duration counts, its size is a rendition's. */
  const recordVideoOutput = (detail: OutputGroupDetail['outputDetails'][number], url: string) => {
    if (detail.durationInMs !== undefined) durations.push(detail.durationInMs);
    if (detail.videoDetails) renditions.push({ url, width: detail.videoDetails.widthInPx, height: detail.videoDetails.heightInPx });
  };

  const url = (key: string) => toDistributionUrl(location.distributionDomain, key);
  /** The key of a path in the output bucket; any other path is skipped with its reason. */
  const keyOf = (path: string): string | undefined => {
    const uri = parseS3Uri(path);
    if (uri?.bucket === location.outputBucket) return uri.key;
    skipped.push({ path, reason: uri === undefined ? 'not-s3-uri' : 'other-bucket' });
    return undefined;
  };
  const skipAll = (paths: readonly string[], reason: SkippedOutputReason) => {
    for (const path of paths) skipped.push({ path, reason });
  };

  for (const group of outputGroupDetails) {
    const files = group.outputDetails.flatMap((d) => d.outputFilePaths);
    // A CMAF group (the HDR ladder's) is served through its HLS master; a DASH .mpd beside it is not served.
    const isHls = group.type === 'HLS_GROUP' || (group.type === 'CMAF_GROUP' && group.playlistFilePaths.some((p) => p.endsWith('.m3u8')));
    if (isHls) {
      const playlists =
        group.type === 'CMAF_GROUP'
          ? [...group.playlistFilePaths].sort((a, b) => Number(b.endsWith('.m3u8')) - Number(a.endsWith('.m3u8')))
          : group.playlistFilePaths;
      const [masterPath, ...otherPlaylists] = playlists;
      if (masterPath === undefined) {
        skipAll(files, 'no-master-playlist');
      } else if (hls !== undefined) {
        skipAll([...group.playlistFilePaths, ...files], 'duplicate-output');
      } else {
        skipAll(otherPlaylists, 'duplicate-output');
        const masterKey = keyOf(masterPath);
        if (masterKey === undefined) skipAll(files, 'no-master-playlist');
        else {
          const variants: string[] = [];
          for (const detail of group.outputDetails) {
            for (const path of detail.outputFilePaths) {
              const key = keyOf(path);
              if (key === undefined) continue;
              variants.push(url(key));
              recordVideoOutput(detail, url(key));
            }
          }
          hls = { master: url(masterKey), variants };
        }
      }
    } else if (group.type === 'FILE_GROUP') {
      for (const [detail, path] of group.outputDetails.flatMap((d) => d.outputFilePaths.map((p) => [d, p] as const))) {
        const key = keyOf(path);
        if (key === undefined) continue;
        const lastThumbnail = expandFrameCaptureKeys(key, THUMBNAIL_NAME_MODIFIER, maxThumbnailUrls);
        if (key.toLowerCase().endsWith('.mp4')) {
          mp4.push(url(key));
          recordVideoOutput(detail, url(key));
        } else if (lastThumbnail !== undefined) {
          if (thumbnails !== undefined) skipped.push({ path, reason: 'duplicate-output' });
          else {
            const parts = parseFrameCaptureKey(key, THUMBNAIL_NAME_MODIFIER);
            if (parts !== undefined) {
              const index = String(posterThumbnailIndex(lastThumbnail.count)).padStart(parts.sequence.length, '0');
              posterFromThumbnails = `${parts.prefix}.${index}${parts.extension}`;
            }
            const listed = { urls: lastThumbnail.keys.map(url), count: lastThumbnail.count };
            thumbnails = lastThumbnail.count > lastThumbnail.keys.length ? truncateThumbnails(listed, listed.urls.length) : listed;
          }
        } else if (parseFrameCaptureKey(key, POSTER_NAME_MODIFIER) !== undefined) {
          if (poster !== undefined) skipped.push({ path, reason: 'duplicate-output' });
          else poster = url(key);
        } else {
          skipped.push({ path, reason: 'unrecognized-file' });
        }
      }
    } else {
      skipAll([...group.playlistFilePaths, ...files], 'unsupported-group');
    }
  }

  return {
    ...(hls !== undefined ? { hls } : {}),
    mp4,
    ...(renditions.length > 0 ? { renditions } : {}),
    ...(thumbnails !== undefined ? { thumbnails } : {}),
    ...(poster !== undefined ? { poster } : posterFromThumbnails !== undefined ? { poster: url(posterFromThumbnails) } : {}),
    ...(durations.length > 0 ? { durationMs: Math.max(...durations) } : {}),
    skipped,
  };
}

/** The thumbnails cut to their first `keep` URLs, with the real count and the folder URL. */
export function truncateThumbnails(thumbnails: NonNullable<OutputUrls['thumbnails']>, keep: number): NonNullable<OutputUrls['thumbnails']> {
  const first = thumbnails.urls[0];
  const prefix = thumbnails.prefix ?? (first === undefined ? undefined : first.slice(0, first.lastIndexOf('/') + 1));
  return {
    urls: thumbnails.urls.slice(0, keep),
    count: thumbnails.count,
    truncated: true,
    ...(prefix !== undefined ? { prefix } : {}),
  };
}

/** Only the URLs (what subscribers and the jobs table get), without duration and skipped paths. */
export function pickOutputUrls(mapped: MappedOutputs): OutputUrls {
  return {
    ...(mapped.hls !== undefined ? { hls: mapped.hls } : {}),
    mp4: mapped.mp4,
    ...(mapped.renditions !== undefined ? { renditions: mapped.renditions } : {}),
    ...(mapped.thumbnails !== undefined ? { thumbnails: mapped.thumbnails } : {}),
    ...(mapped.poster !== undefined ? { poster: mapped.poster } : {}),
    ...(mapped.storyboard !== undefined ? { storyboard: mapped.storyboard } : {}),
  };
}
