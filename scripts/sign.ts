/**
 * npm run sign -- <assetId> --expires 2h [--mp4 my-trip_1080p.mp4]
 * Signed cookies for every file of one asset, and a signed URL for its MP4 (delivery.signedPlayback).
 */
import { readFileSync } from 'node:fs';
import { signPlayback } from '../lambda-src/delivery/signing';
import { SIGN_USAGE, SignUsageError, parseSignArgs } from './lib/sign';

function main(argv: readonly string[]): number {
  try {
    const options = parseSignArgs(argv, process.env);
    const signed = signPlayback({
      assetId: options.assetId,
      domain: options.domain,
      keyPairId: options.keyId,
      privateKeyPem: readFileSync(options.privateKeyFile, 'utf8'),
      expiresAt: new Date(Date.now() + options.expiresInMs),
      ...(options.mp4 !== undefined ? { mp4: options.mp4 } : {}),
    });
    process.stdout.write(`${JSON.stringify(signed, null, 2)}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof SignUsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${SIGN_USAGE}\n`);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
