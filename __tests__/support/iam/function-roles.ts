/**
 * The stack's IAM documents as it synthesizes them (aws_iam_policy_document data sources): role
 * policies and the KMS key policy, with their references resolved to the ARNs terraform would
 * compute, so the IAM simulator can evaluate calls against the real documents.
 */
import { PipelineConfigInput } from '../../../stacks/config';
import { synthPipeline } from '../pipeline';
import { PolicyDocument } from './ci-roles';

type Block = Record<string, unknown>;

interface DocumentStatement {
  readonly sid?: string;
  readonly effect?: string;
  readonly actions: readonly string[];
  readonly resources?: readonly string[];
  readonly principals?: readonly { type: string; identifiers: readonly string[] }[];
  readonly condition?: readonly { test: string; variable: string; values: readonly string[] }[];
}

/** The id terraform would give the environment's key, and the distribution's. */
export const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
export const DISTRIBUTION_ID = 'E2EXAMPLE0001';

/** The ARN terraform computes for a resource of the stack, from its name attributes. */
function arnOf(type: string, block: Block, account: string, region: string): string {
  const name = String(block.name ?? block.bucket ?? block.function_name ?? '').replace(
    /\$\{data\.aws_caller_identity\.\w+\.account_id\}/g,
    account,
  );
  switch (type) {
    case 'aws_dynamodb_table':
      return `arn:aws:dynamodb:${region}:${account}:table/${name}`;
    case 'aws_sns_topic':
      return `arn:aws:sns:${region}:${account}:${name}`;
    case 'aws_sqs_queue':
      return `arn:aws:sqs:${region}:${account}:${name}`;
    case 'aws_cloudwatch_log_group':
      return `arn:aws:logs:${region}:${account}:log-group:${name}`;
    case 'aws_media_convert_queue':
      return `arn:aws:mediaconvert:${region}:${account}:queues/${name}`;
    case 'aws_iam_role':
      return `arn:aws:iam::${account}:role/${name}`;
    case 'aws_s3_bucket':
      return `arn:aws:s3:::${name}`;
    case 'aws_kms_key':
      return `arn:aws:kms:${region}:${account}:key/${KEY_ID}`;
    case 'aws_cloudfront_distribution':
      return `arn:aws:cloudfront::${account}:distribution/${DISTRIBUTION_ID}`;
    case 'aws_cloudwatch_event_rule':
      return `arn:aws:events:${region}:${account}:rule/${name}`;
    default:
      throw new Error(`no ARN rule for ${type}`);
  }
}

/** The resolved documents of a pipeline synthesized from `config`. */
export interface StackPolicies {
  /** Each role's inline policy, by role name (`vod-test-submit-job`, `vod-test-mediaconvert`…). */
  readonly roles: Record<string, PolicyDocument>;
  /** The environment key's policy; undefined without `encryption.kmsKey: 'customer'`. */
  readonly keyPolicy?: PolicyDocument;
  /** ARN of a resource of the stack, by type and a part of its construct id. */
  arn(type: string, idPart: string): string;
}

/** Synthesizes `config` and resolves its role policies and key policy. */
export function stackPolicies(config: PipelineConfigInput, account = '123456789012', region = 'us-east-1'): StackPolicies {
  const { template } = synthPipeline(config);
  const resources = template.json.resource as Record<string, Record<string, Block>>;
  const documents = (template.json.data as Record<string, Record<string, Block>>).aws_iam_policy_document!;
  const resolve = (value: string) =>
    value
      .replace(/\$\{replace\((aws_media_convert_queue\.\w+)\.arn, "\/:queues\/\.\*\$\/", ":jobs\/\*"\)\}/g, (_, ref: string) => {
        const [type, id] = ref.split('.') as [string, string];
        return arnOf(type, resources[type]![id]!, account, region).replace(/:queues\/.*$/, ':jobs/*');
      })
      .replace(/\$\{(aws_\w+)\.(\w+)\.arn\}/g, (_, type: string, id: string) => arnOf(type, resources[type]![id]!, account, region))
      .replace(/\$\{data\.aws_caller_identity\.\w+\.account_id\}/g, account)
      .replace(/\$\{data\.aws_partition\.\w+\.partition\}/g, 'aws');
  const documentOf = (reference: unknown): PolicyDocument => {
    const documentId = /\$\{data\.aws_iam_policy_document\.(\w+)\.json\}/.exec(String(reference))![1]!;
    const statements = (documents[documentId]!.statement as DocumentStatement[]).map((s) => {
      // Several conditions may share a test (StringEquals on two keys): one block per test, its keys merged.
      const condition: Record<string, Record<string, string[]>> = {};
      for (const c of s.condition ?? []) condition[c.test] = { ...condition[c.test], [c.variable]: c.values.map(resolve) };
      const principal: Record<string, string[]> = {};
      for (const p of s.principals ?? []) principal[p.type] = [...(principal[p.type] ?? []), ...p.identifiers.map(resolve)];
      return {
        ...(s.sid ? { Sid: s.sid } : {}),
        Effect: s.effect ?? 'Allow',
        ...(s.principals ? { Principal: principal } : {}),
        Action: [...s.actions],
        Resource: (s.resources ?? ['*']).map(resolve),
        ...(s.condition ? { Condition: condition } : {}),
      };
    });
    return { Version: '2012-10-17', Statement: statements };
  };

  const roles: Record<string, PolicyDocument> = {};
  const roleBlocks = resources.aws_iam_role ?? {};
  for (const policy of Object.values(resources.aws_iam_role_policy ?? {})) {
    const roleId = /\$\{aws_iam_role\.(\w+)\.id\}/.exec(String(policy.role))![1]!;
    roles[String(roleBlocks[roleId]!.name)] = documentOf(policy.policy);
  }
  const [key] = Object.values(resources.aws_kms_key ?? {}).filter((k) => String(k.policy).includes('EncryptionKey'));
  return {
    roles,
    ...(key ? { keyPolicy: documentOf(key.policy) } : {}),
    arn: (type, idPart) => {
      const entry = Object.entries(resources[type] ?? {}).find(([id]) => id.includes(idPart));
      if (!entry) throw new Error(`no ${type} whose id contains ${idPart}`);
      return arnOf(type, entry[1], account, region);
    },
  };
}

/**
 * Each function's role policy (keyed by function name without the pipeline prefix: `submit-job`,
 * `job-events`, `job-sweep`…) of a pipeline synthesized from `config`.
 */
export function functionRolePolicies(
  config: PipelineConfigInput,
  account = '123456789012',
  region = 'us-east-1',
): Record<string, PolicyDocument> {
  const prefix = `${config.namePrefix ?? 'vod'}-${config.environment}-`;
  const { roles } = stackPolicies(config, account, region);
  const functionRoles = ['submit-job', 'job-events', 'job-sweep', 'content-analysis'];
  return Object.fromEntries(
    Object.entries(roles)
      .filter(([name]) => functionRoles.includes(name.slice(prefix.length)))
      .map(([name, policy]) => [name.slice(prefix.length), policy]),
  );
}
