import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
  UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { RecordWithAnalysis, refusedAnalysisRecord } from '../analysis/analysis-record';

/**
 * Sends one analysis write (analysis/analysis-record). A refused condition is an answer, with the
 * record that blocked it; throttling, 5xx and timeouts throw after the SDK's retries.
 */
export async function applyAnalysisWrite(
  client: DynamoDBClient,
  input: UpdateItemCommandInput,
): Promise<{ readonly applied: boolean; readonly record?: RecordWithAnalysis }> {
  try {
    await client.send(new UpdateItemCommand(input));
    return { applied: true };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const record = refusedAnalysisRecord(error.Item);
    return record === undefined ? { applied: false } : { applied: false, record };
  }
}

/** The record of an asset (job id and analysis only), read consistently; undefined when there is none. */
export async function readAnalysisRecord(client: DynamoDBClient, table: string, assetId: string): Promise<RecordWithAnalysis | undefined> {
  const { Item } = await client.send(
    new GetItemCommand({
      TableName: table,
      Key: marshall({ assetId }),
      ConsistentRead: true,
      ProjectionExpression: '#assetId, #jobId, #analysis',
      ExpressionAttributeNames: { '#assetId': 'assetId', '#jobId': 'jobId', '#analysis': 'analysis' },
    }),
  );
  return refusedAnalysisRecord(Item);
}
