import { asRecord } from '../../contracts/guards';
import { InvalidJobEventError } from '../../contracts/errors';
import {
  FORWARDED_JOB_STATUSES,
  JOB_STATE_CHANGE_DETAIL_TYPE,
  JobState,
  MEDIACONVERT_EVENT_SOURCE,
} from '../../contracts/functions/job-events';
import { SourceSummary, parseSourceSummary } from '../encoding/source-profile';
import type { BillingTier } from '../../contracts/job-metadata';
import {
  ASSET_ID_METADATA_KEY,
  PIPELINE_METADATA_KEY,
  SOURCE_METADATA_KEY,
  SOURCE_PROFILE_METADATA_KEY,
  BILLING_TIER_METADATA_KEY,
  SUBMITTED_AT_METADATA_KEY,
  TRICK_PLAY_METADATA_KEY,
  parseBillingTier,
  parseSubmittedAt,
} from '../../contracts/job-metadata';

import { TrickPlayGrid, parseTrickPlayGrid } from '../../contracts/trick-play';

export type { JobState } from '../../contracts/functions/job-events';

/** One output of a COMPLETE event's output group (frame captures list only their last file). */
export interface OutputDetail {
  readonly outputFilePaths: readonly string[];
  readonly durationInMs?: number;
  /** The real size of the output (after rotation and scaling), from `videoDetails`. */
  readonly videoDetails?: { readonly widthInPx: number; readonly heightInPx: number };
}

/** A warning MediaConvert reports on the job: its code and how often it happened (e.g. 240000, silence inserted). */
export interface JobWarning {
  readonly code: number | string;
  readonly count: number;
}

/** One output group of a COMPLETE event: `HLS_GROUP`, `FILE_GROUP`, `DASH_ISO_GROUP`… */
export interface OutputGroupDetail {
  readonly type: string;
  /** For HLS, the master (multivariant) playlist. */
  readonly playlistFilePaths: readonly string[];
  readonly outputDetails: readonly OutputDetail[];
}

/** The parts of a MediaConvert job state change that the completion function uses. */
export interface JobStateChange {
  readonly jobId: string;
  readonly status: JobState;
  /** When MediaConvert reached the state, in epoch milliseconds (`detail.timestamp`). */
  readonly timestamp: number;
  /** Queue ARN, or '' when the event has none. */
  readonly queue: string;
  /** `userMetadata.assetId`, the jobs-table key set by the submit function. */
  readonly assetId: string;
  /** `userMetadata.source`, the `s3://` URI of the upload. */
  readonly source?: string;
  /** `userMetadata.pipeline`. */
  readonly pipeline: string;
  /** Empty unless the status is COMPLETE. */
  readonly outputGroupDetails: readonly OutputGroupDetail[];
  /**
   * True for a COMPLETE event without an `outputGroupDetails` array. The job is still
   * recorded and notified (with empty outputs); the handler logs a warning.
   */
  readonly outputGroupDetailsMissing: boolean;
  /** ERROR only: a number (1040) when numeric, in the event as a number or a string; else the string. */
  readonly errorCode?: number | string;
  readonly errorMessage?: string;
  /** `detail.warnings`: empty when the event carries none. */
  readonly warnings: readonly JobWarning[];
  /** What Probe said of the source (`userMetadata.sourceProfile`); absent for a fallback job. */
  readonly sourceProfile?: SourceSummary;
  /** When the job was submitted, epoch ms (`userMetadata.submittedAt`); absent on older jobs. */
  readonly submittedAt?: number;
  /** The tier the job is billed at (`userMetadata.billingTier`); absent on older jobs. */
  readonly billingTier?: BillingTier;
  /** The trick-play grid the job asked for (`userMetadata.trickPlay`); absent on older jobs: no storyboard. */
  readonly trickPlay?: TrickPlayGrid;
}

