import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { OPEN_RECORDS_INDEX } from '../../../contracts/jobs-table';
import type { JobRecord } from '../../../lambda-src/jobs/job-record';

/**
 * Creates a jobs table in the emulator shaped like the JobsTable construct's: key `assetId`,
 * on demand, and the sparse open-records index.
 */
export async function createJobsTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'assetId', KeyType: 'HASH' }],
      AttributeDefinitions: [
        { AttributeName: 'assetId', AttributeType: 'S' },
        { AttributeName: OPEN_RECORDS_INDEX.partitionKey, AttributeType: 'S' },
        { AttributeName: OPEN_RECORDS_INDEX.sortKey, AttributeType: 'N' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: OPEN_RECORDS_INDEX.name,
          KeySchema: [
            { AttributeName: OPEN_RECORDS_INDEX.partitionKey, KeyType: 'HASH' },
            { AttributeName: OPEN_RECORDS_INDEX.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...OPEN_RECORDS_INDEX.projectedAttributes] },
        },
      ],
    }),
  );
}

/** One record as stored, or undefined. */
export async function readRecord(client: DynamoDBClient, tableName: string, assetId: string): Promise<JobRecord | undefined> {
  const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: marshall({ assetId }), ConsistentRead: true }));
  return Item === undefined ? undefined : (unmarshall(Item) as JobRecord);
}

/** Stores a record as it is, unconditionally: the "current record" of a test. */
export async function writeRecord(client: DynamoDBClient, tableName: string, record: JobRecord): Promise<void> {
  await client.send(new PutItemCommand({ TableName: tableName, Item: marshall(record, { removeUndefinedValues: true }) }));
}
