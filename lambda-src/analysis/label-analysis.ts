/**
 * Content analysis decisions, pure: which rendition of a completed job Rekognition Video analyses,
 * the StartLabelDetection request, what Rekognition's completion message says, the labels document
 * stored next to the outputs and the summary the record and the notification carry.
 */
import type { LabelSummary } from '../../contracts/notifications';
import { createHash } from 'node:crypto';
import type { LabelDetection, StartLabelDetectionRequest, VideoMetadata } from '@aws-sdk/client-rekognition';
import { isPermanentError } from '../core/aws-errors';
import { InvalidAnalysisNotificationError } from '../../contracts/errors';
import { asRecord } from '../../contracts/guards';
import type { JobStateChange } from '../jobs/job-event';
import { OUTPUT_FOLDERS } from '../../contracts/storage-layout';
import { parseS3Uri } from '../delivery/outputs';
import { LabelAccumulator } from './label-accumulator';

/** The labels document's name in `<assetId>/analysis/`. */
export const LABELS_FILE_NAME = 'labels.json';
/** Version of labels.json; a removed or retyped field gets a new one. Version 2: the detections moved to `pages`. */
export const LABELS_SCHEMA_VERSION = '2';
/** GetLabelDetection's largest page. */
export const LABELS_PAGE_SIZE = 1000;
/** Rekognition Video reads these containers; MediaConvert's MP4 rendition is one. */
const ANALYSABLE_EXTENSIONS = /\.(mp4|mov|avi)$/i;

/** What Rekognition is asked to do, besides the video. */
export interface AnalysisSettings {
  /** Labels below this confidence (percent) are not returned. */
  readonly minConfidence: number;
  /** Rekognition publishes its completion here (the analysis topic). */
  readonly notificationTopicArn: string;
  /** The role Rekognition publishes with: it may publish to that topic and nothing else. */
  readonly notificationRoleArn: string;
  /** The output bucket: only its MP4s are analysed. */
  readonly outputBucket: string;
}

/** Why a COMPLETE event starts no analysis. Logged; never retried. */
export type AnalysisSkipReason = 'not-complete' | 'no-mp4-output';

/** What to do with a job state change. */
export type AnalysisStartPlan =
  | {
      readonly action: 'start';
      readonly assetId: string;
      readonly jobId: string;
      /** The MP4 rendition's key in the output bucket. */
      readonly videoKey: string;
      readonly request: StartLabelDetectionRequest;
    }
  | { readonly action: 'skip'; readonly reason: AnalysisSkipReason; readonly detail: string };

/**
 * Rekognition's idempotency token for a MediaConvert job: a redelivered COMPLETE event gets
 * the same analysis, not a second one (64 characters of `[a-zA-Z0-9-_]`).
 */
export function analysisClientRequestToken(jobId: string): string {
  return createHash('sha256').update(`label-detection:${jobId}`, 'utf8').digest('hex');
}

/** The MP4 rendition of a COMPLETE event: a `.mp4` under `<assetId>/mp4/` in the output bucket. */
export function findMp4Rendition(change: JobStateChange, outputBucket: string): string | undefined {
  const mp4Folder = `${change.assetId}/${OUTPUT_FOLDERS.mp4}/`;
  for (const group of change.outputGroupDetails) {
    if (group.type !== 'FILE_GROUP') continue;
    for (const path of group.outputDetails.flatMap((d) => d.outputFilePaths)) {
      const uri = parseS3Uri(path);
      if (uri?.bucket === outputBucket && uri.key.startsWith(mp4Folder) && ANALYSABLE_EXTENSIONS.test(uri.key)) return uri.key;
    }
  }
  return undefined;
}

/**
 * Plans label detection for one job state change: only a COMPLETE job with an MP4 rendition
 * in the output bucket is analysed. The MediaConvert job id travels as the `JobTag`, so the
 * completion message names the job it belongs to.
 */
export function planAnalysisStart(change: JobStateChange, settings: AnalysisSettings): AnalysisStartPlan {
  if (change.status !== 'COMPLETE') return { action: 'skip', reason: 'not-complete', detail: `status ${change.status}` };
  const videoKey = findMp4Rendition(change, settings.outputBucket);
  if (videoKey === undefined) {
    return {
      action: 'skip',
      reason: 'no-mp4-output',
      detail: `no .mp4 under s3://${settings.outputBucket}/${change.assetId}/${OUTPUT_FOLDERS.mp4}/ in the COMPLETE event`,
    };
  }
  return {
    action: 'start',
    assetId: change.assetId,
    jobId: change.jobId,
    videoKey,
    request: {
      Video: { S3Object: { Bucket: settings.outputBucket, Name: videoKey } },
      ClientRequestToken: analysisClientRequestToken(change.jobId),
      JobTag: change.jobId,
      MinConfidence: settings.minConfidence,
      NotificationChannel: { SNSTopicArn: settings.notificationTopicArn, RoleArn: settings.notificationRoleArn },
      Features: ['GENERAL_LABELS'],
    },
  };
}

/** Errors a retry can fix: throttling, the concurrent-job limit and Rekognition's own failures. */
const TRANSIENT_ANALYSIS_ERRORS = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
  'InternalServerError',
]);