/** Why a well-formed event is not recorded. Each is logged with the job id; none is retried. */
export type JobEventSkipReason =
  /** `source` or `detail-type` is not a MediaConvert job state change (a too-wide rule). */
  | 'not-mediaconvert'
  /** `userMetadata.pipeline` names another pipeline (or is absent: a job we did not submit). */
  | 'other-pipeline'
  /** The job ran on another queue than this pipeline's: whoever created it is not the submit function. */
  | 'other-queue'
  /** A status the function does not record (STATUS_UPDATE, NEW_WARNING, QUEUE_HOP…). */
  | 'unknown-status'
  /** Our pipeline's job, but without `userMetadata.assetId`: there is no record to update. */
  | 'missing-asset-id'
  /** Neither `detail.timestamp` nor the envelope's `time` is usable. */
  | 'missing-timestamp';

/** What to do with one EventBridge event. */
export type JobEventPlan =
  | { readonly action: 'record'; readonly event: JobStateChange }
  | { readonly action: 'skip'; readonly reason: JobEventSkipReason; readonly jobId?: string; readonly detail: string };

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : [];
}

/**
 * `errorCode` is documented as a number, but string codes ("1040") occur too; both
 * normalize to a number so subscribers can compare. A non-numeric code is kept as is.
 */
export function normalizeErrorCode(value: unknown): number | string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  return /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
}

function parseTimestamp(detail: Record<string, unknown>, envelopeTime: unknown): number | undefined {
  const raw = detail.timestamp;
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
  if (typeof raw === 'string' && /^\d+$/.test(raw)) return Number(raw);
  const fromEnvelope = typeof envelopeTime === 'string' ? Date.parse(envelopeTime) : NaN;
  return Number.isNaN(fromEnvelope) ? undefined : fromEnvelope;
}

/** `detail.warnings` entries with a code and a count; anything else is dropped. */
function parseWarnings(value: unknown): JobWarning[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    const warning = asRecord(item);
    const code = normalizeErrorCode(warning?.code);
    const count = warning?.count;
    return code !== undefined && typeof count === 'number' && Number.isFinite(count) ? [{ code, count }] : [];
  });
}

function parseOutputGroups(value: unknown[]): OutputGroupDetail[] {
  return value.flatMap((item) => {
    const group = asRecord(item);
    if (group === undefined) return [];
    const details = Array.isArray(group.outputDetails) ? group.outputDetails : [];
    return [
      {
        type: typeof group.type === 'string' ? group.type : '',
        playlistFilePaths: strings(group.playlistFilePaths),
        outputDetails: details.flatMap((d) => {
          const detail = asRecord(d);
          if (detail === undefined) return [];
          const duration = detail.durationInMs;
          const video = asRecord(detail.videoDetails);
          const [width, height] = [video?.widthInPx, video?.heightInPx];
          return [
            {
              outputFilePaths: strings(detail.outputFilePaths),
              ...(typeof duration === 'number' && Number.isFinite(duration) ? { durationInMs: duration } : {}),
              ...(typeof width === 'number' && typeof height === 'number'
                ? { videoDetails: { widthInPx: width, heightInPx: height } }
                : {}),
            },
          ];
        }),
      },
    ];
  });
}

/**
 * Decides what one EventBridge event asks for: record a state change of this pipeline's
 * job, or skip it with a reason (logged, not retried, since a retry cannot change it).
 *
 * A payload that is not an object, or a MediaConvert event without `detail.jobId`, throws
 * instead: it is not a job state change at all (a broken rule or a manual invoke), so it
 * goes through the Lambda retries to the dead-letter queue, where it is kept for a person
 * to inspect rather than lost in a log line.
 *
 * @param expectedPipeline the function's PIPELINE_ID; other pipelines' jobs are skipped.
 * @param expectedQueueArn the function's QUEUE_ARN; jobs on other queues are skipped (forged metadata).
 * @throws InvalidJobEventError when `event` is not an object, or has no `detail.jobId`.
 */
