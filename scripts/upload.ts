/**
 * `npm run upload -- <file> [--env <env>] [--no-wait] [--json]`: uploads a video to an
 * environment's source bucket (multipart, with a progress bar on a terminal), follows its job in
 * the jobs table until it ends, and prints the HLS, MP4, poster and player URLs or why it failed.
 * With --json the last stdout line is `{ assetId, jobId, status, playback: { hls, mp4 }, poster, player }`.
 * Exit codes: 0 complete (or uploaded, with --no-wait), 1 the job failed, 2 a usage or access problem.
 */
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { MediaConvertClient } from '@aws-sdk/client-mediaconvert';
import { S3Client } from '@aws-sdk/client-s3';
import { deriveAssetId } from '../lambda-src/jobs/keys';
import { playerUrl } from '../stacks/lib/player-paths';
import { UploadUsageError, checkUploadFile, parseUploadArgs } from './lib/upload/args';
import { followRecord, outcomeOf, UploadOutcome } from './lib/upload/follow';
import { multipartUpload } from './lib/upload/multipart';
import { progressBar } from './lib/upload/progress';
import { resolveUploadTarget } from './lib/upload/target';

const CONTENT_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.mov': 'video/quicktime',
  '.webm': 'video/webm',
  '.mkv': 'video/x-matroska',
};

/** Human lines go to stderr; stdout carries the URLs (and, with --json, the document last). */
function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** S3 errors that are the user's to fix: exit code 2 with what to do. */
function usageErrorOf(error: unknown, bucket: string, env: string): UploadUsageError | undefined {
  const name = (error as { name?: string }).name ?? '';
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (name === 'NoSuchBucket' || (status === 404 && name !== 'NoSuchKey'))
    return new UploadUsageError(`bucket not found: ${bucket} (is the ${env} stack deployed, in this account and region?)`);
  if (name === 'AccessDenied' || name === 'Forbidden' || status === 403)
    return new UploadUsageError(
      `access denied to s3://${bucket}: the credentials in use may not upload there (s3:PutObject on the source bucket)`,
    );
  if (name === 'CredentialsProviderError')
    return new UploadUsageError(
      `no AWS credentials found: configure the default credential chain (AWS_PROFILE, aws sso login, ...): ${(error as Error).message}`,
    );
  return undefined;
}

async function main(): Promise<number> {
  const args = parseUploadArgs(process.argv.slice(2));
  const file = checkUploadFile(args.file);
  const target = await resolveUploadTarget(args.env);
  const common = {
    region: target.region,
    ...(target.credentials ? { credentials: target.credentials } : {}),
  };
  const s3 = new S3Client({ ...common, ...(target.endpoint ? { endpoint: target.endpoint, forcePathStyle: true } : {}) });
  const dynamodb = new DynamoDBClient({ ...common, ...(target.endpoint ? { endpoint: target.endpoint } : {}) });
  const mediaconvert = new MediaConvertClient({
    ...common,
    ...(target.mediaconvertEndpoint ? { endpoint: target.mediaconvertEndpoint } : {}),
  });
  try {
    const key = `uploads/${file.name}`;
    const tty = process.stderr.isTTY === true;
    const started = Date.now();
    say(`uploading ${file.name} (${file.size} bytes) to s3://${target.sourceBucket}/${key}`);
    let lastLine = 0;
    let uploaded: { versionId?: string; eTag?: string };
    try {
      uploaded = await multipartUpload({
        s3,
        bucket: target.sourceBucket,
        key,
        file: file.path,
        size: file.size,
        contentType: CONTENT_TYPES[path.extname(file.name).toLowerCase()] ?? 'application/octet-stream',
        onProgress: (sent) => {
          const elapsed = (Date.now() - started) / 1000;
          if (tty) process.stderr.write(`\r${progressBar(sent, file.size, elapsed)}`);
          else if (Date.now() - lastLine > 1000 || sent === file.size) {
            lastLine = Date.now();
            say(`uploaded ${sent} of ${file.size} bytes`);
          }
        },
      });
    } catch (error) {
      throw usageErrorOf(error, target.sourceBucket, target.env) ?? error;
    }
    if (tty) process.stderr.write('\n');
    if (!uploaded.versionId)
      throw new Error(
        `s3://${target.sourceBucket} returned no version id: the pipeline's source bucket is versioned; is this the right bucket?`,
      );
    const assetId = deriveAssetId({ bucket: target.sourceBucket, key, versionId: uploaded.versionId });
    say(`asset ${assetId}`);
    let outcome: UploadOutcome;
    if (!args.wait) {
      outcome = { assetId, jobId: null, status: 'UPLOADED', playback: { hls: null, mp4: null }, poster: null, player: null };
    } else {
      const record = await followRecord({
        dynamodb,
        mediaconvert,
        table: target.jobsTable,
        assetId,
        onState: (state) => say(`job ${state}`),
        timeoutMs: 30 * 60_000,
      });
      const player = playerUrl(target.distributionOrigin, assetId);
      const published = await fetch(player, { method: 'HEAD' })
        .then((r) => r.ok)
        .catch(() => false);
      outcome = outcomeOf(assetId, record, published ? player : null);
      if (outcome.status === 'COMPLETE') {
        for (const [label, url] of [
          ['HLS', outcome.playback.hls],
          ['MP4', outcome.playback.mp4],
          ['poster', outcome.poster],
          ['player', outcome.player],
        ] as const)
          if (url) process.stdout.write(`${label.padEnd(7)} ${url}\n`);
      } else say(`the job ended ${outcome.status}: ${outcome.reason ?? 'no reason recorded'}`);
    }
    if (args.json) process.stdout.write(`${JSON.stringify(outcome)}\n`);
    return outcome.status === 'COMPLETE' || outcome.status === 'UPLOADED' ? 0 : 1;
  } finally {
    s3.destroy();
    dynamodb.destroy();
    mediaconvert.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    say(`upload: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(error instanceof UploadUsageError ? error.exitCode : 1);
  },
);
