import type { PublishCommandInput } from '@aws-sdk/client-sns';
import { NOTIFICATION_SCHEMA_VERSION, buildMessageAttributes, notificationSubject } from './notification';

/**
 * The message published when an upload ends FAILED before any job exists (over a limit, not a
 * video, refused by CreateJob): the job notification's fields, so subscribers parse one shape,
 * with `status: FAILED`, `jobId: null` and `error.code` the reason (e.g. SOURCE_TOO_LARGE).
 */
export interface UploadFailedNotification {
  readonly version: typeof NOTIFICATION_SCHEMA_VERSION;
  readonly detail: 'full';
  readonly pipeline: string;
  readonly status: 'FAILED';
  readonly jobId: null;
  readonly assetId: string;
  readonly source: string;
  readonly sourceProfile: null;
  readonly outputs: null;
  readonly durationMs: null;
  readonly warnings: readonly [];
  readonly error: { readonly code: string; readonly message: string };
  readonly consoleUrl: null;
  readonly timestamp: string;
}

/** Error messages are cut here: the message stays far below SNS's limit whatever the key. */
const MAX_MESSAGE_LENGTH = 2_000;

export function buildUploadFailedNotification(args: {
  readonly pipeline: string;
  readonly assetId: string;
  readonly source: string;
  readonly error: { readonly name: string; readonly message: string };
  readonly now: Date;
}): UploadFailedNotification {
  return {
    version: NOTIFICATION_SCHEMA_VERSION,
    detail: 'full',
    pipeline: args.pipeline,
    status: 'FAILED',
    jobId: null,
    assetId: args.assetId,
    source: args.source.slice(0, MAX_MESSAGE_LENGTH),
    sourceProfile: null,
    outputs: null,
    durationMs: null,
    warnings: [],
    error: { code: args.error.name, message: args.error.message.slice(0, MAX_MESSAGE_LENGTH) },
    consoleUrl: null,
    timestamp: args.now.toISOString(),
  };
}

export function buildUploadFailedPublishInput(topicArn: string, notification: UploadFailedNotification): PublishCommandInput {
  return {
    TopicArn: topicArn,
    Subject: notificationSubject(notification),
    Message: JSON.stringify(notification),
    MessageAttributes: buildMessageAttributes(notification),
  };
}
