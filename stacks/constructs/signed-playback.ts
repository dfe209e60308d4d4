import { Construct } from 'constructs';
import { CloudfrontKeyGroup } from '@cdktf/provider-aws/lib/cloudfront-key-group';
import { CloudfrontPublicKey } from '@cdktf/provider-aws/lib/cloudfront-public-key';
import { InvalidPropsError, checkPatternProp } from '../lib/prop-validation';
import { MAX_PUBLIC_KEYS, PUBLIC_KEY_ID_PATTERN, PUBLIC_KEY_PEM_PATTERN } from '../../contracts/delivery-options';

export interface SignedPlaybackProps {
  /** Resource name prefix, e.g. `vod-prod`. */
  readonly name: string;
  /**
   * The public keys whose private keys sign cookies and URLs (`npm run sign`). Several allow a
   * rotation: add the new key, switch the signer, then remove the old one.
   */
  readonly publicKeys: readonly { readonly id: string; readonly pem: string }[];
}

/**
 * Private playback: CloudFront public keys and the key group the Delivery construct requires on
 * every path it serves, so only a viewer holding a signed cookie or URL can play.
 */
export class SignedPlayback extends Construct {
  readonly keyGroup: CloudfrontKeyGroup;
  /** Config id → CloudFront public key, whose `id` the signer sends as the key-pair id. */
  readonly publicKeys: Readonly<Record<string, CloudfrontPublicKey>>;

  constructor(scope: Construct, id: string, props: SignedPlaybackProps) {
    super(scope, id);
    if (props.publicKeys.length === 0 || props.publicKeys.length > MAX_PUBLIC_KEYS) {
      throw new InvalidPropsError(
        this,
        `'publicKeys' has ${props.publicKeys.length} keys; give 1 to ${MAX_PUBLIC_KEYS} (a CloudFront key group holds at most ${MAX_PUBLIC_KEYS}).`,
      );
    }
    const keys: Record<string, CloudfrontPublicKey> = {};
    for (const key of props.publicKeys) {
      checkPatternProp(this, 'publicKeys[].id', key.id, PUBLIC_KEY_ID_PATTERN, 'use 1-64 letters, digits, "-" or "_"');
      if (!PUBLIC_KEY_PEM_PATTERN.test(key.pem)) {
        throw new InvalidPropsError(
          this,
          `'publicKeys' key "${key.id}" is not a PEM public key; give the output of \`openssl rsa -pubout -in private.pem\` (-----BEGIN PUBLIC KEY----- ...).`,
        );
      }
      if (keys[key.id] !== undefined) throw new InvalidPropsError(this, `'publicKeys' names "${key.id}" twice; ids must be unique.`);
      keys[key.id] = new CloudfrontPublicKey(this, `PublicKey-${key.id}`, {
        name: `${props.name}-${key.id}`,
        comment: `Signs ${props.name} playback cookies and URLs`,
        encodedKey: key.pem,
      });
    }
    this.publicKeys = keys;
    this.keyGroup = new CloudfrontKeyGroup(this, 'KeyGroup', {
      name: `${props.name}-playback`,
      comment: `Viewers of ${props.name} need a cookie or URL signed by one of these keys`,
      items: Object.values(keys).map((key) => key.id),
    });
  }
}
