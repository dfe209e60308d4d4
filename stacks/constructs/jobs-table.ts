import { Construct } from 'constructs';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { OPEN_RECORDS_INDEX } from '../../contracts/jobs-table';

export interface JobsTableProps {
  /** Table name. */
  readonly tableName: string;
  /**
   * Refuse `terraform destroy` of the table (it is the record of every job).
   * @default true
   */
  readonly deletionProtection?: boolean;
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

  constructor(scope: Construct, id: string, props: JobsTableProps) {
    super(scope, id);
    const deletionProtection = props.deletionProtection ?? true;
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
      serverSideEncryption: { enabled: true },
      deletionProtectionEnabled: deletionProtection,
    });
  }
}
