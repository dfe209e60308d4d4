/** The one builder of the jobs table's conditional writes (job-record's transitions). */
import type { UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';

/** A value computed by DynamoDB (`if_not_exists(...)`, `x + :one`) instead of a literal. */
export class Computed {
  constructor(readonly expression: string) {}
}

/** Builds one conditional UpdateItem: `#name` for every attribute, `:name` for every value. */
export function conditionalUpdate(args: {
  table: string;
  assetId: string;
  set: Record<string, unknown>;
  remove?: readonly string[];
  condition: string;
  values?: Record<string, unknown>;
}): UpdateItemCommandInput {
  const names = new Set<string>();
  const values: Record<string, unknown> = { ...args.values };
  const assignments = Object.entries(args.set)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => {
      names.add(name);
      if (value instanceof Computed) return `#${name} = ${value.expression}`;
      values[`:${name}`] = value;
      return `#${name} = :${name}`;
    });
  for (const name of args.remove ?? []) names.add(name);
  for (const name of args.condition.match(/#[A-Za-z]+/g) ?? []) names.add(name.slice(1));
  for (const assignment of assignments) for (const name of assignment.match(/#[A-Za-z]+/g) ?? []) names.add(name.slice(1));
  const removal = args.remove && args.remove.length > 0 ? ` REMOVE ${args.remove.map((name) => `#${name}`).join(', ')}` : '';
  return {
    TableName: args.table,
    Key: marshall({ assetId: args.assetId }),
    UpdateExpression: `SET ${assignments.join(', ')}${removal}`,
    ConditionExpression: args.condition,
    ExpressionAttributeNames: Object.fromEntries([...names].map((name) => [`#${name}`, name])),
    ExpressionAttributeValues: marshall(values, { removeUndefinedValues: true }),
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
}
