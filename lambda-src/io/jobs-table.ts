import { ConditionalCheckFailedException, DynamoDBClient, UpdateItemCommand, UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { JobRecord, refusedRecord } from '../lib/job-record';

/** What a transition did: applied, or refused by the record it returns (ALL_OLD). */
export type TransitionResult = { readonly applied: true } | { readonly applied: false; readonly record?: JobRecord };

/**
 * Sends one jobs-table transition (a conditional UpdateItem from lib/job-record). A refused
 * condition is an answer, not an error; throttling, 5xx and timeouts still throw after the
 * SDK's retries.
 */
export async function applyTransition(
  client: DynamoDBClient,
  input: UpdateItemCommandInput,
  abortSignal: AbortSignal,
): Promise<TransitionResult> {
  try {
    await client.send(new UpdateItemCommand(input), { abortSignal });
    return { applied: true };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const record = refusedRecord(error.Item);
    return record === undefined ? { applied: false } : { applied: false, record };
  }
}
