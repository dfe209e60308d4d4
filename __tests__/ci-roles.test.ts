import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  DEFAULT_INPUTS,
  POLICY_DIR,
  TEMPLATES,
  boundaryArn,
  boundaryPolicy,
  deployPolicy,
  planPolicy,
  renderTemplate,
  templateExpressions,
} from './support/iam/ci-roles';
import { Decision, IamRequest, Principal, decide } from './support/iam/simulate';

const ACCOUNT = DEFAULT_INPUTS.account;
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const deployRole = (env: string, protect: boolean): Principal => ({
  arn: role(`vod-github-deploy-${env}`),
  account: ACCOUNT,
  policies: [deployPolicy(env, protect)],
});
const DEV = deployRole('dev', false);
const PROD = deployRole('prod', true);
const PLAN: Principal = { arn: role('vod-github-plan'), account: ACCOUNT, policies: [planPolicy()] };
const withBoundary = (env: string) => ({ 'iam:PermissionsBoundary': boundaryArn(env) });
const denied = (decision: Decision) => decision !== 'Allowed';

describe('examples/ci-roles policy templates', () => {
  it.each(TEMPLATES)('%s uses only ${name} and ${jsonencode(name)}, which the tests render as templatefile() does', (file) => {
    const expressions = templateExpressions(readFileSync(path.join(POLICY_DIR, file), 'utf8'));

    expect(expressions.filter((e) => !/^(\w+|jsonencode\(\w+\))$/.test(e))).toEqual([]);
  });

  it.each([
    ['immutable only by default', false, ['repo:acme@42/vod@4242:environment:prod']],
    ['the name-only subject when a user opts in', true, ['repo:acme@42/vod@4242:environment:prod', 'repo:acme/vod:environment:prod']],
  ])('a deploy role trusts %s, only its environment, and only main’s apply workflow', (_what, nameOnly, subjects) => {
    // Prepare: what main.tf passes (local.subject_prefixes).
    const prefixes = ['repo:acme@42/vod@4242', ...(nameOnly ? ['repo:acme/vod'] : [])];

    // Act
    const trust = JSON.parse(
      renderTemplate('deploy-trust.json.tftpl', {
        oidc_provider_arn: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
        subjects: prefixes.map((p) => `${p}:environment:prod`),
        repository: 'acme/vod',
        repository_id: 4242,
        environment: 'prod',
      }),
    ) as { Statement: { Condition: { StringEquals: Record<string, unknown> } }[] };

    // Assess
    expect(trust.Statement[0]!.Condition.StringEquals).toEqual({
      'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
      'token.actions.githubusercontent.com:sub': subjects,
      'token.actions.githubusercontent.com:repository_id': '4242',
      'token.actions.githubusercontent.com:environment': 'prod',
      'token.actions.githubusercontent.com:job_workflow_ref': 'acme/vod/.github/workflows/apply-reviewed.yml@refs/heads/main',
    });
  });

  it('the plan role trusts only the plan workflow on pull requests of this repository', () => {
    const trust = JSON.parse(
      renderTemplate('plan-trust.json.tftpl', {
        oidc_provider_arn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
        subjects: ['repo:acme@42/vod@4242:pull_request'],
        repository: 'acme/vod',
        repository_id: 4242,
      }),
    ) as { Statement: { Condition: Record<string, Record<string, unknown>> }[] };

    expect(trust.Statement[0]!.Condition).toEqual({
      StringEquals: expect.objectContaining({
        'token.actions.githubusercontent.com:sub': ['repo:acme@42/vod@4242:pull_request'],
        'token.actions.githubusercontent.com:repository_id': '4242',
      }),
      StringLike: { 'token.actions.githubusercontent.com:job_workflow_ref': 'acme/vod/.github/workflows/plan.yml@refs/pull/*' },
    });
  });
});

