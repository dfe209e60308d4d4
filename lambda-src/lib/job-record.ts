import type { PutItemCommandInput, UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';

/**
 * Jobs-table statuses. SUBMITTING is a claim held while CreateJob runs; RETRYABLE
 * releases it after a transient failure so the retry can claim again.
 */
export type RecordStatus = 'SUBMITTING' | 'RETRYABLE' | 'SUBMITTED' | 'FAILED' | 'PROGRESSING' | 'COMPLETE' | 'ERROR' | 'CANCELED';

/**
 * The conditional put that claims an upload: it succeeds for a new asset, for a released
 * claim, or for a claim older than `claimTtlSeconds` (its invocation timed out). A
 * duplicate delivery fails the condition and creates no second job.
 */
export function buildClaimRequest(args: {
  table: string;
  assetId: string;
  source: string;
  pipeline: string;
  clientRequestToken: string;
  now: Date;
  claimTtlSeconds: number;
}): PutItemCommandInput {
  return {
    TableName: args.table,
    Item: marshall({
      assetId: args.assetId,
      status: 'SUBMITTING' satisfies RecordStatus,
      source: args.source,
      pipeline: args.pipeline,
      clientRequestToken: args.clientRequestToken,
      claimedAt: args.now.getTime(),
      updatedAt: args.now.toISOString(),
    }),
    ConditionExpression: 'attribute_not_exists(assetId) OR #status = :retryable OR (#status = :submitting AND claimedAt < :staleBefore)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: marshall({
      ':retryable': 'RETRYABLE',
      ':submitting': 'SUBMITTING',
      ':staleBefore': args.now.getTime() - args.claimTtlSeconds * 1000,
    }),
  };
}

/**
 * Sets fields of one asset's record. `expectedStatus` guards a transition (e.g. only a
 * SUBMITTING claim may become SUBMITTED), so late writers cannot undo newer states.
 */
export function buildRecordUpdate(args: {
  table: string;
  assetId: string;
  fields: Record<string, unknown>;
  expectedStatus?: RecordStatus;
}): UpdateItemCommandInput {
  const entries = Object.entries(args.fields).filter(([, v]) => v !== undefined);
  const names = Object.fromEntries(entries.map(([k], i) => [`#f${i}`, k]));
  const values = Object.fromEntries(entries.map(([, v], i) => [`:f${i}`, v]));
  return {
    TableName: args.table,
    Key: marshall({ assetId: args.assetId }),
    UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :f${i}`).join(', ')}`,
    ...(args.expectedStatus ? { ConditionExpression: '#guard = :guard' } : {}),
    ExpressionAttributeNames: { ...names, ...(args.expectedStatus ? { '#guard': 'status' } : {}) },
    ExpressionAttributeValues: marshall(
      { ...values, ...(args.expectedStatus ? { ':guard': args.expectedStatus } : {}) },
      { removeUndefinedValues: true },
    ),
  };
}
