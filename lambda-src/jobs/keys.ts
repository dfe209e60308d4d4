import { createHash } from 'node:crypto';
import { VIDEO_EXTENSIONS } from '../../contracts/storage-layout';

/** The identity of one upload: same for a duplicate delivery, new for a re-upload. */
export interface UploadIdentity {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
  readonly eTag?: string;
  readonly sequencer?: string;
}

/** The lowercase extension of a key, without the dot, or '' when there is none. */
export function extensionOf(key: string): string {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** True when the key ends in a video extension, in any letter case. */
export function isVideoKey(key: string): boolean {
  return (VIDEO_EXTENSIONS as readonly string[]).includes(extensionOf(key));
}

/** A stable string for the upload: versionId when the bucket is versioned, else eTag and sequencer. */
export function uploadIdentityString(upload: UploadIdentity): string {
  const version = upload.versionId ?? `${upload.eTag ?? ''}:${upload.sequencer ?? ''}`;
  return `${upload.bucket}/${upload.key}#${version}`;
}

function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** A URL-safe, readable slug of the key's file name without extension (≤ 40 characters). */
export function slugOfKey(key: string): string {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const slug = stem
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug === '' ? 'video' : slug;
}

/**
 * The asset id: readable slug plus 12 hex digits of the upload identity. A duplicate
 * delivery maps to the same id (and job); a re-upload gets a fresh output prefix, so
 * CloudFront never serves stale renditions.
 */
export function deriveAssetId(upload: UploadIdentity): string {
  return `${slugOfKey(upload.key)}-${sha256Hex(uploadIdentityString(upload)).slice(0, 12)}`;
}

/** MediaConvert ClientRequestToken: 64 ASCII hex characters of the upload identity. */
export function deriveClientRequestToken(upload: UploadIdentity): string {
  return sha256Hex(`client-request-token:${uploadIdentityString(upload)}`);
}

/** `s3://bucket/key` with the key as stored (decoded), as MediaConvert expects it. */
export function toS3Uri(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

/** Shortens a value to `max` characters, keeping both ends (the file name is at the end). */
export function truncateMiddle(value: string, max: number): string {
  const chars = [...value];
  if (chars.length <= max) return value;
  const keepEnd = Math.floor((max - 1) / 2);
  const keepStart = max - 1 - keepEnd;
  return `${chars.slice(0, keepStart).join('')}…${chars.slice(chars.length - keepEnd).join('')}`;
}
