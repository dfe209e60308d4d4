/**
 * One upload → at most one MediaConvert job, under every fault: claim the record, look for a
 * job an earlier attempt created, create one only if none exists, record it. Each step's
 * outcome is decided by a pure function of jobs/job-record; this module only sequences them.
 */
import type { CreateJobRequest } from '@aws-sdk/client-mediaconvert';
import type { UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { isPermanentError } from '../../core/aws-errors';
import { ClaimContentionError, RecordConflictError } from '../../../contracts/errors';
import {
  claimUpload,
  decideRefusedClaim,
  decideRefusedHolderWrite,
  recordFailed,
  recordSubmitted,
  releaseRetryable,
  retakeClaim,
} from '../../jobs/submission-claim';
import { buildCreateJobRequest, describeJob } from '../../encoding/job-settings';
import type { Logger } from '../../core/logger';
import type { UploadedObject } from '../../jobs/s3-event';
import type { TransitionResult } from '../../io/jobs-table';
import type { SourceSummary } from '../../encoding/source-profile';
import type { SubmitSettings } from '../../../contracts/functions/submit-job';
import { NotMediaError, PlannedSource, recordFieldsOf } from './probe-source';
import { UploadLimitError, checkPlannedSource, checkSourceSize } from '../../jobs/upload-limits';
import { buildUploadFailedNotification, buildUploadFailedPublishInput } from '../../delivery/upload-failure';
import type { PublishCommandInput } from '@aws-sdk/client-sns';

/** The calls a submission makes; the handler binds them to its clients and time budget. */
export interface SubmissionPorts {
  /** A jobs-table transition; `then` says whether an outcome must still be recorded after it. */
  transition(input: UpdateItemCommandInput, then: 'record' | 'return'): Promise<TransitionResult>;
  /** The job an earlier attempt created for the upload: by id when known, else by SearchJobs. */
  findJob(lookup: { readonly jobId?: string; readonly source: string; readonly assetId: string }): Promise<string | undefined>;
  /** Probe the upload and plan its job (probe-source.ts); rejects with NotMediaError for a file that is not a video. */
  planSource(upload: UploadedObject): Promise<PlannedSource>;
  /** CreateJob; resolves to the new (or, within the token window, the original) job id. */
  createJob(request: CreateJobRequest): Promise<string>;
  /** Publish on the job notifications topic (an upload that ends FAILED before any job). */
  publish(input: PublishCommandInput): Promise<void>;
  now(): Date;
}

export type SubmitOutcome = 'submitted' | 'duplicate' | 'failed';

/** What a submission did, and the source it probed when this attempt created the job (for its metrics). */
export interface SubmitResult {
  readonly outcome: SubmitOutcome;
  readonly source?: SourceSummary;
}

/** Claim rounds before giving up: each refused round means another invocation moved the record. */
const MAX_CLAIM_ROUNDS = 3;

type Claim =
  | { readonly action: 'claimed'; readonly lookup: boolean; readonly jobId?: string }
  | { readonly action: 'duplicate'; readonly reason: string };

function failureOf(error: unknown): { name: string; message: string } {
  return { name: error instanceof Error ? error.name : 'Error', message: error instanceof Error ? error.message : String(error) };
}

/**
 * Submits one upload. Returns its outcome, or throws so Lambda retries the event (the claim is
 * then RETRYABLE, or SUBMITTING until it goes stale, and the retry finds any job before creating one).
 * @param claimId this invocation's claim on this upload (jobs/job-record newClaimId)
 */
export async function submitUpload(
  upload: UploadedObject,
  context: { readonly settings: SubmitSettings; readonly claimId: string; readonly logger: Logger },
  ports: SubmissionPorts,
): Promise<SubmitResult> {
  const { settings, claimId, logger } = context;
  const { assetId, source, clientRequestToken } = describeJob(upload);
  const holder = () => ({ table: settings.jobsTable, assetId, claimId, now: ports.now() });
  const fields = { key: upload.key, assetId };

  async function claim(): Promise<Claim> {
    const fresh = () => claimUpload({ ...holder(), source, pipeline: settings.pipeline, clientRequestToken });
    let input = fresh();
    let lookup = false;
    let jobId: string | undefined;
    for (let round = 0; round < MAX_CLAIM_ROUNDS; round += 1) {
      const result = await ports.transition(input, 'record');
      if (result.applied) return { action: 'claimed', lookup, ...(jobId !== undefined ? { jobId } : {}) };
      const decision = decideRefusedClaim(result.record, { claimId, now: ports.now(), claimTtlMs: settings.claimTtlSeconds * 1000 });
      if (decision.action === 'duplicate') return decision;
      if (decision.action === 'proceed') return { action: 'claimed', lookup: true, ...(jobId !== undefined ? { jobId } : {}) };
      if (decision.action === 'claim') {
        input = fresh();
      } else {
        logger.info('Retaking the claim; looking for a job before creating one', { ...fields, reason: decision.reason });
        input = retakeClaim({ ...holder(), observed: decision.observed });
        lookup = true;
        jobId = decision.jobId;
      }
    }
    throw new ClaimContentionError(assetId, MAX_CLAIM_ROUNDS);
  }

  /** Releases the claim after a transient failure, then rethrows for Lambda's retry, unless the job's events recorded a job meanwhile. */
  async function releaseAndRethrow(error: unknown, jobId?: string): Promise<SubmitResult> {
    let result: TransitionResult;
    try {
      result = await ports.transition(releaseRetryable({ ...holder(), error: failureOf(error), ...(jobId ? { jobId } : {}) }), 'return');
    } catch (releaseError) {
      logger.error('Could not release the claim; it goes stale and the next attempt retakes it', { ...fields, error: releaseError });
      throw error;
    }
    if (!result.applied) {
      const decision = decideRefusedHolderWrite(result.record, { claimId }, { status: 'RETRYABLE', ...(jobId ? { jobId } : {}) });
      if (decision.action === 'job-recorded') {
        logger.info('The job was recorded by its first state change', { ...fields, jobId: decision.jobId });
        return { outcome: 'submitted' };
      }
    }
    throw error;
  }

  const claimed = await claim();
  if (claimed.action === 'duplicate') {
    logger.info('Duplicate delivery; the upload is already handled', { ...fields, reason: claimed.reason });
    return { outcome: 'duplicate' };
  }

  let jobId: string | undefined;
  try {
    jobId = claimed.lookup ? await ports.findJob({ source, assetId, ...(claimed.jobId ? { jobId: claimed.jobId } : {}) }) : undefined;
  } catch (error) {
    logger.error('Could not look for an earlier job; not creating one blind', { ...fields, error });
    return releaseAndRethrow(error);
  }
  let planned: PlannedSource | undefined;
  if (jobId !== undefined) {
    logger.info('Found the job an earlier attempt created', { ...fields, jobId });
  } else {
    try {
      // Over the size limit: refused before any Probe.
      const tooLarge = checkSourceSize(upload, settings.limits);
      if (tooLarge) throw tooLarge;
      // Probe, summarize, plan: the job is built from what the upload is (probe-source.ts).
      planned = await ports.planSource(upload);
      const overLimit = checkPlannedSource(
        upload.key,
        {
          ...(planned.source ? { durationSeconds: planned.source.durationMs / 1000 } : {}),
          ...(planned.estimatedCost ? { estimatedCostUsd: planned.estimatedCost.usd } : {}),
        },
        settings.limits,
      );
      if (overLimit) throw overLimit;
      jobId = await ports.createJob(buildCreateJobRequest(upload, settings, planned.plan, planned.source, ports.now()));
    } catch (error) {
      if (!isPermanentError(error) && !(error instanceof NotMediaError) && !(error instanceof UploadLimitError)) {
        logger.error('Probe or CreateJob failed; the claim is released for the retry', { ...fields, error });
        return releaseAndRethrow(error);
      }
      const result = await ports.transition(recordFailed({ ...holder(), error: failureOf(error) }), 'return');
      if (!result.applied && decideRefusedHolderWrite(result.record, { claimId }, { status: 'FAILED' }).action !== 'applied') {
        throw new RecordConflictError(assetId, 'FAILED', result.record?.status, { cause: error });
      }
      logger.error('No job for this upload; recorded as FAILED, not retried', { ...fields, error });
      // Recorded first: a failed announcement is logged, the outcome stands in the record.
      const notification = buildUploadFailedNotification({
        pipeline: settings.pipeline,
        assetId,
        source,
        error: failureOf(error),
        now: ports.now(),
      });
      await ports.publish(buildUploadFailedPublishInput(settings.topicArn, notification)).catch((publishError: unknown) => {
        logger.error('Could not announce the FAILED upload; the record holds it', { ...fields, error: publishError });
      });
      return { outcome: 'failed' };
    }
  }

  let recorded: TransitionResult;
  try {
    recorded = await ports.transition(
      recordSubmitted({ ...holder(), jobId, ...(planned ? { plan: recordFieldsOf(planned) } : {}) }),
      'return',
    );
  } catch (error) {
    logger.error('Could not record the job; the next attempt finds it', { ...fields, jobId, error });
    return releaseAndRethrow(error, jobId);
  }
  if (!recorded.applied) {
    const decision = decideRefusedHolderWrite(recorded.record, { claimId }, { status: 'SUBMITTED', jobId });
    if (decision.action === 'job-recorded' && !decision.sameJob) {
      logger.error('The upload has a second job; the recorded one is kept', { ...fields, jobId, recordedJobId: decision.jobId });
    } else if (decision.action === 'superseded') {
      logger.warn('Another attempt took the claim over; it finds this job before creating one', { ...fields, jobId });
    } else if (decision.action === 'conflict') {
      throw new RecordConflictError(assetId, 'SUBMITTED', recorded.record?.status);
    }
  }
  logger.info('Submitted MediaConvert job', {
    ...fields,
    jobId,
    ...(planned
      ? {
          plan: planned.plan.basis,
          fallbackReason: planned.fallbackReason,
          audio: planned.plan.audioSource?.layout,
          accelerationNote: planned.plan.accelerationNote,
        }
      : {}),
  });
  return { outcome: 'submitted', ...(planned?.source ? { source: planned.source } : {}) };
}
