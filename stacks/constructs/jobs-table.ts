import { Construct } from 'constructs';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';

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
 * One item per asset (`assetId`): the submit function claims it with a conditional put,
 * the job-events function records status, outputs and errors. On-demand, encrypted, PITR.
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
      attribute: [{ name: 'assetId', type: 'S' }],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true },
      deletionProtectionEnabled: deletionProtection,
    });
  }
}
