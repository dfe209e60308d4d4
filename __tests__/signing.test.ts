import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cloudFrontBase64, parseDuration, signPlayback } from '../lambda-src/delivery/signing';
import { SignUsageError, parseSignArgs } from '../scripts/lib/sign';

const DOMAIN = 'd111111abcdef8.cloudfront.net';
const ASSET = 'my-trip-3f2a9c0d1e4b';
const KEY_ID = 'K2JCJMDEHXQW5F';
const EXPIRES = new Date('2026-12-02T14:00:00.000Z');
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_PEM = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const PUBLIC_PEM = publicKey.export({ type: 'spki', format: 'pem' }).toString();

/** CloudFront's URL-safe base64 back to bytes. */
const decode = (value: string) => Buffer.from(value.replace(/-/g, '+').replace(/_/g, '=').replace(/~/g, '/'), 'base64');
/** What CloudFront checks: the RSA-SHA1 signature of the policy bytes, with the public key in the key group. */
const verifies = (policy: Buffer | string, signature: string, key: string = PUBLIC_PEM) =>
  verify('RSA-SHA1', Buffer.from(policy), key, decode(signature));

describe('signPlayback', () => {
  const signed = signPlayback({
    assetId: ASSET,
    domain: DOMAIN,
    keyPairId: KEY_ID,
    privateKeyPem: PRIVATE_PEM,
    expiresAt: EXPIRES,
    mp4: 'my-trip_1080p.mp4',
  });

  it('issues cookies whose custom policy covers every file of the asset until the expiry', () => {
    // Act
    const policy = JSON.parse(decode(signed.cookies['CloudFront-Policy']).toString('utf8')) as unknown;

    // Assess
    expect(policy).toEqual({
      Statement: [{ Resource: `https://${DOMAIN}/${ASSET}/*`, Condition: { DateLessThan: { 'AWS:EpochTime': EXPIRES.getTime() / 1000 } } }],
    });
    expect(signed.cookies['CloudFront-Key-Pair-Id']).toBe(KEY_ID);
  });

  it('signs the policy cookie with the private key: the public key verifies it, another key does not', () => {
    // Prepare
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

    // Act
    const policyBytes = decode(signed.cookies['CloudFront-Policy']);

    // Assess
    expect(verifies(policyBytes, signed.cookies['CloudFront-Signature'])).toBe(true);
    expect(verifies(policyBytes, signed.cookies['CloudFront-Signature'], other)).toBe(false);
    expect(verifies(policyBytes.toString().replace(ASSET, 'another-asset'), signed.cookies['CloudFront-Signature'])).toBe(false);
  });

  it('uses only the characters CloudFront allows in cookie and query values', () => {
    for (const value of [signed.cookies['CloudFront-Policy'], signed.cookies['CloudFront-Signature']]) {
      expect(value).toMatch(/^[A-Za-z0-9\-_~]+$/);
    }
    expect(cloudFrontBase64(Buffer.from([0xfb, 0xff, 0xfe]))).toBe('-~~-');
  });

  it('signs the MP4 URL with a canned policy CloudFront can rebuild from the URL and Expires', () => {
    // Act
    const url = new URL(signed.mp4Url!);
    const expires = url.searchParams.get('Expires');
    const base = `${url.origin}${url.pathname}`;
    const canned = `{"Statement":[{"Resource":"${base}","Condition":{"DateLessThan":{"AWS:EpochTime":${expires}}}}]}`;

    // Assess
    expect(base).toBe(`https://${DOMAIN}/${ASSET}/mp4/my-trip_1080p.mp4`);
    expect(Number(expires)).toBe(EXPIRES.getTime() / 1000);
    expect(url.searchParams.get('Key-Pair-Id')).toBe(KEY_ID);
    expect(verifies(canned, url.searchParams.get('Signature')!)).toBe(true);
  });

  it('sets the cookies for the asset path only, Secure and HttpOnly', () => {
    expect(signed.setCookieHeaders).toHaveLength(3);
    for (const header of signed.setCookieHeaders) {
      expect(header).toMatch(
        new RegExp(`; Domain=${DOMAIN}; Path=/${ASSET}/; Expires=Wed, 02 Dec 2026 14:00:00 GMT; Secure; HttpOnly; SameSite=None$`),
      );
    }
  });

  it.each(['a/b', 'a*', ''])('refuses %p as an asset id', (assetId) => {
    expect(() => signPlayback({ assetId, domain: DOMAIN, keyPairId: KEY_ID, privateKeyPem: PRIVATE_PEM, expiresAt: EXPIRES })).toThrow(
      /not an asset id/,
    );
  });

  it('refuses an MP4 of another asset', () => {
    expect(() =>
      signPlayback({
        assetId: ASSET,
        domain: DOMAIN,
        keyPairId: KEY_ID,
        privateKeyPem: PRIVATE_PEM,
        expiresAt: EXPIRES,
        mp4: 'other/mp4/x.mp4',
      }),
    ).toThrow(/is not a file of asset/);
  });
});

