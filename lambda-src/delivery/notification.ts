import type { MessageAttributeValue, PublishCommandInput } from '@aws-sdk/client-sns';
import type { JobState, JobStateChange, JobWarning } from '../jobs/job-event';
import { NotificationTooLargeError } from '../../contracts/errors';
import { MappedOutputs, OutputUrls, pickOutputUrls, truncateThumbnails } from './outputs';
import type { SourceSummary } from '../encoding/source-profile';

/**
 * Version of the notification's JSON. Subscribers check it; a change that removes or
 * retypes a field gets a new version, added fields do not.
 */
export const NOTIFICATION_SCHEMA_VERSION = '1';

/** SNS limits a Subject to 100 printable ASCII characters. */
export const SUBJECT_MAX_LENGTH = 100;

/** SNS limits a published message to 256 KB, message attributes included; over it, Publish fails on every retry. */
export const SNS_PUBLISH_MAX_BYTES = 262_144;

/** The message published when a job ends. Every field is always present (null when not applicable). */
export interface JobNotification {
  readonly version: typeof NOTIFICATION_SCHEMA_VERSION;
  readonly pipeline: string;
  readonly status: JobState;
  readonly jobId: string;
  readonly assetId: string;
  /** The `s3://` URI of the upload, or null when the job's metadata lacks it. */
  readonly source: string | null;
  /**
   * What Probe said of the source: display size after rotation, duration, fps, audio, HDR, scan and
   * rotation; null for a job planned without a usable probe. Added in version 1.
   */
  readonly sourceProfile: SourceSummary | null;
  /** The viewer URLs; null unless the status is COMPLETE. */
  readonly outputs: OutputUrls | null;
  /** The longest video output duration (frame captures excluded), or null. */
  readonly durationMs: number | null;
  /** MediaConvert's warnings on the job (code and count, e.g. 240000 silence inserted); empty when none. Added in version 1. */
  readonly warnings: readonly JobWarning[];
  /** MediaConvert's error; null unless the status is ERROR. */
  readonly error: { readonly code: number | string | null; readonly message: string | null } | null;
  /** The job in the MediaConvert console, for whoever reads the alert. */
  readonly consoleUrl: string;
  /** When MediaConvert reached the state, as ISO 8601. */
  readonly timestamp: string;
}

/** The job's page in the MediaConvert console. */
export function mediaConvertConsoleUrl(region: string, jobId: string): string {
  return `https://${region}.console.aws.amazon.com/mediaconvert/home?region=${region}#/jobs/summary/${encodeURIComponent(jobId)}`;
}

/**
 * The notification for a job state change.
 * @param urls the mapped outputs of a COMPLETE event; ignored for other states.
 */
export function buildNotification(
  change: JobStateChange,
  urls: MappedOutputs | undefined,
  context: { region: string; pipeline: string },
): JobNotification {
  const complete = change.status === 'COMPLETE';
  return {
    version: NOTIFICATION_SCHEMA_VERSION,
    pipeline: context.pipeline,
    status: change.status,
    jobId: change.jobId,
    assetId: change.assetId,
    source: change.source ?? null,
    sourceProfile: change.sourceProfile ?? null,
    outputs: complete ? pickOutputUrls(urls ?? { mp4: [], skipped: [] }) : null,
    durationMs: complete ? (urls?.durationMs ?? null) : null,
    error: change.status === 'ERROR' ? { code: change.errorCode ?? null, message: change.errorMessage ?? null } : null,
    warnings: change.warnings,
    consoleUrl: mediaConvertConsoleUrl(context.region, change.jobId),
    timestamp: new Date(change.timestamp).toISOString(),
  };
}

/**
 * The SNS Subject, e.g. `[vod-dev] COMPLETE my-trip-3f2a9c0d1e4b`: printable ASCII only,
 * cut to 100 characters with a trailing `...`, as SNS requires.
 */
