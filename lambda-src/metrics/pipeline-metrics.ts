/**
 * The data points of the pipeline's metrics (catalog: contracts/metrics.ts), computed purely:
 * a handler's outcome in, the data points out.
 */
import { billedOutputsOf, estimateCompletedJobCost, resolutionClass } from '../cost/cost';
import { BillingTier } from '../../contracts/job-metadata';
import type { JobStateChange } from '../jobs/job-event';
import type { PriceTable } from '../../contracts/pricing';
import type { MetricDatum, SkipReason } from '../../contracts/metrics';
import type { SourceSummary } from '../encoding/source-profile';

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** What the submit function did with one S3 record. */
export type SubmissionOutcome =
  | { readonly outcome: 'submitted'; readonly source?: SourceSummary }
  | { readonly outcome: 'duplicate' | 'failed' }
  | { readonly outcome: 'skipped'; readonly reason: SkipReason };

/**
 * The data points of one S3 record: JobsSubmitted with the source's minutes (total and by
 * resolution class, when the probe gave a summary), JobsFailed, or JobsSkipped by reason.
 * A duplicate delivery counts nothing: its upload was counted once already.
 */
export function submissionMetrics(record: SubmissionOutcome, prices: PriceTable): MetricDatum[] {
  switch (record.outcome) {
    case 'submitted': {
      if (record.source === undefined) return [{ name: 'JobsSubmitted', value: 1 }];
      const minutes = round(record.source.durationMs / 60_000, 4);
      const cls = resolutionClass(record.source.width, record.source.height, prices);
      return [
        { name: 'JobsSubmitted', value: 1 },
        { name: 'SourceMinutes', value: minutes },
        { name: 'SourceMinutes', value: minutes, dimensions: { ResolutionClass: cls } },
      ];
    }
    case 'failed':
      return [{ name: 'JobsFailed', value: 1 }];
    case 'skipped':
      return [{ name: 'JobsSkipped', value: 1, dimensions: { Reason: record.reason } }];
    default:
      return [];
  }
}

/** The job-events function's outcomes that count: a recorded progress state, a notified terminal state. */
export type JobEventOutcome = 'recorded' | 'notified' | 'stale' | 'duplicate' | 'foreign-job' | 'skipped';

const TERMINAL_COUNTS = { COMPLETE: 'JobsCompleted', ERROR: 'JobsErrored', CANCELED: 'JobsCanceled' } as const;

/** Seconds from submission to `timestamp`; undefined without a submission time or when the clocks disagree. */
function secondsSince(submittedAt: number | undefined, timestamp: number): number | undefined {
  if (submittedAt === undefined || timestamp < submittedAt) return undefined;
  return round((timestamp - submittedAt) / 1000, 3);
}

/**
 * The data points of one job state change, counted only where it took effect, so a duplicate
 * or stale delivery counts nothing:
 *
 * | outcome               | data points                                                              |
 * |-----------------------|--------------------------------------------------------------------------|
 * | PROGRESSING recorded  | QueueWaitSeconds (with a submission time)                                |
 * | terminal, notified    | JobsCompleted/JobsErrored/JobsCanceled, ProcessingSeconds (with a submission time) |
 * | COMPLETE, notified    | also OutputMinutes and EstimatedCostUSD from the reported outputs        |
 * | anything else         | none                                                                     |
 *
 * A job without a `billingTier` (submitted before it was carried) is priced at the Basic rate.
 */
export function jobStateMetrics(change: JobStateChange, outcome: JobEventOutcome, prices: PriceTable): MetricDatum[] {
  if (change.status === 'PROGRESSING') {
    const wait = outcome === 'recorded' ? secondsSince(change.submittedAt, change.timestamp) : undefined;
    return wait === undefined ? [] : [{ name: 'QueueWaitSeconds', value: wait }];
  }
  if (outcome !== 'notified') return [];
  const data: MetricDatum[] = [{ name: TERMINAL_COUNTS[change.status], value: 1 }];
  const processing = secondsSince(change.submittedAt, change.timestamp);
  if (processing !== undefined) data.push({ name: 'ProcessingSeconds', value: processing });
  if (change.status === 'COMPLETE') {
    const tier: BillingTier = change.billingTier ?? 'BASIC';
    const cost = estimateCompletedJobCost(billedOutputsOf(change.outputGroupDetails), { tier, fps: change.sourceProfile?.fps }, prices);
    data.push({ name: 'OutputMinutes', value: round(cost.outputMinutes, 4) }, { name: 'EstimatedCostUSD', value: round(cost.usd, 6) });
  }
  return data;
}

/** What the content-analysis function did. */
export type AnalysisOutcome = 'started' | 'completed' | 'failed' | 'skipped' | 'duplicate';

/** One count per analysis that started, completed or failed; skips and duplicates count nothing. */
export function analysisMetrics(outcome: AnalysisOutcome): MetricDatum[] {
  const names = { started: 'AnalysesStarted', completed: 'AnalysesCompleted', failed: 'AnalysesFailed' } as const;
  return outcome in names ? [{ name: names[outcome as keyof typeof names], value: 1 }] : [];
}
