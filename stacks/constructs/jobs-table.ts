import { Construct } from 'constructs';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { OPEN_RECORDS_INDEX } from '../../contracts/jobs-table';
import { PolicyStatement } from '../lib/policy';
import { EncryptionKey } from './encryption-key';

export interface JobsTableProps {
  /** Table name. */
  readonly tableName: string;
  /**
   * Refuse `terraform destroy` of the table (it is the record of every job).
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * A customer-managed key for the table (and its index and backups).
   * @default - the AWS owned key of DynamoDB
   */
  readonly encryptionKey?: EncryptionKey;
}

/**
 * One item per asset (`assetId`), changed only through the transitions of lambda-src/jobs/job-record:
 * the submit function claims it and records the job, the job-events function records status,
 * outputs and errors and the one notification. On-demand, encrypted, PITR. A sparse index of
 * the records still open (no outcome or no notification yet) lets the sweep find stuck ones
 * without scanning the table.
 */
export class JobsTable extends Construct {
  readonly table: DynamodbTable;
  /** The table's customer-managed key, if any: a role that reads or writes items also needs kms:Decrypt through DynamoDB. */
  readonly encryptionKey?: EncryptionKey;

  constructor(scope: Construct, id: string, props: JobsTableProps) {
    super(scope, id);
    const deletionProtection = props.deletionProtection ?? true;
    this.encryptionKey = props.encryptionKey;
    this.table = new DynamodbTable(this, 'Table', {
      name: props.tableName,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: 'assetId',
      attribute: [
        { name: 'assetId', type: 'S' },
        { name: OPEN_RECORDS_INDEX.partitionKey, type: 'S' },
        { name: OPEN_RECORDS_INDEX.sortKey, type: 'N' },
      ],
      globalSecondaryIndex: [
        {
          name: OPEN_RECORDS_INDEX.name,
          hashKey: OPEN_RECORDS_INDEX.partitionKey,
          rangeKey: OPEN_RECORDS_INDEX.sortKey,
          projectionType: 'INCLUDE',
          nonKeyAttributes: [...OPEN_RECORDS_INDEX.projectedAttributes],
        },
      ],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, ...(props.encryptionKey ? { kmsKeyArn: props.encryptionKey.arn } : {}) },
      deletionProtectionEnabled: deletionProtection,
    });
  }

  /** The KMS statement a role that reads or writes items needs (none without a customer key). */
  keyStatements(): PolicyStatement[] {
    // DynamoDB decrypts the table key with the caller's permission on every item read or write.
    return this.encryptionKey ? [this.encryptionKey.statement('UseTableKeyThroughDynamoDB', 'dynamodb', ['kms:Decrypt'])] : [];
  }
}