/** True when StartLabelDetection rejected the video or the request for good (too large, unreadable, invalid). */
export function isPermanentAnalysisError(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name;
  if (name !== undefined && TRANSIENT_ANALYSIS_ERRORS.has(name)) return false;
  return isPermanentError(error);
}

/** Rekognition's completion message on the analysis topic. */
export interface AnalysisCompletion {
  readonly rekognitionJobId: string;
  /** SUCCEEDED, FAILED or ERROR. */
  readonly status: string;
  /** The MediaConvert job id (the start request's `JobTag`). */
  readonly jobId: string;
  readonly assetId: string;
  readonly bucket: string;
  readonly videoKey: string;
}

/**
 * Reads one completion message (`{JobId, Status, API, JobTag, Timestamp, Video: {S3ObjectName, S3Bucket}}`).
 * The asset is the first segment of the analysed key, the layout the submit function writes.
 * @throws InvalidAnalysisNotificationError naming the missing field: such a message cannot be matched to a job.
 */
export function parseAnalysisCompletion(message: string): AnalysisCompletion {
  let raw: unknown;
  try {
    raw = JSON.parse(message);
  } catch (cause) {
    throw new InvalidAnalysisNotificationError(`The analysis topic delivered a message that is not JSON: ${message.slice(0, 200)}`, {
      cause,
    });
  }
  const body = asRecord(raw) ?? {};
  const video = asRecord(body.Video) ?? {};
  const field = (value: unknown, name: string): string => {
    if (typeof value === 'string' && value !== '') return value;
    throw new InvalidAnalysisNotificationError(
      `Rekognition completion message has no ${name}; only StartLabelDetection with a JobTag publishes to the analysis topic. Message: ${message.slice(0, 200)}`,
    );
  };
  const videoKey = field(video.S3ObjectName, 'Video.S3ObjectName');
  const assetId = videoKey.split('/')[0] ?? '';
  if (assetId === '' || !videoKey.includes('/')) {
    throw new InvalidAnalysisNotificationError(`Analysed key "${videoKey}" is not under <assetId>/; the job cannot be found.`);
  }
  return {
    rekognitionJobId: field(body.JobId, 'JobId'),
    status: field(body.Status, 'Status'),
    jobId: field(body.JobTag, 'JobTag'),
    assetId,
    bucket: field(video.S3Bucket, 'Video.S3Bucket'),
    videoKey,
  };
}

/** Where an asset's labels go: `<assetId>/analysis/labels.json`. */
export function labelsKey(assetId: string): string {
  return `${assetId}/${OUTPUT_FOLDERS.analysis}/${LABELS_FILE_NAME}`;
}

/**
 * The top labels of a video: detections grouped by label name, ranked by highest confidence,
 * then by occurrences, then by name (so equal inputs give equal summaries).
 */
export function summarizeLabels(detections: readonly LabelDetection[], top: number): LabelSummary[] {
  const accumulator = new LabelAccumulator();
  accumulator.add(detections);
  return accumulator.top(top);
}

/** labels.json: every detection Rekognition returned, with what produced it. */
export interface LabelsDocument {
  readonly version: typeof LABELS_SCHEMA_VERSION;
  readonly pipeline: string;
  readonly assetId: string;
  readonly jobId: string;
  readonly rekognitionJobId: string;
  /** The analysed rendition, `s3://bucket/<assetId>/mp4/…`. */
  readonly video: string;
  readonly minConfidence: number;
  readonly labelModelVersion: string | null;
  readonly videoMetadata: VideoMetadata | null;
  readonly labelCount: number;
  /** The top labels, as on the record. */
  readonly topLabels: readonly LabelSummary[];
  /**
   * The keys (in the output bucket) of the detection pages, in Rekognition's order (by timestamp):
   * each `{ "page": n, "labels": [LabelDetection…] }`, at most 1,000 detections.
   */
  readonly pages: readonly string[];
}

/** The labels document of one completed analysis. */
export function buildLabelsDocument(args: {
  readonly pipeline: string;
  readonly completion: AnalysisCompletion;
  readonly minConfidence: number;
  readonly labelModelVersion: string | undefined;
  readonly videoMetadata: VideoMetadata | undefined;
  readonly labelCount: number;
  readonly topLabels: readonly LabelSummary[];
  readonly pages: readonly string[];
}): LabelsDocument {
  const { completion } = args;
  return {
    version: LABELS_SCHEMA_VERSION,
    pipeline: args.pipeline,
    assetId: completion.assetId,
    jobId: completion.jobId,
    rekognitionJobId: completion.rekognitionJobId,
    video: `s3://${completion.bucket}/${completion.videoKey}`,
    minConfidence: args.minConfidence,
    labelModelVersion: args.labelModelVersion ?? null,
    videoMetadata: args.videoMetadata ?? null,
    labelCount: args.labelCount,
    topLabels: args.topLabels,
    pages: args.pages,
  };
}

/** One page of a label-detection job, as GetLabelDetection returned it (the status and video fields repeat on every page). */
export interface LabelDetectionResult {
  readonly jobStatus: string | undefined;
  readonly statusMessage: string | undefined;
  readonly labels: readonly LabelDetection[];
  readonly labelModelVersion: string | undefined;
  readonly videoMetadata: VideoMetadata | undefined;
}