export function notificationSubject(notification: {
  readonly pipeline: string;
  readonly status: string;
  readonly assetId: string;
}): string {
  const subject = `[${notification.pipeline}] ${notification.status} ${notification.assetId}`.replace(/[^\x20-\x7e]/g, '?');
  return subject.length <= SUBJECT_MAX_LENGTH ? subject : `${subject.slice(0, SUBJECT_MAX_LENGTH - 3)}...`;
}

/** `status` and `pipeline` as String attributes, so subscriptions can filter (e.g. only ERROR). */
export function buildMessageAttributes(notification: {
  readonly pipeline: string;
  readonly status: string;
}): Record<string, MessageAttributeValue> {
  return {
    status: { DataType: 'String', StringValue: notification.status },
    pipeline: { DataType: 'String', StringValue: notification.pipeline },
  };
}

/** What SNS counts against its size limit: the message, the subject and every attribute's name, type and value, in UTF-8 bytes. */
export function publishInputBytes(input: PublishCommandInput): number {
  const bytes = (text: string | undefined) => Buffer.byteLength(text ?? '', 'utf8');
  const attributes = Object.entries(input.MessageAttributes ?? {}).reduce(
    (sum, [name, value]) => sum + bytes(name) + bytes(value.DataType) + bytes(value.StringValue),
    0,
  );
  return bytes(input.Message) + bytes(input.Subject) + attributes;
}

function publishInput(topicArn: string, notification: JobNotification): PublishCommandInput {
  return {
    TopicArn: topicArn,
    Subject: notificationSubject(notification),
    Message: JSON.stringify(notification),
    MessageAttributes: buildMessageAttributes(notification),
  };
}

/**
 * The notification within SNS's size limit: unchanged when it fits, else with as many
 * thumbnail URLs as fit (plus their real `count` and folder `prefix`). Thumbnails are the
 * only list that grows with the video; everything else is bounded by the ladder.
 * @throws NotificationTooLargeError when it does not fit even without thumbnail URLs.
 */
export function fitNotification(notification: JobNotification, maxBytes: number = SNS_PUBLISH_MAX_BYTES): JobNotification {
  const size = (candidate: JobNotification) => publishInputBytes(publishInput('', candidate));
  if (size(notification) <= maxBytes) return notification;
  const thumbnails = notification.outputs?.thumbnails;
  const withThumbnails = (keep: number): JobNotification =>
    thumbnails === undefined
      ? notification
      : { ...notification, outputs: { ...notification.outputs!, thumbnails: truncateThumbnails(thumbnails, keep) } };
  if (size(withThumbnails(0)) > maxBytes) {
    throw new NotificationTooLargeError(
      `The ${notification.status} notification of job ${notification.jobId} (asset ${notification.assetId}) is ${size(notification)} bytes even without thumbnail URLs; SNS takes at most ${maxBytes}. Shorten the output names (the ladder's rung names or the upload's key).`,
    );
  }
  // The largest number of URLs that fits: size grows with each URL kept.
  let fits = 0;
  let tooMany = thumbnails!.urls.length;
  while (tooMany - fits > 1) {
    const middle = Math.floor((fits + tooMany) / 2);
    if (size(withThumbnails(middle)) <= maxBytes) fits = middle;
    else tooMany = middle;
  }
  return withThumbnails(fits);
}

/**
 * The Publish request for a notification: subject, JSON message and filterable attributes.
 * @throws NotificationTooLargeError when it exceeds SNS's limit (pass it through {@link fitNotification} first).
 */
export function buildPublishInput(topicArn: string, notification: JobNotification): PublishCommandInput {
  const input = publishInput(topicArn, notification);
  const bytes = publishInputBytes(input);
  if (bytes > SNS_PUBLISH_MAX_BYTES) {
    throw new NotificationTooLargeError(
      `The ${notification.status} notification of job ${notification.jobId} is ${bytes} bytes; SNS takes at most ${SNS_PUBLISH_MAX_BYTES}. Fit it with fitNotification first.`,
    );
  }
  return input;
}