// Each escalation a compromised deploy or plan job would try, evaluated by the IAM simulator
// against the policies examples/ci-roles applies; each next to the legitimate call it must not block.
describe('escalations, tried and denied by the IAM simulator', () => {
  const sourceObject = (env: string) => `arn:aws:s3:::vod-${env}-source-${ACCOUNT}-us-east-1/uploads/a.mp4`;

  it.each<[string, Principal, IamRequest, IamRequest | undefined]>([
    [
      'CreateRole without the boundary',
      DEV,
      { action: 'iam:CreateRole', resource: role('vod-dev-x') },
      { action: 'iam:CreateRole', resource: role('vod-dev-x'), context: withBoundary('dev') },
    ],
    [
      'CreateRole under another boundary',
      DEV,
      {
        action: 'iam:CreateRole',
        resource: role('vod-dev-x'),
        context: { 'iam:PermissionsBoundary': `arn:aws:iam::${ACCOUNT}:policy/admin` },
      },
      undefined,
    ],
    [
      'PutRolePolicy on a role outside the prefix',
      DEV,
      { action: 'iam:PutRolePolicy', resource: role('admin'), context: withBoundary('dev') },
      { action: 'iam:PutRolePolicy', resource: role('vod-dev-submit-job'), context: withBoundary('dev') },
    ],
    [
      'DeleteRolePermissionsBoundary',
      DEV,
      { action: 'iam:DeleteRolePermissionsBoundary', resource: role('vod-dev-submit-job'), context: withBoundary('dev') },
      undefined,
    ],
    ['editing the boundary policy itself', DEV, { action: 'iam:CreatePolicyVersion', resource: boundaryArn('dev') }, undefined],
    [
      'PassRole to a service other than Lambda and MediaConvert',
      DEV,
      { action: 'iam:PassRole', resource: role('vod-dev-submit-job'), context: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
      { action: 'iam:PassRole', resource: role('vod-dev-submit-job'), context: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
    ],
    [
      'DeleteObjectVersion with prod’s role',
      PROD,
      { action: 's3:DeleteObjectVersion', resource: sourceObject('prod') },
      { action: 's3:GetBucketVersioning', resource: `arn:aws:s3:::vod-prod-source-${ACCOUNT}-us-east-1` },
    ],
    [
      'DeleteTable with prod’s role',
      PROD,
      { action: 'dynamodb:DeleteTable', resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/vod-prod-jobs` },
      { action: 'dynamodb:DescribeTable', resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/vod-prod-jobs` },
    ],
    [
      'suspending versioning with prod’s role',
      PROD,
      { action: 's3:PutBucketVersioning', resource: `arn:aws:s3:::vod-prod-source-${ACCOUNT}-us-east-1` },
      undefined,
    ],
    [
      'deleting a bucket policy with prod’s role',
      PROD,
      { action: 's3:DeleteBucketPolicy', resource: `arn:aws:s3:::vod-prod-output-${ACCOUNT}-us-east-1` },
      undefined,
    ],
    [
      'CreateFunctionUrlConfig',
      DEV,
      {
        action: 'lambda:CreateFunctionUrlConfig',
        resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:vod-dev-submit-job`,
        context: { 'lambda:FunctionUrlAuthType': 'NONE' },
      },
      undefined,
    ],
    [
      'a public AddPermission',
      DEV,
      {
        action: 'lambda:AddPermission',
        resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:vod-dev-submit-job`,
        context: { 'lambda:Principal': '*' },
      },
      {
        action: 'lambda:AddPermission',
        resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:vod-dev-submit-job`,
        context: { 'lambda:Principal': 's3.amazonaws.com' },
      },
    ],
    [
      'a dev role touching a vod-prod-* function',
      DEV,
      { action: 'lambda:UpdateFunctionCode', resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:vod-prod-submit-job` },
      { action: 'lambda:UpdateFunctionCode', resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:vod-dev-submit-job` },
    ],
    [
      'a dev role touching a vod-prod-* bucket',
      DEV,
      { action: 's3:PutBucketPolicy', resource: `arn:aws:s3:::vod-prod-output-${ACCOUNT}-us-east-1` },
      undefined,
    ],
    [
      'a dev role touching a vod-prod-* role',
      DEV,
      { action: 'iam:PutRolePolicy', resource: role('vod-prod-submit-job'), context: withBoundary('dev') },
      undefined,
    ],
    [
      'a dev role touching prod’s state',
      DEV,
      { action: 's3:PutObject', resource: 'arn:aws:s3:::e2e-terraform-state/vod-pipeline/vod-prod.tfstate' },
      undefined,
    ],
    [
      'a dev role changing prod’s distribution',
      DEV,
      {
        action: 'cloudfront:UpdateDistribution',
        resource: `arn:aws:cloudfront::${ACCOUNT}:distribution/E2PROD`,
        context: { 'aws:ResourceTag/PipelineId': 'vod-prod' },
      },
      {
        action: 'cloudfront:UpdateDistribution',
        resource: `arn:aws:cloudfront::${ACCOUNT}:distribution/E2DEV`,
        context: { 'aws:ResourceTag/PipelineId': 'vod-dev' },
      },
    ],
    [
      'a dev role re-tagging prod’s distribution as its own',
      DEV,
      {
        action: 'cloudfront:TagResource',
        resource: `arn:aws:cloudfront::${ACCOUNT}:distribution/E2PROD`,
        context: { 'aws:ResourceTag/PipelineId': 'vod-prod', 'aws:RequestTag/PipelineId': 'vod-dev', 'aws:TagKeys': ['PipelineId'] },
      },
      undefined,
    ],
    [
      'a dev role using prod’s KMS key',
      DEV,
      {
        action: 'kms:PutKeyPolicy',
        resource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
        context: { 'aws:ResourceTag/PipelineId': 'vod-prod' },
      },
      { action: 'kms:CreateKey', resource: '*', context: { 'aws:RequestTag/PipelineId': 'vod-dev', 'aws:TagKeys': ['PipelineId'] } },
    ],
    [
      'the plan role deleting a lockfile',
      PLAN,
      { action: 's3:DeleteObject', resource: 'arn:aws:s3:::e2e-terraform-state/vod-pipeline/vod-prod.tfstate.tflock' },
      { action: 's3:GetObject', resource: 'arn:aws:s3:::e2e-terraform-state/vod-pipeline/vod-prod.tfstate' },
    ],
    [
      'the plan role taking a lock',
      PLAN,
      { action: 's3:PutObject', resource: 'arn:aws:s3:::e2e-terraform-state/vod-pipeline/vod-prod.tfstate.tflock' },
      undefined,
    ],
    ['the plan role reading uploaded videos', PLAN, { action: 's3:GetObject', resource: sourceObject('prod') }, undefined],
  ])('denies %s', async (_name, principal, escalation, legitimate) => {
    // Act
    const decision = await decide(principal, escalation);
    const allowed = legitimate === undefined ? 'Allowed' : await decide(principal, legitimate);

    // Assess: denied, while the job's own call of the same kind still goes through.
    expect({ escalation: escalation.action, denied: denied(decision) }).toEqual({ escalation: escalation.action, denied: true });
    expect(allowed).toBe('Allowed');
  });

  it("dev's role (force_destroy) may delete what prod's may not", async () => {
    expect(await decide(DEV, { action: 's3:DeleteObjectVersion', resource: sourceObject('dev') })).toBe('Allowed');
    expect(
      await decide(DEV, { action: 'dynamodb:DeleteTable', resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/vod-dev-jobs` }),
    ).toBe('Allowed');
  });

  it('the boundary caps a role the deploy role created, whatever policy it put on it', async () => {
    // Prepare: a role the stack created under the boundary, given *:* by a compromised deploy.
    const created: Principal = {
      arn: role('vod-dev-x'),
      account: ACCOUNT,
      policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }],
      boundary: boundaryPolicy('dev'),
    };

    // Act / Assess
    expect(await decide(created, { action: 'iam:CreateUser', resource: `arn:aws:iam::${ACCOUNT}:user/mallory` })).toBe('ImplicitlyDenied');
    expect(await decide(created, { action: 's3:GetObject', resource: sourceObject('prod') })).toBe('ImplicitlyDenied');
    expect(
      await decide(created, {
        action: 'iam:PassRole',
        resource: role('vod-dev-x'),
        context: { 'iam:PassedToService': 'ec2.amazonaws.com' },
      }),
    ).toBe('ImplicitlyDenied');
    expect(await decide(created, { action: 's3:GetObject', resource: sourceObject('dev') })).toBe('Allowed');
  });

  it.each([
    ['plan', planPolicy()],
    ['deploy (dev)', deployPolicy('dev', false)],
    ['deploy (prod)', deployPolicy('prod', true)],
    ['boundary', boundaryPolicy('dev')],
  ])('every action the %s policy names exists in IAM', async (_name, policy) => {
    const { iamActionsOf } = await import('./support/iam/actions');

    expect(() => iamActionsOf(policy)).not.toThrow();
  });

  it('the plan role holds no write action at all', async () => {
    // Prepare: every action the plan policy grants, resolved by the simulator's own action data.
    const { iamActionsOf } = await import('./support/iam/actions');

    // Act
    const granted = iamActionsOf(planPolicy());

    // Assess
    expect(granted.filter((a) => a.accessLevel !== 'Read' && a.accessLevel !== 'List').map((a) => a.action)).toEqual([]);
    expect(granted.length).toBeGreaterThan(30);
  });
});