export function parseJobStateEvent(event: unknown, expectedPipeline: string, expectedQueueArn?: string): JobEventPlan {
  const envelope = asRecord(event);
  if (envelope === undefined) {
    const kind = event === null ? 'null' : Array.isArray(event) ? 'an array' : `a ${typeof event}`;
    throw new InvalidJobEventError(
      `Event is ${kind}, not an object; the job-events function expects "${JOB_STATE_CHANGE_DETAIL_TYPE}" events from EventBridge.`,
    );
  }
  const detail = asRecord(envelope.detail);
  const jobId = nonEmptyString(detail?.jobId);
  if (envelope.source !== MEDIACONVERT_EVENT_SOURCE || envelope['detail-type'] !== JOB_STATE_CHANGE_DETAIL_TYPE) {
    return {
      action: 'skip',
      reason: 'not-mediaconvert',
      ...(jobId !== undefined ? { jobId } : {}),
      detail: `source "${String(envelope.source)}", detail-type "${String(envelope['detail-type'])}"; check the EventBridge rule's pattern`,
    };
  }
  if (detail === undefined || jobId === undefined) {
    throw new InvalidJobEventError(
      `MediaConvert event ${String(envelope.id ?? '(no id)')} has no detail.jobId; it cannot be matched to a job and goes to the dead-letter queue.`,
    );
  }
  const metadata = asRecord(detail.userMetadata) ?? {};
  const pipeline = nonEmptyString(metadata[PIPELINE_METADATA_KEY]);
  if (pipeline !== expectedPipeline) {
    return {
      action: 'skip',
      reason: 'other-pipeline',
      jobId,
      detail: `userMetadata.pipeline is ${pipeline === undefined ? 'absent' : `"${pipeline}"`}, this function serves "${expectedPipeline}"`,
    };
  }
  if (expectedQueueArn !== undefined && detail.queue !== expectedQueueArn) {
    return {
      action: 'skip',
      reason: 'other-queue',
      jobId,
      detail: `queue is ${JSON.stringify(detail.queue ?? null)}, this pipeline's jobs run on ${expectedQueueArn}`,
    };
  }
  const status = detail.status;
  if (typeof status !== 'string' || !(FORWARDED_JOB_STATUSES as readonly string[]).includes(status)) {
    return {
      action: 'skip',
      reason: 'unknown-status',
      jobId,
      detail: `status ${JSON.stringify(status ?? null)} is not recorded; recorded are ${FORWARDED_JOB_STATUSES.join(', ')}`,
    };
  }
  const assetId = nonEmptyString(metadata[ASSET_ID_METADATA_KEY]);
  if (assetId === undefined) {
    return {
      action: 'skip',
      reason: 'missing-asset-id',
      jobId,
      detail: 'userMetadata.assetId is absent; the submit function sets it on every job',
    };
  }
  const timestamp = parseTimestamp(detail, envelope.time);
  if (timestamp === undefined) {
    return { action: 'skip', reason: 'missing-timestamp', jobId, detail: 'neither detail.timestamp nor time is a valid time' };
  }
  const state = status as JobState;
  const groups = state === 'COMPLETE' && Array.isArray(detail.outputGroupDetails) ? parseOutputGroups(detail.outputGroupDetails) : [];
  const source = nonEmptyString(metadata[SOURCE_METADATA_KEY]);
  const errorCode = normalizeErrorCode(detail.errorCode);
  const errorMessage = nonEmptyString(detail.errorMessage);
  const sourceProfile = parseSourceSummary(metadata[SOURCE_PROFILE_METADATA_KEY]);
  const submittedAt = parseSubmittedAt(metadata[SUBMITTED_AT_METADATA_KEY]);
  const billingTier = parseBillingTier(metadata[BILLING_TIER_METADATA_KEY]);
  const trickPlay = parseTrickPlayGrid(metadata[TRICK_PLAY_METADATA_KEY]);
  return {
    action: 'record',
    event: {
      jobId,
      status: state,
      timestamp,
      queue: typeof detail.queue === 'string' ? detail.queue : '',
      assetId,
      pipeline,
      outputGroupDetails: groups,
      outputGroupDetailsMissing: state === 'COMPLETE' && !Array.isArray(detail.outputGroupDetails),
      warnings: parseWarnings(detail.warnings),
      ...(source !== undefined ? { source } : {}),
      ...(errorCode !== undefined ? { errorCode } : {}),
      ...(errorMessage !== undefined ? { errorMessage } : {}),
      ...(sourceProfile !== undefined ? { sourceProfile } : {}),
      ...(submittedAt !== undefined ? { submittedAt } : {}),
      ...(billingTier !== undefined ? { billingTier } : {}),
      ...(trickPlay !== undefined ? { trickPlay } : {}),
    },
  };
}
