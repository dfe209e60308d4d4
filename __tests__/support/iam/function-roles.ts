/**
 * The Lambda functions' role policies as the stack synthesizes them (aws_iam_policy_document
 * data sources), with their references resolved to the ARNs terraform would compute, so the IAM
 * simulator can evaluate the calls the handlers made against the real documents.
 */
import { PipelineConfigInput } from '../../../stacks/config';
import { synthPipeline } from '../pipeline';
import { PolicyDocument } from './ci-roles';

type Block = Record<string, unknown>;

interface DocumentStatement {
  readonly effect?: string;
  readonly actions: readonly string[];
  readonly resources?: readonly string[];
  readonly condition?: readonly { test: string; variable: string; values: readonly string[] }[];
}

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
    default:
      throw new Error(`no ARN rule for ${type}`);
  }
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
  const { template } = synthPipeline(config);
  const resources = template.json.resource as Record<string, Record<string, Block>>;
  const documents = (template.json.data as Record<string, Record<string, Block>>).aws_iam_policy_document!;
  const resolve = (value: string) =>
    value
      .replace(/\$\{replace\((aws_media_convert_queue\.\w+)\.arn, "\/:queues\/\.\*\$\/", ":jobs\/\*"\)\}/g, (_, ref: string) => {
        const [type, id] = ref.split('.') as [string, string];
        return arnOf(type, resources[type]![id]!, account, region).replace(/:queues\/.*$/, ':jobs/*');
      })
      .replace(/\$\{(aws_\w+)\.(\w+)\.arn\}/g, (_, type: string, id: string) => arnOf(type, resources[type]![id]!, account, region));
  const functions = resources.aws_lambda_function ?? {};
  const rolePolicies = resources.aws_iam_role_policy ?? {};
  const policies: Record<string, PolicyDocument> = {};
  for (const fn of Object.values(functions)) {
    const roleId = /\$\{aws_iam_role\.(\w+)\.arn\}/.exec(String(fn.role))![1]!;
    const attached = Object.values(rolePolicies).find((p) => String(p.role).includes(`aws_iam_role.${roleId}.`));
    const documentId = /\$\{data\.aws_iam_policy_document\.(\w+)\.json\}/.exec(String(attached?.policy))![1]!;
    const statements = (documents[documentId]!.statement as DocumentStatement[]).map((s) => ({
      Effect: s.effect ?? 'Allow',
      Action: [...s.actions],
      Resource: (s.resources ?? ['*']).map(resolve),
      ...(s.condition ? { Condition: Object.fromEntries(s.condition.map((c) => [c.test, { [c.variable]: c.values.map(resolve) }])) } : {}),
    }));
    policies[String(fn.function_name).slice(`${config.namePrefix ?? 'vod'}-${config.environment}-`.length)] = {
      Version: '2012-10-17',
      Statement: statements,
    };
  }
  return policies;
}
