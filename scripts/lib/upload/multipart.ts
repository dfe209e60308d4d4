/**
 * A multipart upload from a file: parts of `partSize` (S3's minimum 5 MiB except the last), a few
 * in flight at once, aborted on failure so no orphaned parts are billed.
 */
import { open } from 'node:fs/promises';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CompletedPart,
  CreateMultipartUploadCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';

export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;

export async function multipartUpload(args: {
  s3: S3Client;
  bucket: string;
  key: string;
  file: string;
  size: number;
  contentType: string;
  onProgress: (sentBytes: number) => void;
  partSize?: number;
  concurrency?: number;
}): Promise<{ versionId?: string; eTag?: string }> {
  const partSize = args.partSize ?? DEFAULT_PART_SIZE;
  const { UploadId } = await args.s3.send(
    new CreateMultipartUploadCommand({ Bucket: args.bucket, Key: args.key, ContentType: args.contentType }),
  );
  const handle = await open(args.file, 'r');
  try {
    const count = Math.max(1, Math.ceil(args.size / partSize));
    const parts: CompletedPart[] = new Array(count);
    let sent = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < count) {
        const index = next;
        next += 1;
        const start = index * partSize;
        const length = Math.min(partSize, args.size - start);
        const body = Buffer.alloc(length);
        await handle.read(body, 0, length, start);
        const { ETag } = await args.s3.send(
          new UploadPartCommand({ Bucket: args.bucket, Key: args.key, UploadId, PartNumber: index + 1, Body: body }),
        );
        parts[index] = { ETag, PartNumber: index + 1 };
        sent += length;
        args.onProgress(sent);
      }
    };
    await Promise.all(Array.from({ length: Math.min(args.concurrency ?? 4, count) }, worker));
    const done = await args.s3.send(
      new CompleteMultipartUploadCommand({ Bucket: args.bucket, Key: args.key, UploadId, MultipartUpload: { Parts: parts } }),
    );
    return { ...(done.VersionId ? { versionId: done.VersionId } : {}), ...(done.ETag ? { eTag: done.ETag } : {}) };
  } catch (error) {
    await args.s3.send(new AbortMultipartUploadCommand({ Bucket: args.bucket, Key: args.key, UploadId })).catch(() => undefined);
    throw error;
  } finally {
    await handle.close();
  }
}
