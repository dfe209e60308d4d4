/**
 * The CI roles' policies of examples/ci-roles, rendered from the same template files the .tf
 * loads with templatefile(), so the simulator evaluates the bytes terraform would apply. The
 * renderer knows only `${name}` and `${jsonencode(name)}`; a test checks the templates use
 * nothing else, and the examples tier compares it with terraform's own rendering.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../../stacks/lib/project-paths';

export const POLICY_DIR = path.join(PROJECT_ROOT, 'examples', 'ci-roles', 'policies');
export const TEMPLATES = readdirSync(POLICY_DIR).filter((f) => f.endsWith('.json.tftpl'));

/** An IAM policy document. */
export interface PolicyDocument {
  readonly Version: string;
  readonly Statement: readonly Record<string, unknown>[];
}

export type TemplateValue = string | number | readonly string[];

/** Every `${...}` of a template, e.g. `state_bucket` or `jsonencode(subjects)`. */
export function templateExpressions(text: string): string[] {
  return [...text.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]!);
}

/** templatefile() for the two expression forms the templates use. */
export function renderTemplate(file: string, vars: Readonly<Record<string, TemplateValue>>): string {
  const text = readFileSync(path.join(POLICY_DIR, file), 'utf8');
  return text.replace(/\$\{([^}]*)\}/g, (_, expression: string) => {
    const encoded = /^jsonencode\((\w+)\)$/.exec(expression);
    const name = encoded ? encoded[1]! : expression;
    const value = vars[name];
    if (value === undefined) throw new Error(`${file}: no value for \${${expression}}`);
    return encoded ? JSON.stringify(value) : String(value);
  });
}

/** The example's inputs, as a test account would set them. */
export interface CiRolesInputs {
  readonly account: string;
  readonly namePrefix: string;
  readonly stateBucket: string;
  readonly stateKeyPrefix: string;
}

export const DEFAULT_INPUTS: CiRolesInputs = {
  account: '123456789012',
  namePrefix: 'vod',
  stateBucket: 'e2e-terraform-state',
  stateKeyPrefix: 'vod-pipeline',
};

/** The tag key the stack puts on every resource; main.tf's `pipeline_tag_key`. */
export { PIPELINE_TAG_KEY } from '../../../stacks/lib/terraform-settings';
import { PIPELINE_TAG_KEY } from '../../../stacks/lib/terraform-settings';

const common = (inputs: CiRolesInputs) => ({
  account: inputs.account,
  name_prefix: inputs.namePrefix,
  state_bucket: inputs.stateBucket,
  state_key_prefix: inputs.stateKeyPrefix,
  tag_key: PIPELINE_TAG_KEY,
});

/** ARN of an environment's boundary policy (aws_iam_policy.boundary). */
export const boundaryArn = (environment: string, inputs: CiRolesInputs = DEFAULT_INPUTS) =>
  `arn:aws:iam::${inputs.account}:policy/${inputs.namePrefix}-pipeline-boundary-${environment}`;

const parse = (text: string) => JSON.parse(text) as PolicyDocument;

/** The plan role's policy. */
export function planPolicy(inputs: CiRolesInputs = DEFAULT_INPUTS): PolicyDocument {
  return parse(renderTemplate('plan.json.tftpl', common(inputs)));
}

/** An environment's boundary. */
export function boundaryPolicy(environment: string, inputs: CiRolesInputs = DEFAULT_INPUTS): PolicyDocument {
  return parse(renderTemplate('boundary.json.tftpl', { ...common(inputs), pipeline: `${inputs.namePrefix}-${environment}` }));
}

/**
 * An environment's deploy role policies as one document: the inline policy, the attached
 * deploy-keys-logs managed policy, and with `protectData` the statements of protected_environments.
 */
export function deployPolicy(environment: string, protectData: boolean, inputs: CiRolesInputs = DEFAULT_INPUTS): PolicyDocument {
  const base = parse(
    renderTemplate('deploy.json.tftpl', {
      ...common(inputs),
      pipeline: `${inputs.namePrefix}-${environment}`,
      boundary_arn: boundaryArn(environment, inputs),
    }),
  );
  // The managed policy main.tf attaches next to the inline one (the customer key and log delivery).
  const keysAndLogs = parse(
    renderTemplate('deploy-keys-logs.json.tftpl', { ...common(inputs), pipeline: `${inputs.namePrefix}-${environment}` }),
  );
  const protect = protectData ? parse(readFileSync(path.join(POLICY_DIR, 'deploy-protect-data.json.tftpl'), 'utf8')).Statement : [];
  return { Version: '2012-10-17', Statement: [...base.Statement, ...keysAndLogs.Statement, ...protect] };
}
