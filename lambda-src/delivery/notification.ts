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
  /** `full`: this shape; `minimal`: a {@link MinimalJobNotification}, sent when this one cannot fit. Added in version 1. */
  readonly detail: 'full';
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
    detail: 'full',
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

function publishInput(topicArn: string, notification: PublishedJobNotification): PublishCommandInput {
  return {
    TopicArn: topicArn,
    Subject: notificationSubject(notification),
    Message: JSON.stringify(notification),
    MessageAttributes: buildMessageAttributes(notification),
  };
}

/** Where a job's full record is: the jobs table and its key. */
export interface RecordLocation {
  readonly table: string;
  readonly assetId: string;
}

/** How many outputs a COMPLETE job made, for a message that cannot list them. */
export interface OutputCounts {
  readonly hlsVariants: number;
  readonly mp4: number;
  readonly renditions: number;
  readonly thumbnails: number;
}

/**
 * What is published when the full notification cannot fit SNS's limit even without thumbnail URLs
 * (many outputs, long keys): the job, the asset, the state, the master playlist, how many outputs
 * there are and where the full record is. Same schema version: `detail` tells the two apart.
 */
export interface MinimalJobNotification {
  readonly version: typeof NOTIFICATION_SCHEMA_VERSION;
  readonly detail: 'minimal';
  readonly pipeline: string;
  readonly status: JobState;
  readonly jobId: string;
  readonly assetId: string;
  /** The HLS master playlist URL; null when the job has none (or is not COMPLETE). */
  readonly masterPlaylist: string | null;
  /** Null unless the status is COMPLETE. */
  readonly counts: OutputCounts | null;
  /** The jobs-table item holding the outputs. */
  readonly record: RecordLocation;
  /** MediaConvert's error, its message cut to {@link MINIMAL_ERROR_MESSAGE_LENGTH} characters; null unless ERROR. */
  readonly error: { readonly code: number | string | null; readonly message: string | null } | null;
  readonly consoleUrl: string;
  readonly timestamp: string;
}

/** A job notification as published: the full one, or the minimal one when the full one cannot fit. */
export type PublishedJobNotification = JobNotification | MinimalJobNotification;

/** The error message length a minimal notification keeps. */
export const MINIMAL_ERROR_MESSAGE_LENGTH = 1_000;

/** The minimal notification of a job: bounded by the key lengths S3 allows, far below SNS's limit. */
export function minimalNotification(notification: JobNotification, recordTable: string): MinimalJobNotification {
  const outputs = notification.outputs;
  return {
    version: notification.version,
    detail: 'minimal',
    pipeline: notification.pipeline,
    status: notification.status,
    jobId: notification.jobId,
    assetId: notification.assetId,
    masterPlaylist: outputs?.hls?.master ?? null,
    counts: outputs === null ? null : countOutputs(outputs),
    record: { table: recordTable, assetId: notification.assetId },
    error:
      notification.error === null
        ? null
        : { code: notification.error.code, message: notification.error.message?.slice(0, MINIMAL_ERROR_MESSAGE_LENGTH) ?? null },
    consoleUrl: notification.consoleUrl,
    timestamp: notification.timestamp,
  };
}

/** How many of each output there are; thumbnails by their real count, not the listed URLs. */
export function countOutputs(outputs: OutputUrls): OutputCounts {
  return {
    hlsVariants: outputs.hls?.variants.length ?? 0,
    mp4: outputs.mp4.length,
    renditions: outputs.renditions?.length ?? 0,
    thumbnails: outputs.thumbnails?.count ?? 0,
  };
}

/** The largest `keep` in [0, total] for which `fits(keep)` holds, given that fits(0) does and fitting shrinks as keep grows. */
function largestFitting(total: number, fits: (keep: number) => boolean): number {
  let fitting = 0;
  let tooMany = total + 1;
  while (tooMany - fitting > 1) {
    const middle = Math.floor((fitting + tooMany) / 2);
    if (fits(middle)) fitting = middle;
    else tooMany = middle;
  }
  return fitting;
}

/** The outputs with their thumbnail list cut to `keep` URLs (unchanged when there is none). */
function withThumbnailsCut(outputs: OutputUrls, keep: number): OutputUrls {
  return outputs.thumbnails === undefined ? outputs : { ...outputs, thumbnails: truncateThumbnails(outputs.thumbnails, keep) };
}

/**
 * The notification within SNS's size limit, never a throw: unchanged when it fits; else with
 * as many thumbnail URLs as fit (plus their real `count` and folder `prefix`); else, when even
 * no thumbnail URL fits (many outputs, long keys), the {@link MinimalJobNotification}.
 * Sizes are UTF-8 bytes of what SNS counts (message, subject, attributes).
 */
export function fitNotification(
  notification: JobNotification,
  options: { readonly recordTable: string; readonly maxBytes?: number },
): PublishedJobNotification {
  const maxBytes = options.maxBytes ?? SNS_PUBLISH_MAX_BYTES;
  const fits = (candidate: PublishedJobNotification) => publishInputBytes(publishInput('', candidate)) <= maxBytes;
  if (fits(notification)) return notification;
  const outputs = notification.outputs;
  const cut = (keep: number): JobNotification =>
    outputs === null ? notification : { ...notification, outputs: withThumbnailsCut(outputs, keep) };
  if (outputs?.thumbnails === undefined || !fits(cut(0))) return minimalNotification(notification, options.recordTable);
  return cut(largestFitting(outputs.thumbnails.urls.length, (keep) => fits(cut(keep))));
}

/**
 * DynamoDB items hold at most 400 KB; the outputs a record stores are kept under this many
 * bytes of JSON, leaving room for the rest of the record.
 */
export const RECORD_OUTPUTS_MAX_BYTES = 300_000;

/**
 * The outputs a record can store: unchanged when they fit; else with as many thumbnail URLs as
 * fit; else only the master playlist, marked `truncated` (the counts stay in `thumbnails.count`).
 */
export function fitRecordOutputs(outputs: OutputUrls, maxBytes: number = RECORD_OUTPUTS_MAX_BYTES): OutputUrls {
  const fits = (candidate: OutputUrls) => Buffer.byteLength(JSON.stringify(candidate), 'utf8') <= maxBytes;
  if (fits(outputs)) return outputs;
  const thumbnails = outputs.thumbnails;
  if (thumbnails !== undefined && fits(withThumbnailsCut(outputs, 0))) {
    return withThumbnailsCut(
      outputs,
      largestFitting(thumbnails.urls.length, (keep) => fits(withThumbnailsCut(outputs, keep))),
    );
  }
  return {
    ...(outputs.hls !== undefined ? { hls: { master: outputs.hls.master, variants: [] } } : {}),
    mp4: [],
    ...(thumbnails !== undefined ? { thumbnails: { urls: [], count: thumbnails.count, truncated: true } } : {}),
    truncated: true,
  };
}

/**
 * The Publish request for a notification: subject, JSON message and filterable attributes.
 * @throws NotificationTooLargeError when it exceeds SNS's limit (pass it through {@link fitNotification} first).
 */
export function buildPublishInput(topicArn: string, notification: PublishedJobNotification): PublishCommandInput {
  const input = publishInput(topicArn, notification);
  const bytes = publishInputBytes(input);
  if (bytes > SNS_PUBLISH_MAX_BYTES) {
    throw new NotificationTooLargeError(
      `The ${notification.status} notification of job ${notification.jobId} is ${bytes} bytes; SNS takes at most ${SNS_PUBLISH_MAX_BYTES}. Fit it with fitNotification first.`,
    );
  }
  return input;
}
