/**
 * One job state change → the record moved on, and a terminal state published exactly once
 * among concurrent duplicates: record, claim the publish, publish, mark notified. Each step's
 * outcome is decided by a pure function of jobs/job-record; this module only sequences them.
 */
import type { UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import type { PublishCommandInput } from '@aws-sdk/client-sns';
import type { TransitionResult } from '../../io/jobs-table';
import { ClaimContentionError } from '../../../contracts/errors';
import type { JobStateChange } from '../../jobs/job-event';
import {
  claimPublish,
  decideRefusedNotified,
  decideRefusedPublishClaim,
  markNotified,
  releasePublish,
  retakePublish,
} from '../../jobs/publish-claim';
import { decideRefusedJobState, recordJobState } from '../../jobs/job-state-record';
import { isTerminal } from '../../jobs/record-status';
import type { Logger } from '../../core/logger';
import { buildNotification, buildPublishInput, fitNotification, fitRecordOutputs } from '../../delivery/notification';
import { mapOutputsToUrls, pickOutputUrls, toDistributionUrl } from '../../delivery/outputs';
import { planStoryboard } from '../../delivery/storyboard';
import type { JobEventsConfig } from '../../../contracts/functions/job-events';

/** The calls a state change makes; the handler binds them to its clients and time budget. */
export interface NotifyPorts {
  transition(input: UpdateItemCommandInput, then: 'record' | 'return'): Promise<TransitionResult>;
  publish(input: PublishCommandInput): Promise<void>;
  /** Writes the storyboard WebVTT at `key` in the output bucket. */
  putStoryboard(key: string, body: string): Promise<void>;
  now(): Date;
}

/** What one event did; returned for tests and logs. */
export interface JobEventSummary {
  /**
   * `recorded`: a progress state; `notified`: a terminal state recorded and published;
   * `stale`: the record is at this state or past it (or already notified); `duplicate`: a
   * concurrent delivery of the same terminal state is publishing it; `foreign-job`: the upload's
   * record belongs to another job; `skipped`: not this pipeline's recordable event.
   */
  readonly outcome: 'skipped' | 'stale' | 'recorded' | 'notified' | 'duplicate' | 'foreign-job';
  readonly jobId?: string;
  readonly status?: string;
  readonly reason?: string;
}

const MAX_CLAIM_ROUNDS = 3;

/**
 * Records one state change and, for a terminal state, publishes it once. Throws so the event
 * is retried when a call fails (a failed publish releases its claim first, so the retry publishes).
 * @param publishClaimId this invocation's claim (jobs/job-record newClaimId)
 */
export async function recordAndNotify(
  change: JobStateChange,
  context: { readonly config: JobEventsConfig; readonly publishClaimId: string; readonly logger: Logger },
  ports: NotifyPorts,
): Promise<JobEventSummary> {
  const { config, publishClaimId, logger } = context;
  const summary = { jobId: change.jobId, status: change.status };
  const target = () => ({ table: config.table, assetId: change.assetId, now: ports.now() });
  const storyboard = change.status === 'COMPLETE' ? planStoryboard(change, config.outputBucket) : undefined;
  if (storyboard?.action === 'skip' && storyboard.reason !== 'no-trick-play')
    logger.warn('No storyboard for this job', { reason: storyboard.reason });
  const outputs = change.status === 'COMPLETE' ? mapOutputsToUrls(change.outputGroupDetails, config) : undefined;
  // The storyboard's URL is known before it is written: the record and the message list it, and it is written before the publish.
  const mapped =
    outputs !== undefined && storyboard?.action === 'write'
      ? { ...outputs, storyboard: toDistributionUrl(config.distributionDomain, storyboard.key) }
      : outputs;
  if (mapped !== undefined && mapped.skipped.length > 0) logger.warn('Output paths without a URL', { skipped: mapped.skipped });
  // Pure and never throws: whatever the message comes to, the record below is written first.
  // A full message and the record carry the same (SNS-sized) outputs; a minimal one points at the record.
  const notification = isTerminal(change.status)
    ? fitNotification(buildNotification(change, mapped, config), { recordTable: config.table })
    : undefined;
  const recordOutputs =
    notification?.detail === 'full' ? notification.outputs : mapped !== undefined ? fitRecordOutputs(pickOutputUrls(mapped)) : undefined;
  if (notification?.detail === 'minimal')
    logger.warn('Notification too large for SNS even without thumbnail URLs; publishing the minimal one');

  const recorded = await ports.transition(
    recordJobState({
      table: config.table,
      now: ports.now(),
      change,
      ...(recordOutputs ? { outputs: recordOutputs } : {}),
      ...(mapped?.durationMs !== undefined ? { durationMs: mapped.durationMs } : {}),
    }),
    'record',
  );
  if (!recorded.applied) {
    const decision = decideRefusedJobState(recorded.record, change);
    if (decision.action === 'foreign-job') {
      logger.error('Event of a second job of this upload: not recorded, not notified; cancel it if it is still running', {
        recordedJobId: decision.recordedJobId,
      });
      return { outcome: 'foreign-job', ...summary };
    }
    if (decision.action === 'stale') {
      logger.info('Stale or duplicate event; the record is at this state or a later one');
      return { outcome: 'stale', ...summary };
    }
  }
  if (notification === undefined) {
    logger.info('Recorded job state');
    return { outcome: 'recorded', ...summary };
  }

  // After the record (the outcome is never lost to a failed write), before the publish: a failed write
  // throws, the event is retried (the record refuses it as 'publish', not 'stale') and writes the same bytes.
  if (storyboard?.action === 'write') {
    await ports.putStoryboard(storyboard.key, storyboard.body);
    logger.info('Wrote the storyboard', { key: storyboard.key, cues: storyboard.cues });
  }

  const publisher = () => ({ ...target(), jobId: change.jobId, status: change.status, publishClaimId });
  let input = claimPublish(publisher());
  for (let round = 0; ; round += 1) {
    if (round === MAX_CLAIM_ROUNDS) throw new ClaimContentionError(change.assetId, MAX_CLAIM_ROUNDS);
    const claimed = await ports.transition(input, 'record');
    if (claimed.applied) break;
    const decision = decideRefusedPublishClaim(claimed.record, {
      ...publisher(),
      claimTtlMs: config.claimTtlSeconds * 1000,
    });
    if (decision.action === 'proceed') break;
    if (decision.action === 'in-flight') {
      logger.info('A concurrent delivery of this state is publishing it');
      return { outcome: 'duplicate', ...summary };
    }
    if (decision.action === 'notified' || decision.action === 'moved-on') {
      logger.info('Already notified, or the record moved on', { reason: decision.action });
      return { outcome: 'stale', ...summary };
    }
    input =
      decision.action === 'claim'
        ? claimPublish(publisher())
        : retakePublish({ ...publisher(), observedPublishClaimId: decision.observedPublishClaimId });
  }

  try {
    await ports.publish(buildPublishInput(config.topicArn, notification));
  } catch (error) {
    await ports.transition(releasePublish({ ...target(), publishClaimId }), 'return').catch((releaseError: unknown) => {
      logger.error('Could not release the publish claim; it goes stale and the retry retakes it', { error: releaseError });
    });
    throw error;
  }
  const marked = await ports.transition(markNotified({ ...target(), publishClaimId }), 'return');
  if (!marked.applied && decideRefusedNotified(marked.record, publishClaimId) === 'taken-over') {
    logger.warn('Another invocation took the publish over before it was marked notified; subscribers may get it twice');
  }
  logger.info('Recorded and notified');
  return { outcome: 'notified', ...summary };
}
