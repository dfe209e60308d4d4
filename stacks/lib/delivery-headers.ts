/**
 * The distribution's response headers: CORS for players on other origins and the security
 * headers. One owner: the Delivery construct turns this into its response-headers policy, and the
 * local distribution stand-in (scripts/lib/local-distribution.ts) sends the same headers.
 */
import type { CloudfrontResponseHeadersPolicyConfig } from '@cdktf/provider-aws/lib/cloudfront-response-headers-policy';

/** The policy's CORS and security blocks, as the provider takes them. */
export function deliveryResponseHeaders(
  allowedOrigins: readonly string[],
): Pick<CloudfrontResponseHeadersPolicyConfig, 'corsConfig' | 'securityHeadersConfig'> {
  return {
    // No origins listed: only the distribution's own names, which are same-origin and need no CORS header.
    ...(allowedOrigins.length > 0
      ? {
          corsConfig: {
            accessControlAllowCredentials: false,
            accessControlAllowHeaders: { items: ['*'] },
            accessControlAllowMethods: { items: ['GET', 'HEAD', 'OPTIONS'] },
            accessControlAllowOrigins: { items: [...allowedOrigins] },
            accessControlExposeHeaders: { items: ['Content-Length', 'Content-Range', 'ETag'] },
            accessControlMaxAgeSec: 3000,
            originOverride: true,
          },
        }
      : {}),
    securityHeadersConfig: {
      strictTransportSecurity: { accessControlMaxAgeSec: 63_072_000, includeSubdomains: true, preload: true, override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: 'DENY', override: true },
      referrerPolicy: { referrerPolicy: 'strict-origin-when-cross-origin', override: true },
    },
  };
}