describe('parseDuration and the sign command line', () => {
  it.each([
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['2h', 7_200_000],
    ['7d', 604_800_000],
  ])('reads %s as %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['2', '2w', '0h', '8d'])('refuses %p', (text) => {
    expect(() => parseDuration(text)).toThrow();
  });

  it('takes the domain, key id and key file from flags or the environment, and needs each', () => {
    expect(
      parseSignArgs([ASSET, '--expires', '30m'], {
        CLOUDFRONT_DOMAIN: DOMAIN,
        CLOUDFRONT_KEY_PAIR_ID: KEY_ID,
        CLOUDFRONT_PRIVATE_KEY_FILE: 'k.pem',
      }),
    ).toEqual({
      assetId: ASSET,
      expiresInMs: 1_800_000,
      domain: DOMAIN,
      keyId: KEY_ID,
      privateKeyFile: 'k.pem',
    });
    expect(() => parseSignArgs([ASSET], { CLOUDFRONT_DOMAIN: DOMAIN })).toThrow(
      new SignUsageError('--key-id is required (or set CLOUDFRONT_KEY_PAIR_ID)'),
    );
  });

  it('npm run sign prints cookies and an MP4 URL that the public key verifies', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'sign-'));
    const keyFile = join(dir, 'private.pem');
    writeFileSync(keyFile, PRIVATE_PEM);

    try {
      // Act
      const stdout = execFileSync(
        'npx',
        [
          'tsx',
          'scripts/sign.ts',
          ASSET,
          '--expires',
          '2h',
          '--mp4',
          'my-trip_720p.mp4',
          '--domain',
          DOMAIN,
          '--key-id',
          KEY_ID,
          '--private-key-file',
          keyFile,
        ],
        { encoding: 'utf8' },
      );

      // Assess
      const output = JSON.parse(stdout) as ReturnType<typeof signPlayback>;
      const policy = JSON.parse(decode(output.cookies['CloudFront-Policy']).toString()) as {
        Statement: [{ Condition: { DateLessThan: { 'AWS:EpochTime': number } } }];
      };
      const expiresIn = policy.Statement[0].Condition.DateLessThan['AWS:EpochTime'] * 1000 - Date.now();
      expect(verifies(decode(output.cookies['CloudFront-Policy']), output.cookies['CloudFront-Signature'])).toBe(true);
      expect(expiresIn).toBeGreaterThan(7_200_000 - 600_000);
      expect(expiresIn).toBeLessThanOrEqual(7_200_000);
      expect(output.mp4Url).toMatch(
        new RegExp(`^https://${DOMAIN}/${ASSET}/mp4/my-trip_720p\\.mp4\\?Expires=\\d+&Signature=[A-Za-z0-9~_-]+&Key-Pair-Id=${KEY_ID}$`),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
