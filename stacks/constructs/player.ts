import { Construct } from 'constructs';
import { AssetType, TerraformAsset } from 'cdktf';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { writePlayerFiles } from '../lib/player-bundle';
import { PLAYER_PAGE, PLAYER_PREFIX } from '../lib/player-paths';
import { SecureBucket } from './secure-bucket';

/** Props of {@link Player}. */
export interface PlayerProps {
  /** The bucket the distribution serves (the output bucket): the page lives next to the videos, on the same origin. */
  readonly bucket: SecureBucket;
}

/**
 * A small static player under the distribution, `/player/index.html?asset=<assetId>`: hls.js
 * (pinned, bundled at synth), the poster and a rendition menu, with a strict Content-Security-Policy
 * (same origin only, see stacks/lib/player-bundle.ts). Teams with their own player turn it off
 * with the `player.enabled` config flag.
 */
export class Player extends Construct {
  /** The page's key in the bucket, `player/index.html`. */
  readonly pageKey: string = PLAYER_PAGE;

  constructor(scope: Construct, id: string, props: PlayerProps) {
    super(scope, id);
    for (const file of writePlayerFiles()) {
      const asset = new TerraformAsset(this, `Asset-${file.name}`, { path: file.path, type: AssetType.FILE });
      new S3Object(this, `File-${file.name}`, {
        bucket: props.bucket.bucketName,
        key: `${PLAYER_PREFIX}${file.name}`,
        source: asset.path,
        // The update trigger: an ETag is no content hash under SSE-KMS.
        sourceHash: file.sha256,
        contentType: file.contentType,
        // Cached at the edge like the videos; a new page is a new deploy, which invalidates nothing: keep it short.
        cacheControl: 'public, max-age=300',
      });
    }
  }
}
