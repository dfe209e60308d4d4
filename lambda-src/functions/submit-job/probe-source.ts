/**
 * The submit function's I/O to learn what an upload is: MediaConvert Probe, plus ranged S3 GETs
 * of the MP4/MOV header for the rotation when Probe does not report one. Every decision is in
 * lambda-src/encoding and cost (source-profile, mp4-rotation, encoding-plan, cost); clients are passed in.
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { MediaConvertClient, ProbeCommand } from '@aws-sdk/client-mediaconvert';
import { CostEstimate, estimateCost } from '../../cost/cost';
import { EncodingPlan, planEncoding } from '../../encoding/encoding-plan';
import { PlanSettings } from '../../../contracts/functions/submit-job';
import { toS3Uri } from '../../jobs/keys';
import type { EncodingLadder } from '../../../contracts/ladder';
import { ReadRange, RotationReading, readMp4Rotation } from '../../encoding/mp4-rotation';
import type { PriceTable } from '../../../contracts/pricing';
import type { UploadLimits } from '../../../contracts/upload-limits';
import type { UploadedObject } from '../../jobs/s3-event';
import type { PlanRecordFields } from '../../jobs/job-record';
import { SourceSummary, SourceVerdict, hasMp4Header, summarizeProbe, summarizeSource } from '../../encoding/source-profile';

/** The upload is not a video (Probe found no media, or no video track): record FAILED, never retry. */
export class NotMediaError extends Error {
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(`s3 object "${key}" is not a video: ${reason}`);
    this.name = 'NotMediaError';
  }
}

/** What the job is built from, and what the record keeps about it. */
export interface PlannedSource {
  readonly plan: EncodingPlan;
  /** The probe summary; undefined for the fallback plan. */
  readonly source?: SourceSummary;
  /** Why the fallback plan was used. */
  readonly fallbackReason?: string;
  /** Undefined when the source's length is unknown (fallback). */
  readonly estimatedCost?: CostEstimate;
  readonly rotationReading?: RotationReading;
}

/** Reads byte ranges of the exact uploaded version. */
function rangeReader(s3: S3Client, upload: UploadedObject, abortSignal?: AbortSignal): ReadRange {
  return async (start, end) => {
    const response = await s3.send(
      new GetObjectCommand({
        Bucket: upload.bucket,
        Key: upload.key,
        ...(upload.versionId ? { VersionId: upload.versionId } : {}),
        Range: `bytes=${start}-${end - 1}`,
      }),
      { abortSignal },
    );
    return (await response.Body?.transformToByteArray()) ?? new Uint8Array();
  };
}

/**
 * Probes the upload and reads its rotation when Probe gives none for an MP4/MOV.
 * Throttling and 5xx of either call propagate (retried like CreateJob).
 * @param abortSignal ends every call when the invocation's time budget runs out.
 */
export async function probeSource(
  upload: UploadedObject,
  clients: { mediaconvert: MediaConvertClient; s3: S3Client },
  abortSignal?: AbortSignal,
) {
  const response = await clients.mediaconvert.send(new ProbeCommand({ InputFiles: [{ FileUrl: toS3Uri(upload.bucket, upload.key) }] }), {
    abortSignal,
  });
  const result = response.ProbeResults?.[0];
  const video = result?.Container?.Tracks?.find((t) => t.TrackType === 'video');
  const props = video?.VideoProperties;
  const noRatio = !props?.SampleAspectRatio && !props?.DisplayAspectRatio && !props?.CodecMetadata?.SampleAspectRatio;
  // The header gives the rotation, and the pasp box when Probe says nothing of the aspect ratio.
  const needsHeader = hasMp4Header(result?.Container?.Format) && video !== undefined && (typeof props?.Rotation !== 'number' || noRatio);
  const rotationReading = needsHeader ? await readMp4Rotation(rangeReader(clients.s3, upload, abortSignal), upload.size) : undefined;
  const headerRatio = rotationReading?.rotation !== undefined ? rotationReading.pixelAspectRatio : undefined;
  return { verdict: summarizeProbe(result, rotationReading?.rotation, headerRatio), rotationReading };
}

/**
 * Probe, summarize, plan and estimate: the plan the job is built from.
 * @throws NotMediaError for a file that is not a video.
 */
export async function planSource(
  upload: UploadedObject,
  clients: { mediaconvert: MediaConvertClient; s3: S3Client },
  ladder: EncodingLadder,
  settings: PlanSettings,
  prices: PriceTable,
  abortSignal?: AbortSignal,
  limits?: UploadLimits,
): Promise<PlannedSource> {
  const { verdict, rotationReading } = await probeSource(upload, clients, abortSignal);
  return planFromVerdict(upload, verdict, ladder, settings, prices, rotationReading, limits);
}

function planFromVerdict(
  upload: UploadedObject,
  verdict: SourceVerdict,
  ladder: EncodingLadder,
  settings: PlanSettings,
  prices: PriceTable,
  rotationReading: RotationReading | undefined,
  limits?: UploadLimits,
): PlannedSource {
  if (verdict.kind === 'not-media') throw new NotMediaError(upload.key, verdict.reason);
  const reading = rotationReading ? { rotationReading } : {};
  if (verdict.kind === 'not-understood') {
    if (limits === undefined)
      return { plan: planEncoding(undefined, ladder, settings, verdict.hint), fallbackReason: verdict.reason, ...reading };
    // Bounded: clipped at the length limit, and estimated at that length so the cost limit applies too.
    const maxInputSeconds = limits.maxSourceMinutes * 60;
    const plan = { ...planEncoding(undefined, ladder, settings, verdict.hint), maxInputSeconds };
    return { plan, fallbackReason: verdict.reason, estimatedCost: estimateCost(plan, maxInputSeconds, prices), ...reading };
  }
  const plan = planEncoding(verdict.profile, ladder, settings);
  if (plan.renditions.length === 0) {
    const { displayWidth, displayHeight } = verdict.profile;
    throw new NotMediaError(
      upload.key,
      `no rung of the ladder fits a ${displayWidth}x${displayHeight} picture with both sides at least 32 pixels (MediaConvert's minimum); crop or pad the video before uploading`,
    );
  }
  return {
    plan,
    source: summarizeSource(verdict.profile),
    estimatedCost: estimateCost(plan, verdict.profile.durationSeconds, prices),
    ...reading,
  };
}

/** What the jobs-table record keeps of the plan: its basis, the source summary and the estimated cost. */
export function recordFieldsOf(planned: PlannedSource): PlanRecordFields {
  const cost = planned.estimatedCost;
  return {
    plan: planned.plan.basis,
    sourceProfile: planned.source,
    fallbackReason: planned.fallbackReason,
    estimatedCost: cost && { usd: Math.round(cost.usd * 10_000) / 10_000, tier: cost.tier, pricesAsOf: cost.pricesAsOf },
  };
}