// encryption.kmsKey 'customer': the deploy role creates and manages its environment's key (tag-scoped),
// and uses it only as terraform's calls make AWS use it on the role's behalf.
describe('the deploy roles and the customer-managed key', () => {
  const key = (id: string) => `arn:aws:kms:us-east-1:${ACCOUNT}:key/${id}`;
  const keyPolicy = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }],
  };
  const onKey = (env: string, action: string, context: Record<string, string | string[]> = {}) => ({
    action,
    resource: key(`${env}-key-0000`),
    context: { 'aws:ResourceTag/PipelineId': `vod-${env}`, ...context },
    resourcePolicy: keyPolicy,
  });
  const viaDynamoDb = { 'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com', 'kms:GrantIsForAWSResource': 'true' };
  const playerPage = (env: string) => ({
    'kms:ViaService': 's3.us-east-1.amazonaws.com',
    'kms:EncryptionContext:aws:s3:arn': `arn:aws:s3:::vod-${env}-output-${ACCOUNT}-us-east-1`,
  });

  it.each<[string, IamRequest]>([
    [
      'creates the key with the pipeline tag',
      { action: 'kms:CreateKey', resource: '*', context: { 'aws:RequestTag/PipelineId': 'vod-dev', 'aws:TagKeys': ['PipelineId'] } },
    ],
    ['sets its policy', onKey('dev', 'kms:PutKeyPolicy')],
    ['turns on rotation', onKey('dev', 'kms:EnableKeyRotation')],
    ['schedules its deletion (dev is not protected)', onKey('dev', 'kms:ScheduleKeyDeletion')],
    ['lets DynamoDB take a grant for the table', onKey('dev', 'kms:CreateGrant', viaDynamoDb)],
    ['writes the player page into the SSE-KMS output bucket', onKey('dev', 'kms:GenerateDataKey', playerPage('dev'))],
    ['reads the player page back', onKey('dev', 'kms:Decrypt', playerPage('dev'))],
    [
      'associates the key with its log groups',
      { action: 'logs:AssociateKmsKey', resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/vod-dev-submit-job` },
    ],
  ])("dev's deploy role %s", async (_what, request) => {
    expect(await decide(DEV, request)).toBe('Allowed');
  });

  it.each<[string, Principal, IamRequest]>([
    ['decrypting with its key directly (not through S3)', DEV, onKey('dev', 'kms:Decrypt')],
    [
      'decrypting source videos through S3',
      DEV,
      onKey('dev', 'kms:Decrypt', {
        ...playerPage('dev'),
        'kms:EncryptionContext:aws:s3:arn': `arn:aws:s3:::vod-dev-source-${ACCOUNT}-us-east-1`,
      }),
    ],
    [
      'a grant for itself rather than for DynamoDB',
      DEV,
      onKey('dev', 'kms:CreateGrant', { 'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com', 'kms:GrantIsForAWSResource': 'false' }),
    ],
    ["using prod's key for the player page", DEV, onKey('prod', 'kms:GenerateDataKey', playerPage('prod'))],
    ["scheduling prod's key for deletion", DEV, onKey('prod', 'kms:ScheduleKeyDeletion')],
    ["prod's role scheduling its own key for deletion (protected data)", PROD, onKey('prod', 'kms:ScheduleKeyDeletion')],
    ["prod's role disabling its own key", PROD, onKey('prod', 'kms:DisableKey')],
  ])('denies %s', async (_what, principal, request) => {
    expect(denied(await decide(principal, request))).toBe(true);
  });
});

// CloudFront standard logging v2: a delivery source of the distribution, a destination, a delivery.
describe('the deploy roles and CloudFront access-log delivery', () => {
  const logs = (kind: string, name: string) => `arn:aws:logs:us-east-1:${ACCOUNT}:${kind}:${name}`;
  const distribution = (env: string) => ({
    action: 'cloudfront:AllowVendedLogDeliveryForResource',
    resource: `arn:aws:cloudfront::${ACCOUNT}:distribution/E2${env.toUpperCase()}`,
    context: { 'aws:ResourceTag/PipelineId': `vod-${env}` },
  });

  it.each<[string, IamRequest]>([
    ['lets its distribution deliver logs', distribution('dev')],
    ['creates its delivery source', { action: 'logs:PutDeliverySource', resource: logs('delivery-source', 'vod-dev-cloudfront') }],
    [
      'creates its delivery destination',
      { action: 'logs:PutDeliveryDestination', resource: logs('delivery-destination', 'vod-dev-cloudfront-s3') },
    ],
    [
      'deletes its own delivery',
      { action: 'logs:DeleteDelivery', resource: logs('delivery', 'abc123'), context: { 'aws:ResourceTag/PipelineId': 'vod-dev' } },
    ],
  ])("dev's deploy role %s", async (_what, request) => {
    expect(await decide(DEV, request)).toBe('Allowed');
  });

  it.each<[string, IamRequest]>([
    ["prod's distribution", distribution('prod')],
    ["prod's delivery source", { action: 'logs:PutDeliverySource', resource: logs('delivery-source', 'vod-prod-cloudfront') }],
  ])("dev's deploy role is denied %s", async (_what, request) => {
    expect(denied(await decide(DEV, request))).toBe(true);
  });
});

describe('the deploy role fits IAM', () => {
  // IAM counts a role's inline policies together, without whitespace; a managed policy has its own 6,144.
  it.each(['dev', 'prod'])(
    "%s's inline policy stays under 10,240 characters and the keys-and-logs managed policy under 6,144, even with the longest names",
    (env) => {
      // Prepare: the longest name prefix the stack accepts (13) and a 10-character environment.
      const inputs = { ...DEFAULT_INPUTS, namePrefix: 'abcdefghijklm' };
      const environment = `${env}xxxxxxxxxx`.slice(0, 10);
      const size = (text: string) => text.replace(/\s/g, '').length;

      // Act
      const inline = renderTemplate('deploy.json.tftpl', {
        account: inputs.account,
        name_prefix: inputs.namePrefix,
        state_bucket: 'acme-terraform-state-bucket-name-of-some-length',
        state_key_prefix: 'vod-pipeline',
        tag_key: 'PipelineId',
        pipeline: `${inputs.namePrefix}-${environment}`,
        boundary_arn: boundaryArn(environment, inputs),
      });
      const protect = readFileSync(path.join(POLICY_DIR, 'deploy-protect-data.json.tftpl'), 'utf8');
      const managed = renderTemplate('deploy-keys-logs.json.tftpl', {
        account: inputs.account,
        tag_key: 'PipelineId',
        pipeline: `${inputs.namePrefix}-${environment}`,
      });

      // Assess
      expect(size(inline) + size(protect)).toBeLessThan(10_240);
      expect(size(managed)).toBeLessThan(6_144);
    },
  );
});
