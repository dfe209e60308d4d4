import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

/**
 * Writes a storyboard WebVTT (delivery/storyboard.ts planStoryboard) to the output bucket. The same
 * event always plans the same bytes, so a retried write replaces the object with itself.
 */
export async function putStoryboard(s3: S3Client, bucket: string, key: string, body: string, abortSignal?: AbortSignal): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'text/vtt; charset=utf-8' }), {
    ...(abortSignal ? { abortSignal } : {}),
  });
}
