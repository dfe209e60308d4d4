/**
 * Where the Player construct publishes the player page, under the distribution. One owner: the
 * construct writes the page there, the upload CLI and the local runtime print links to it.
 */
export const PLAYER_PREFIX = 'player/';
export const PLAYER_PAGE = `${PLAYER_PREFIX}index.html`;

/** The player page for one asset on a distribution origin (`https://d1.cloudfront.net`). */
export function playerUrl(distributionOrigin: string, assetId: string): string {
  return `${distributionOrigin.replace(/\/+$/, '')}/${PLAYER_PAGE}?asset=${encodeURIComponent(assetId)}`;
}
