import { asRecord } from '../../contracts/guards';
import { InvalidS3EventError } from '../../contracts/errors';
import type { SkipReason } from '../../contracts/metrics';
import { UploadIdentity, isVideoKey } from './keys';

/** A new object in the source bucket that should become a MediaConvert job. */
export interface UploadedObject extends UploadIdentity {
  readonly size: number;
  readonly eventName: string;
}

/** What to do with one record of an S3 event. */
export type RecordPlan =
  | { readonly action: 'submit'; readonly upload: UploadedObject }
  | { readonly action: 'skip'; readonly reason: SkipReason; readonly key: string; readonly detail?: string };

/** The notification S3 sends when a configuration is saved; it carries no Records. */
export function isS3TestEvent(event: unknown): boolean {
  return typeof event === 'object' && event !== null && (event as { Event?: unknown }).Event === 's3:TestEvent';
}

/**
 * Decodes an S3 event key: keys arrive URL-form-encoded ('+' is a space, '%2B' a plus).
 * @throws URIError for a malformed escape such as a lone '%'.
 */
export function decodeS3Key(rawKey: string): string {
  return decodeURIComponent(rawKey.replace(/\+/g, ' '));
}

function planRecord(record: unknown): RecordPlan {
  const s3 = asRecord(asRecord(record)?.s3);
  const bucket = asRecord(s3?.bucket)?.name;
  const object = asRecord(s3?.object);
  const rawKey = object?.key;
  const eventName = asRecord(record)?.eventName;
  if (typeof bucket !== 'string' || typeof rawKey !== 'string' || typeof eventName !== 'string') {
    return {
      action: 'skip',
      reason: 'malformed-record',
      key: typeof rawKey === 'string' ? rawKey : '(none)',
      detail: 'record lacks s3.bucket.name, s3.object.key or eventName',
    };
  }
  if (!eventName.startsWith('ObjectCreated:')) {
    return { action: 'skip', reason: 'not-object-created', key: rawKey, detail: eventName };
  }
  let key: string;
  try {
    key = decodeS3Key(rawKey);
  } catch (error) {
    return { action: 'skip', reason: 'undecodable-key', key: rawKey, detail: (error as Error).message };
  }
  const size = typeof object?.size === 'number' ? object.size : Number(object?.size ?? NaN);
  if (key.endsWith('/')) return { action: 'skip', reason: 'folder-placeholder', key };
  if (size === 0) return { action: 'skip', reason: 'empty-object', key };
  if (!isVideoKey(key)) return { action: 'skip', reason: 'not-a-video', key };
  const optional = (name: string) => (typeof object?.[name] === 'string' && object[name] !== '' ? (object[name] as string) : undefined);
  return {
    action: 'submit',
    upload: {
      bucket,
      key,
      size,
      eventName,
      ...(optional('versionId') ? { versionId: optional('versionId') } : {}),
      ...(optional('eTag') ? { eTag: optional('eTag') } : {}),
      ...(optional('sequencer') ? { sequencer: optional('sequencer') } : {}),
    },
  };
}

/**
 * Decides, record by record, what an S3 notification asks for. A test event yields no
 * plans. A payload without a Records array is not an S3 event at all.
 * @throws InvalidS3EventError when `event` has no Records array and is not a test event.
 */
export function parseS3Event(event: unknown): RecordPlan[] {
  if (isS3TestEvent(event)) return [];
  const records = asRecord(event)?.Records;
  if (!Array.isArray(records)) {
    throw new InvalidS3EventError(
      'Event has no Records array; the submit function expects S3 ObjectCreated notifications from the source bucket.',
    );
  }
  return records.map(planRecord);
}
