import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  QueryCommand,
  QueryCommandOutput,
  UpdateItemCommand,
  UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { OPEN_RECORDS_INDEX } from '../../contracts/jobs-table';
import { JobRecord, refusedRecord } from '../jobs/job-record';

/** What a transition did: applied, or refused by the record it returns (ALL_OLD). */
export type TransitionResult = { readonly applied: true } | { readonly applied: false; readonly record?: JobRecord };

/**
 * Sends one jobs-table transition (a conditional UpdateItem from jobs/job-record). A refused
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

/** Every open record (OPEN_RECORDS_INDEX) opened before `openedBefore` (epoch ms), all pages. */
export async function readOpenRecords(client: DynamoDBClient, table: string, openedBefore: number): Promise<JobRecord[]> {
  const records: JobRecord[] = [];
  let start: QueryCommandOutput['LastEvaluatedKey'];
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: table,
        IndexName: OPEN_RECORDS_INDEX.name,
        KeyConditionExpression: '#shard = :open AND #since < :before',
        ExpressionAttributeNames: { '#shard': OPEN_RECORDS_INDEX.partitionKey, '#since': OPEN_RECORDS_INDEX.sortKey },
        ExpressionAttributeValues: marshall({ ':open': OPEN_RECORDS_INDEX.partition, ':before': openedBefore }),
        ExclusiveStartKey: start,
      }),
    );
    records.push(...(page.Items ?? []).map((item) => unmarshall(item) as JobRecord));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return records;
}
