import { TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';

const IDENTITY_ID = 'CallerIdentity';

/** The account id of the stack's provider: one data source per stack, shared by every construct. */
export function accountIdOf(scope: IConstruct): string {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(IDENTITY_ID) as DataAwsCallerIdentity | undefined;
  return (existing ?? new DataAwsCallerIdentity(stack, IDENTITY_ID)).accountId;
}

const PARTITION_ID = 'Partition';

/** The AWS partition of the stack's provider (`aws`, `aws-cn`, `aws-us-gov`): one data source per stack. */
export function partitionOf(scope: IConstruct): string {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(PARTITION_ID) as DataAwsPartition | undefined;
  return (existing ?? new DataAwsPartition(stack, PARTITION_ID)).partition;
}
