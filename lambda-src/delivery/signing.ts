/**
 * CloudFront signed cookies and URLs for private playback (`delivery.signedPlayback`), in
 * CloudFront's documented format: a policy statement JSON, its RSA-SHA1 signature (PKCS #1
 * v1.5) with the private key of a public key in the distribution's key group, both base64 with
 * `+ = /` replaced by `- _ ~`, and the public key's id.
 */
import { createPrivateKey, createSign } from 'node:crypto';
import { OUTPUT_FOLDERS } from '../../contracts/storage-layout';
import { toDistributionUrl } from './outputs';

/** CloudFront's URL-safe base64: `+` → `-`, `=` → `_`, `/` → `~`. */
export function cloudFrontBase64(data: Buffer | string): string {
  return Buffer.from(data).toString('base64').replace(/\+/g, '-').replace(/=/g, '_').replace(/\//g, '~');
}

/** The policy JSON CloudFront reads: one statement, a resource and an expiry (epoch seconds), no whitespace. */
export function playbackPolicy(resource: string, expiresAt: Date): string {
  return JSON.stringify({ Statement: [{ Resource: resource, Condition: { DateLessThan: { 'AWS:EpochTime': epochSeconds(expiresAt) } } }] });
}

function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** The RSA-SHA1 signature of `policy`, CloudFront-base64 encoded. */
export function signPolicy(policy: string, privateKeyPem: string): string {
  const signer = createSign('RSA-SHA1');
  signer.update(policy, 'utf8');
  return cloudFrontBase64(signer.sign(createPrivateKey(privateKeyPem)));
}

export interface PlaybackSigningInput {
  readonly assetId: string;
  /** The distribution's host (or a custom domain name of it). */
  readonly domain: string;
  /** The id of the CloudFront public key whose private key signs (terraform output `signed_playback_key_ids`). */
  readonly keyPairId: string;
  readonly privateKeyPem: string;
  readonly expiresAt: Date;
  /** An MP4 of the asset (`<assetId>/mp4/<file>.mp4`, or just the file name) to sign a URL for. */
  readonly mp4?: string;
}

export interface SignedPlayback {
  /** The three cookies for every file of the asset (HLS playlists, segments, thumbnails, MP4). */
  readonly cookies: {
    readonly 'CloudFront-Policy': string;
    readonly 'CloudFront-Signature': string;
    readonly 'CloudFront-Key-Pair-Id': string;
  };
  /** `Set-Cookie` values for the distribution's host: Secure, HttpOnly, SameSite=None (a player on another site). */
  readonly setCookieHeaders: readonly string[];
  /** The custom policy the cookies carry: `https://<domain>/<assetId>/*` until the expiry. */
  readonly policy: string;
  /** A signed URL of the MP4 (canned policy), when an MP4 was named. */
  readonly mp4Url?: string;
  readonly expiresAt: string;
}

/**
 * Signed cookies covering every file of one asset (a custom policy over `<assetId>/*`, so each HLS
 * segment is covered), and a signed URL for its MP4.
 */
export function signPlayback(input: PlaybackSigningInput): SignedPlayback {
  if (!/^[^/*?]+$/.test(input.assetId)) throw new Error(`"${input.assetId}" is not an asset id (no "/", "*" or "?")`);
  const resource = `https://${input.domain}/${input.assetId}/*`;
  const policy = playbackPolicy(resource, input.expiresAt);
  const cookies = {
    'CloudFront-Policy': cloudFrontBase64(policy),
    'CloudFront-Signature': signPolicy(policy, input.privateKeyPem),
    'CloudFront-Key-Pair-Id': input.keyPairId,
  };
  const expires = input.expiresAt.toUTCString();
  const setCookieHeaders = Object.entries(cookies).map(
    ([name, value]) =>
      `${name}=${value}; Domain=${input.domain}; Path=/${input.assetId}/; Expires=${expires}; Secure; HttpOnly; SameSite=None`,
  );
  return {
    cookies,
    setCookieHeaders,
    policy,
    ...(input.mp4 !== undefined ? { mp4Url: signUrl(mp4UrlOf(input), input) } : {}),
    expiresAt: input.expiresAt.toISOString(),
  };
}

function mp4UrlOf(input: PlaybackSigningInput): string {
  const mp4 = input.mp4!;
  const key = mp4.includes('/') ? mp4 : `${input.assetId}/${OUTPUT_FOLDERS.mp4}/${mp4}`;
  if (!key.startsWith(`${input.assetId}/`)) throw new Error(`"${mp4}" is not a file of asset ${input.assetId}`);
  return toDistributionUrl(input.domain, key);
}

/** A URL signed with a canned policy: `Expires`, `Signature` and `Key-Pair-Id` appended. */
export function signUrl(
  url: string,
  input: { readonly keyPairId: string; readonly privateKeyPem: string; readonly expiresAt: Date },
): string {
  const signature = signPolicy(playbackPolicy(url, input.expiresAt), input.privateKeyPem);
  const separator = url.includes('?') ? '&' : '?';
  return `${url}${separator}Expires=${epochSeconds(input.expiresAt)}&Signature=${signature}&Key-Pair-Id=${input.keyPairId}`;
}

/** `2h`, `30m`, `7d`, `90s` → milliseconds; CloudFront accepts any expiry, but a week is plenty for playback. */
export function parseDuration(text: string): number {
  const match = /^(\d+)([smhd])$/.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not a duration; use e.g. 90s, 30m, 2h or 7d`);
  const value = Number(match[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's' | 'm' | 'h' | 'd'];
  if (value <= 0 || value > 7 * 86_400_000) throw new Error(`"${text}" is out of range; use more than 0 and at most 7d`);
  return value;
}
