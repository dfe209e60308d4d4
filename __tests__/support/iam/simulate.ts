/**
 * Evaluates one request against a role's policies with @cloud-copilot/iam-simulate (AGPL-3.0,
 * a devDependency used only here: nothing of it ships in the package).
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { PolicyDocument } from './ci-roles';

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/** One API call as IAM sees it. */
export interface IamRequest {
  /** `s3:CreateBucket` */
  readonly action: string;
  /** The resource ARN, or `*` for calls without one. */
  readonly resource: string;
  /** Condition keys of the request (`iam:PermissionsBoundary`, `aws:RequestTag/PipelineId`…). */
  readonly context?: Readonly<Record<string, string | string[]>>;
  /** The resource's own policy where the service requires it to allow too (a KMS key policy). */
  readonly resourcePolicy?: unknown;
}

/** A principal's policies: identity policies and an optional permissions boundary. */
export interface Principal {
  readonly arn: string;
  readonly account: string;
  readonly policies: readonly PolicyDocument[];
  readonly boundary?: PolicyDocument;
}

/** What IAM decides for `request` made by `principal`. @throws Error when the simulator rejects the input (an invalid policy, action or ARN). */
export async function decide(principal: Principal, request: IamRequest): Promise<Decision> {
  const result = await simulate(principal, request);
  // An action without resource types (CreateQueue, DescribeLogGroups…) is authorized against "*", as IAM does.
  if (result.resultType === 'error' && result.errors.message === 'must.use.wildcard' && request.resource !== '*') {
    return decide(principal, { ...request, resource: '*' });
  }
  if (result.resultType === 'error') {
    throw new Error(`simulator refused ${request.action} on ${request.resource}: ${JSON.stringify(result.errors).slice(0, 600)}`);
  }
  return result.overallResult as Decision;
}

/**
 * iam-simulate 0.1.173 drops context keys whose variable part follows a colon
 * (`kms:EncryptionContext:aws:s3:arn`): it matches variable keys only after a slash
 * (`aws:ResourceTag/Name`), so every encryption-context condition would read as missing. Both
 * the policies and the request carry such a key under a stand-in of the same type (a string
 * whose variable follows a slash, which KMS keys accept), so the operators are evaluated as IAM
 * evaluates them.
 */
const ENCRYPTION_CONTEXT = /kms:EncryptionContext:([\w:.-]+)/gi;
const encryptionContextStandIn = (name: string) => `aws:ResourceTag/kms-encryption-context-${name.replace(/:/g, '-')}`;

function withEncryptionContextStandIns<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replace(ENCRYPTION_CONTEXT, (_, name: string) => encryptionContextStandIn(name))) as T;
}

function simulate(original: Principal, originalRequest: IamRequest) {
  const principal = withEncryptionContextStandIns(original);
  const request = withEncryptionContextStandIns(originalRequest);
  return runSimulation(
    {
      request: {
        principal: principal.arn,
        action: request.action,
        resource: { resource: request.resource, accountId: principal.account },
        contextVariables: { ...request.context },
      },
      identityPolicies: principal.policies.map((policy, i) => ({ name: `policy-${i}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(principal.boundary ? { permissionBoundaryPolicies: [{ name: 'boundary', policy: principal.boundary }] } : {}),
      ...(request.resourcePolicy !== undefined ? { resourcePolicy: request.resourcePolicy } : {}),
    },
    {},
  );
}
