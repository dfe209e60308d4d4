import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { InvocationContext } from '../../io/budget';
import { readOpenRecords } from '../../io/jobs-table';
import { Logger } from '../../core/logger';
import { SweepThresholds, buildSweepMetrics, summarizeOpenRecords, sweepCutoff } from '../../jobs/open-records';
import { fromEnvironment } from '../../../contracts/functions/job-sweep';

const logger = new Logger('job-sweep');
// Read once at cold start: a missing variable fails the first invocation, naming it.
const settings = fromEnvironment(process.env);
const dynamodb = new DynamoDBClient({ maxAttempts: 5 });
const thresholds: SweepThresholds = {
  stuckSubmissionMs: settings.stuckSubmissionSeconds * 1000,
  overdueJobMs: settings.overdueJobMinutes * 60_000,
  unnotifiedOutcomeMs: settings.unnotifiedOutcomeSeconds * 1000,
};
/** Findings logged per run; the metrics count them all. */
const MAX_FINDINGS_LOGGED = 50;

/**
 * Scheduled sweep over the jobs table's open records: counts the ones past their threshold
 * as CloudWatch metrics (embedded metric format, one line per run, zeros included, so a
 * missing data point means the sweep did not run) and logs each with what to look at.
 */
export async function handler(_event: unknown, context?: InvocationContext): Promise<Record<string, number>> {
  logger.resetKeys();
  logger.appendKeys({ requestId: context?.awsRequestId });
  const now = new Date();
  const records = await readOpenRecords(dynamodb, settings.jobsTable, sweepCutoff(now, thresholds));
  const summary = summarizeOpenRecords(records, now, thresholds);
  for (const finding of summary.findings.slice(0, MAX_FINDINGS_LOGGED)) {
    logger.warn('Open record past its threshold; see docs/operating.md, Alarms', { ...finding });
  }
  logger.info('Swept open records', { examined: summary.examined, ...buildSweepMetrics(summary, settings.pipeline, now) });
  return { examined: summary.examined, ...summary.counts };
}
