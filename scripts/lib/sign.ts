import { parseDuration } from '../../lambda-src/delivery/signing';

export const SIGN_USAGE = `usage: npm run sign -- <assetId> [--expires 2h] [--mp4 <file or key>] [--domain <host>] [--key-id <id>] [--private-key-file <pem>]
  --expires           how long the cookies and URL are valid: 90s, 30m, 2h, 7d (default 2h)
  --mp4               an MP4 of the asset to sign a URL for (its file name, or <assetId>/mp4/<file>)
  --domain            the distribution's host or custom domain (or CLOUDFRONT_DOMAIN)
  --key-id            the CloudFront public key id, terraform output signed_playback_key_ids (or CLOUDFRONT_KEY_PAIR_ID)
  --private-key-file  the PEM private key of that public key (or CLOUDFRONT_PRIVATE_KEY_FILE)
Prints JSON: the three CloudFront cookies (a custom policy over https://<domain>/<assetId>/*), Set-Cookie headers and the MP4 URL.`;

export class SignUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignUsageError';
  }
}

export interface SignOptions {
  readonly assetId: string;
  readonly expiresInMs: number;
  readonly mp4?: string;
  readonly domain: string;
  readonly keyId: string;
  readonly privateKeyFile: string;
}

const FLAGS = {
  '--expires': 'expires',
  '--mp4': 'mp4',
  '--domain': 'domain',
  '--key-id': 'keyId',
  '--private-key-file': 'privateKeyFile',
} as const;

/** The options of `npm run sign`, flags first, then the environment. */
export function parseSignArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): SignOptions {
  const values: Partial<Record<(typeof FLAGS)[keyof typeof FLAGS], string>> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg in FLAGS) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new SignUsageError(`${arg} needs a value`);
      values[FLAGS[arg as keyof typeof FLAGS]] = value;
      i += 1;
    } else if (arg.startsWith('--')) {
      throw new SignUsageError(`unknown option ${arg}`);
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 1) throw new SignUsageError('give exactly one asset id');
  const required = (value: string | undefined, flag: string, variable: string) => {
    if (value === undefined || value === '') throw new SignUsageError(`${flag} is required (or set ${variable})`);
    return value;
  };
  let expiresInMs: number;
  try {
    expiresInMs = parseDuration(values.expires ?? '2h');
  } catch (error) {
    throw new SignUsageError(`--expires: ${(error as Error).message}`);
  }
  return {
    assetId: positional[0]!,
    expiresInMs,
    ...(values.mp4 !== undefined ? { mp4: values.mp4 } : {}),
    domain: required(values.domain ?? env.CLOUDFRONT_DOMAIN, '--domain', 'CLOUDFRONT_DOMAIN'),
    keyId: required(values.keyId ?? env.CLOUDFRONT_KEY_PAIR_ID, '--key-id', 'CLOUDFRONT_KEY_PAIR_ID'),
    privateKeyFile: required(values.privateKeyFile ?? env.CLOUDFRONT_PRIVATE_KEY_FILE, '--private-key-file', 'CLOUDFRONT_PRIVATE_KEY_FILE'),
  };
}
