/**
 * Facts of the delivery options (custom domain, signed playback, WAF) that both the config schema
 * and the constructs check, kept here so loading the schema loads no construct or provider.
 */
/** A DNS name CloudFront can serve (one wildcard label at most, in front). */
export const DOMAIN_NAME_PATTERN = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** An ACM certificate in us-east-1, the only region CloudFront reads certificates from. */
export const US_EAST_1_CERTIFICATE_PATTERN = /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[A-Za-z0-9-]+$/;
/** A Route 53 hosted zone id. */
export const HOSTED_ZONE_ID_PATTERN = /^Z[A-Z0-9]{1,31}$/;
/** A public key id: what names the key in config and in the terraform output. */
export const PUBLIC_KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** A PEM public key (SPKI), as `openssl rsa -pubout` writes it. */
export const PUBLIC_KEY_PEM_PATTERN = /^-----BEGIN PUBLIC KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END PUBLIC KEY-----\r?\n?$/;
/** CloudFront takes at most 5 public keys per key group. */
export const MAX_PUBLIC_KEYS = 5;
/** WAF's bounds of a rate-based rule's limit, per 5-minute window and IP. */
export const RATE_LIMIT_RANGE = { min: 10, max: 2_000_000_000 } as const;
