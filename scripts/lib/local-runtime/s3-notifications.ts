/**
 * S3 event notifications for the local runtime: moto cannot invoke a Lambda, so the runtime
 * watches the source bucket (ListObjectVersions once a second) and turns each new object version
 * into the event S3 would send to the functions the bucket's deployed notification configuration
 * names, with its filters.
 */
import {
  GetBucketNotificationConfigurationCommand,
  LambdaFunctionConfiguration,
  ListObjectVersionsCommand,
  S3Client,
} from '@aws-sdk/client-s3';

/** One uploaded object version, as the watcher saw it. */
export interface SeenUpload {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
  readonly eTag: string;
  readonly size: number;
}

/** The key as S3 puts it in an event: form-encoded per segment (a space is `+`, parentheses too are escaped), `/` kept. */
export function eventKey(key: string): string {
  return key
    .split('/')
    .map((s) =>
      encodeURIComponent(s)
        .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
        .replace(/%20/g, '+'),
    )
    .join('/');
}

/** Whether a notification configuration's prefix and suffix rules accept `key` (suffixes are case-sensitive). */
export function filterAccepts(configuration: LambdaFunctionConfiguration, key: string): boolean {
  const rules = configuration.Filter?.Key?.FilterRules ?? [];
  return rules.every((rule) => {
    const name = (rule.Name ?? '').toLowerCase();
    if (name === 'prefix') return key.startsWith(rule.Value ?? '');
    if (name === 'suffix') return key.endsWith(rule.Value ?? '');
    return true;
  });
}

let sequence = 0;

/** The `s3:ObjectCreated:*` event S3 sends for one upload. */
export function objectCreatedEvent(
  upload: SeenUpload,
  configurationId: string,
  region: string,
  now: Date = new Date(),
): Record<string, unknown> {
  sequence += 1;
  const multipart = /-\d+"?$/.test(upload.eTag);
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: region,
        eventTime: now.toISOString(),
        eventName: multipart ? 'ObjectCreated:CompleteMultipartUpload' : 'ObjectCreated:Put',
        userIdentity: { principalId: 'local' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': `local-${sequence}`, 'x-amz-id-2': 'local' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId,
          bucket: { name: upload.bucket, ownerIdentity: { principalId: 'local' }, arn: `arn:aws:s3:::${upload.bucket}` },
          object: {
            key: eventKey(upload.key),
            size: upload.size,
            eTag: upload.eTag.replace(/"/g, ''),
            ...(upload.versionId && upload.versionId !== 'null' ? { versionId: upload.versionId } : {}),
            sequencer: `${now.getTime().toString(16).toUpperCase()}${String(sequence).padStart(4, '0')}`,
          },
        },
      },
    ],
  };
}

/**
 * Polls `bucket` and calls `deliver(functionArn, event, upload)` for every new object version that
 * a notification configuration accepts. Versions present at start are not delivered.
 * @returns a stop function.
 */
export function watchUploads(args: {
  s3: S3Client;
  bucket: string;
  region: string;
  deliver: (functionArn: string, event: Record<string, unknown>, upload: SeenUpload) => void;
  onError: (error: Error) => void;
  intervalMs?: number;
}): () => void {
  const seen = new Set<string>();
  let first = true;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const poll = async (): Promise<void> => {
    const notification = await args.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: args.bucket }));
    const configurations = notification.LambdaFunctionConfigurations ?? [];
    let marker: { KeyMarker?: string; VersionIdMarker?: string } = {};
    for (;;) {
      const page = await args.s3.send(new ListObjectVersionsCommand({ Bucket: args.bucket, ...marker }));
      for (const version of page.Versions ?? []) {
        const id = `${version.Key}#${version.VersionId}#${version.ETag}`;
        if (seen.has(id)) continue;
        seen.add(id);
        if (first) continue;
        const upload: SeenUpload = {
          bucket: args.bucket,
          key: version.Key!,
          ...(version.VersionId ? { versionId: version.VersionId } : {}),
          eTag: version.ETag ?? '',
          size: version.Size ?? 0,
        };
        for (const configuration of configurations) {
          const created = (configuration.Events ?? []).some((e) => e.startsWith('s3:ObjectCreated:'));
          if (created && configuration.LambdaFunctionArn && filterAccepts(configuration, upload.key)) {
            args.deliver(configuration.LambdaFunctionArn, objectCreatedEvent(upload, configuration.Id ?? 'local', args.region), upload);
          }
        }
      }
      if (!page.IsTruncated) break;
      marker = { KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker };
    }
    first = false;
  };
  const loop = (): void => {
    if (stopped) return;
    poll()
      .then(
        () => undefined,
        (error: Error) => args.onError(error),
      )
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, args.intervalMs ?? 1000);
      });
  };
  loop();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
