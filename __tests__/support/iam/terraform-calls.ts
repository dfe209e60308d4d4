/**
 * Maps an AWS API request, as the recording proxy saw it on its way to the emulator, to what IAM
 * authorizes: the action(s), the resource ARN and the request's condition keys. Covers the calls
 * terraform's AWS provider and our handlers make; an unknown call throws, so a new call cannot be
 * left out of the simulation silently.
 */
import type { ProxiedCall } from '../faults/proxy';
import type { IamRequest } from './simulate';

/** Account and region of the emulator (moto answers GetCallerIdentity with this account). */
export interface CallScope {
  readonly account: string;
  readonly region: string;
  /** aws:ResourceTag/<key> values of the resources AWS names (KMS keys, distributions): the emulator holds only the pipeline's own. */
  readonly resourceTags: Readonly<Record<string, string>>;
}

/** What the simulation tracks across calls: the boundary each role was created with, the key policy of the key created. */
export interface CallMemory {
  readonly roleBoundaries: Map<string, string>;
  /** The `Policy` of the stack's CreateKey: KMS authorizes a call only if the key policy allows it too. */
  keyPolicy?: unknown;
}

export const newCallMemory = (): CallMemory => ({ roleBoundaries: new Map() });

/** What an AWS managed key's policy (alias/aws/<service>) grants principals of the account directly: metadata reads. */
function awsManagedKeyPolicy(account: string): unknown {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: ['kms:Describe*', 'kms:Get*', 'kms:List*'],
        Resource: '*',
      },
    ],
  };
}

/** A call whose mapping is unknown; the test fails on it. */
export class UnmappedCallError extends Error {
  constructor(call: ProxiedCall) {
    super(`no IAM mapping for ${call.service} ${call.method} ${call.path}?${call.query.toString()} (${call.operation})`);
    this.name = 'UnmappedCallError';
  }
}

const SERVICE_PREFIX: Record<string, string> = { monitoring: 'cloudwatch' };

/** `Key.member.1=…` style or JSON `Tags: [{Key, Value}]` / `[{TagKey, TagValue}]` as a map. */
function tagsOf(value: unknown): Record<string, string> {
  if (Array.isArray(value)) {
    return Object.fromEntries(
      value.map((t: Record<string, string>) => [t.Key ?? t.TagKey ?? t.key, t.Value ?? t.TagValue ?? t.value] as [string, string]),
    );
  }
  if (typeof value === 'object' && value !== null) return value as Record<string, string>;
  return {};
}

function formTags(form: URLSearchParams, prefix = 'Tags.member'): Record<string, string> {
  const tags: Record<string, string> = {};
  for (let i = 1; form.has(`${prefix}.${i}.Key`); i += 1) tags[form.get(`${prefix}.${i}.Key`)!] = form.get(`${prefix}.${i}.Value`) ?? '';
  return tags;
}

function requestTagContext(tags: Record<string, string>): Record<string, string | string[]> {
  const keys = Object.keys(tags);
  if (keys.length === 0) return {};
  return { ...Object.fromEntries(keys.map((k) => [`aws:RequestTag/${k}`, tags[k]!])), 'aws:TagKeys': keys };
}

function resourceTagContext(scope: CallScope): Record<string, string> {
  return Object.fromEntries(Object.entries(scope.resourceTags).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
}

const lastSegment = (value: string) => value.slice(value.lastIndexOf('/') + 1);
const nameOf = (value: string) => (value.startsWith('arn:') ? value.slice(value.lastIndexOf(':') + 1) : value);

// ---- S3 (REST, path style) ----

const S3_SUBRESOURCES: Record<string, readonly [get: string, put: string, del: string]> = {
  policy: ['GetBucketPolicy', 'PutBucketPolicy', 'DeleteBucketPolicy'],
  versioning: ['GetBucketVersioning', 'PutBucketVersioning', 'PutBucketVersioning'],
  acl: ['GetBucketAcl', 'PutBucketAcl', 'PutBucketAcl'],
  publicAccessBlock: ['GetBucketPublicAccessBlock', 'PutBucketPublicAccessBlock', 'PutBucketPublicAccessBlock'],
  ownershipControls: ['GetBucketOwnershipControls', 'PutBucketOwnershipControls', 'PutBucketOwnershipControls'],
  encryption: ['GetEncryptionConfiguration', 'PutEncryptionConfiguration', 'PutEncryptionConfiguration'],
  lifecycle: ['GetLifecycleConfiguration', 'PutLifecycleConfiguration', 'PutLifecycleConfiguration'],
  notification: ['GetBucketNotification', 'PutBucketNotification', 'PutBucketNotification'],
  logging: ['GetBucketLogging', 'PutBucketLogging', 'PutBucketLogging'],
  tagging: ['GetBucketTagging', 'PutBucketTagging', 'PutBucketTagging'],
  cors: ['GetBucketCORS', 'PutBucketCORS', 'PutBucketCORS'],
  website: ['GetBucketWebsite', 'PutBucketWebsite', 'DeleteBucketWebsite'],
  accelerate: ['GetAccelerateConfiguration', 'PutAccelerateConfiguration', 'PutAccelerateConfiguration'],
  requestPayment: ['GetBucketRequestPayment', 'PutBucketRequestPayment', 'PutBucketRequestPayment'],
  replication: ['GetReplicationConfiguration', 'PutReplicationConfiguration', 'PutReplicationConfiguration'],
  'object-lock': ['GetBucketObjectLockConfiguration', 'PutBucketObjectLockConfiguration', 'PutBucketObjectLockConfiguration'],
  location: ['GetBucketLocation', 'GetBucketLocation', 'GetBucketLocation'],
  'intelligent-tiering': ['GetIntelligentTieringConfiguration', 'PutIntelligentTieringConfiguration', 'PutIntelligentTieringConfiguration'],
  versions: ['ListBucketVersions', 'ListBucketVersions', 'ListBucketVersions'],
  uploads: ['ListBucketMultipartUploads', 'ListBucketMultipartUploads', 'ListBucketMultipartUploads'],
};

function s3Requests(call: ProxiedCall): IamRequest[] {
  const [, bucket, ...keyParts] = call.path.split('/');
  const key = decodeURIComponent(keyParts.join('/'));
  const bucketArn = `arn:aws:s3:::${bucket}`;
  if (!bucket) throw new UnmappedCallError(call);
  const method = call.method === 'HEAD' ? 'GET' : call.method;
  if (key === '') {
    if (call.query.has('delete') && method === 'POST') {
      // DeleteObjects: one DeleteObject (or DeleteObjectVersion) per key in the body.
      const versioned = /<VersionId>/.test(call.body);
      const keys = [...call.body.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]!);
      return keys.map((k) => ({ action: versioned ? 's3:DeleteObjectVersion' : 's3:DeleteObject', resource: `${bucketArn}/${k}` }));
    }
    const sub = Object.keys(S3_SUBRESOURCES).find((s) => call.query.has(s));
    if (sub !== undefined) {
      const [get, put, del] = S3_SUBRESOURCES[sub]!;
      return [{ action: `s3:${method === 'GET' ? get : method === 'DELETE' ? del : put}`, resource: bucketArn }];
    }
    if (method === 'PUT') return [{ action: 's3:CreateBucket', resource: bucketArn }];
    if (method === 'DELETE') return [{ action: 's3:DeleteBucket', resource: bucketArn }];
    if (method === 'GET') {
      const prefix = call.query.get('prefix');
      return [{ action: 's3:ListBucket', resource: bucketArn, ...(prefix !== null ? { context: { 's3:prefix': prefix } } : {}) }];
    }
    throw new UnmappedCallError(call);
  }
  const objectArn = `${bucketArn}/${key}`;
  const versioned = call.query.has('versionId');
  if (call.query.has('tagging'))
    return [{ action: `s3:${method === 'GET' ? 'GetObjectTagging' : 'PutObjectTagging'}`, resource: objectArn }];
  if (method === 'GET') return [{ action: versioned ? 's3:GetObjectVersion' : 's3:GetObject', resource: objectArn }];
  if (method === 'PUT' || method === 'POST') return [{ action: 's3:PutObject', resource: objectArn }];
  if (method === 'DELETE') return [{ action: versioned ? 's3:DeleteObjectVersion' : 's3:DeleteObject', resource: objectArn }];
  throw new UnmappedCallError(call);
}

// ---- Lambda (REST) ----

const LAMBDA_ROUTES: ReadonlyArray<readonly [string, RegExp, string]> = [
  ['POST', /^\/2015-03-31\/functions\/?$/, 'CreateFunction'],
  ['GET', /^\/2015-03-31\/functions\/([^/]+)$/, 'GetFunction'],
  ['DELETE', /^\/2015-03-31\/functions\/([^/]+)$/, 'DeleteFunction'],
  ['GET', /^\/2015-03-31\/functions\/([^/]+)\/configuration$/, 'GetFunctionConfiguration'],
  ['PUT', /^\/2015-03-31\/functions\/([^/]+)\/configuration$/, 'UpdateFunctionConfiguration'],
  ['PUT', /^\/2015-03-31\/functions\/([^/]+)\/code$/, 'UpdateFunctionCode'],
  ['GET', /^\/2015-03-31\/functions\/([^/]+)\/versions$/, 'ListVersionsByFunction'],
  ['GET', /^\/2015-03-31\/functions\/([^/]+)\/policy$/, 'GetPolicy'],
  ['POST', /^\/2015-03-31\/functions\/([^/]+)\/policy$/, 'AddPermission'],
  ['DELETE', /^\/2015-03-31\/functions\/([^/]+)\/policy\/[^/]+$/, 'RemovePermission'],
  ['PUT', /^\/2017-10-31\/functions\/([^/]+)\/concurrency$/, 'PutFunctionConcurrency'],
  ['DELETE', /^\/2017-10-31\/functions\/([^/]+)\/concurrency$/, 'DeleteFunctionConcurrency'],
  ['GET', /^\/2019-09-30\/functions\/([^/]+)\/concurrency$/, 'GetFunctionConcurrency'],
  ['PUT', /^\/2019-09-25\/functions\/([^/]+)\/event-invoke-config$/, 'PutFunctionEventInvokeConfig'],
  ['POST', /^\/2019-09-25\/functions\/([^/]+)\/event-invoke-config$/, 'UpdateFunctionEventInvokeConfig'],
  ['GET', /^\/2019-09-25\/functions\/([^/]+)\/event-invoke-config$/, 'GetFunctionEventInvokeConfig'],
  ['DELETE', /^\/2019-09-25\/functions\/([^/]+)\/event-invoke-config$/, 'DeleteFunctionEventInvokeConfig'],
  ['GET', /^\/2020-06-30\/functions\/([^/]+)\/code-signing-config$/, 'GetFunctionCodeSigningConfig'],
  ['GET', /^\/2017-03-31\/tags\/(.+)$/, 'ListTags'],
  ['POST', /^\/2017-03-31\/tags\/(.+)$/, 'TagResource'],
  ['DELETE', /^\/2017-03-31\/tags\/(.+)$/, 'UntagResource'],
  ['POST', /^\/2021-10-31\/functions\/([^/]+)\/url$/, 'CreateFunctionUrlConfig'],
  ['POST', /^\/2015-03-31\/functions\/([^/]+)\/invocations$/, 'InvokeFunction'],
];

function lambdaRequests(call: ProxiedCall, scope: CallScope): IamRequest[] {
  const route = LAMBDA_ROUTES.find(([m, pattern]) => m === call.method && pattern.test(call.path));
  if (route === undefined) throw new UnmappedCallError(call);
  const [, pattern, operation] = route;
  const captured = decodeURIComponent(pattern.exec(call.path)?.[1] ?? String(call.json?.FunctionName ?? ''));
  const fn = `arn:aws:lambda:${scope.region}:${scope.account}:function:${nameOf(captured)}`;
  const requests: IamRequest[] = [];
  const context: Record<string, string | string[]> = {};
  if (operation === 'AddPermission' && typeof call.json?.Principal === 'string') context['lambda:Principal'] = call.json.Principal;
  if (operation === 'CreateFunction' || operation === 'TagResource') Object.assign(context, requestTagContext(tagsOf(call.json?.Tags)));
  requests.push({ action: `lambda:${operation}`, resource: fn, context });
  const role = call.json?.Role;
  if (typeof role === 'string' && (operation === 'CreateFunction' || operation === 'UpdateFunctionConfiguration')) {
    requests.push({ action: 'iam:PassRole', resource: role, context: { 'iam:PassedToService': 'lambda.amazonaws.com' } });
  }
  return requests;
}

// ---- CloudFront (REST, XML) ----

function cloudfrontRequests(call: ProxiedCall, scope: CallScope): IamRequest[] {
  const p = call.path.replace(/^\/20\d\d-\d\d-\d\d/, '');
  const arn = (type: string, id: string) => `arn:aws:cloudfront::${scope.account}:${type}/${id}`;
  const tags = Object.fromEntries(
    [...call.body.matchAll(/<Tag><Key>([^<]*)<\/Key><Value>([^<]*)<\/Value><\/Tag>/g)].map((m) => [m[1]!, m[2]!]),
  );
  const owned = resourceTagContext(scope);
  let m: RegExpExecArray | null;
  if (p === '/distribution' && call.method === 'POST') {
    const create: IamRequest = { action: 'cloudfront:CreateDistribution', resource: '*', context: requestTagContext(tags) };
    return call.query.has('WithTags')
      ? [create, { action: 'cloudfront:TagResource', resource: '*', context: requestTagContext(tags) }]
      : [create];
  }
  if ((m = /^\/distribution\/([^/]+)(\/config)?$/.exec(p))) {
    const op =
      call.method === 'DELETE'
        ? 'DeleteDistribution'
        : call.method === 'PUT'
          ? 'UpdateDistribution'
          : m[2]
            ? 'GetDistributionConfig'
            : 'GetDistribution';
    return [{ action: `cloudfront:${op}`, resource: arn('distribution', m[1]!), context: owned }];
  }
  if (p === '/tagging') {
    // moto writes distribution ARNs without the empty region field (arn:aws:cloudfront:<account>:…).
    const resource = (call.query.get('Resource') ?? '*').replace(/^arn:aws:cloudfront:(\d{12}):/, 'arn:aws:cloudfront::$1:');
    const op = call.method === 'GET' ? 'ListTagsForResource' : call.query.get('Operation') === 'Untag' ? 'UntagResource' : 'TagResource';
    const keys = [...call.body.matchAll(/<Key>([^<]*)<\/Key>/g)].map((k) => k[1]!);
    const context =
      op === 'TagResource' ? { ...owned, ...requestTagContext(tags) } : op === 'UntagResource' ? { ...owned, 'aws:TagKeys': keys } : owned;
    return [{ action: `cloudfront:${op}`, resource, context }];
  }
  for (const [path, type, noun] of [
    ['/origin-access-control', 'origin-access-control', 'OriginAccessControl'],
    ['/response-headers-policy', 'response-headers-policy', 'ResponseHeadersPolicy'],
  ] as const) {
    if (p === path && call.method === 'POST') return [{ action: `cloudfront:Create${noun}`, resource: '*' }];
    if ((m = new RegExp(`^${path}/([^/]+)(/config)?$`).exec(p))) {
      const op =
        call.method === 'DELETE' ? `Delete${noun}` : call.method === 'PUT' ? `Update${noun}` : m[2] ? `Get${noun}Config` : `Get${noun}`;
      return [{ action: `cloudfront:${op}`, resource: arn(type, m[1]!) }];
    }
  }
  throw new UnmappedCallError(call);
}

// ---- MediaConvert (REST, JSON) ----

function mediaconvertRequests(call: ProxiedCall, scope: CallScope): IamRequest[] {
  const queue = (name: string) => `arn:aws:mediaconvert:${scope.region}:${scope.account}:queues/${name}`;
  let m: RegExpExecArray | null;
  if (call.path === '/2017-08-29/queues' && call.method === 'POST') {
    // CreateQueue has no resource type in IAM: it is authorized against "*", scoped by the request's tags.
    return [{ action: 'mediaconvert:CreateQueue', resource: '*', context: requestTagContext(tagsOf(call.json?.tags)) }];
  }
  if ((m = /^\/2017-08-29\/queues\/([^/]+)$/.exec(call.path))) {
    const op = call.method === 'DELETE' ? 'DeleteQueue' : call.method === 'PUT' ? 'UpdateQueue' : 'GetQueue';
    return [{ action: `mediaconvert:${op}`, resource: queue(decodeURIComponent(m[1]!)) }];
  }
  if ((m = /^\/2017-08-29\/tags\/(.+)$/.exec(call.path))) {
    return [
      { action: `mediaconvert:${call.method === 'PUT' ? 'UntagResource' : 'ListTagsForResource'}`, resource: decodeURIComponent(m[1]!) },
    ];
  }
  if (call.path === '/2017-08-29/tags' && call.method === 'POST') {
    return [{ action: 'mediaconvert:TagResource', resource: String(call.json?.arn), context: requestTagContext(tagsOf(call.json?.tags)) }];
  }
  if (call.path === '/2017-08-29/jobs' && call.method === 'POST') {
    const requests: IamRequest[] = [{ action: 'mediaconvert:CreateJob', resource: String(call.json?.queue) }];
    if (typeof call.json?.role === 'string') {
      requests.push({ action: 'iam:PassRole', resource: call.json.role, context: { 'iam:PassedToService': 'mediaconvert.amazonaws.com' } });
    }
    return requests;
  }
  if ((m = /^\/2017-08-29\/jobs\/([^/]+)$/.exec(call.path))) {
    return [{ action: 'mediaconvert:GetJob', resource: `arn:aws:mediaconvert:${scope.region}:${scope.account}:jobs/${m[1]}` }];
  }
  if (call.path === '/2017-08-29/search') {
    const q = call.query.get('queue');
    return [{ action: 'mediaconvert:SearchJobs', resource: q === null ? '*' : q.startsWith('arn:') ? q : queue(q) }];
  }
  if (call.path === '/2017-08-29/jobs' && call.method === 'GET') return [{ action: 'mediaconvert:ListJobs', resource: '*' }];
  if (call.path === '/2017-08-29/probe') return [{ action: 'mediaconvert:Probe', resource: '*' }];
  throw new UnmappedCallError(call);
}

// ---- JSON and query protocols ----

function params(call: ProxiedCall): Record<string, unknown> {
  if (call.json !== undefined) return call.json;
  return Object.fromEntries(new URLSearchParams(call.body));
}

/** The resource ARN of a JSON/query-protocol call, from the parameter its service names resources by. */
function rpcResource(service: string, operation: string, p: Record<string, unknown>, scope: CallScope): string {
  const { account, region } = scope;
  const str = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : undefined);
  switch (service) {
    case 'iam': {
      const role = str('RoleName');
      if (role !== undefined) return `arn:aws:iam::${account}:role/${role}`;
      const policy = str('PolicyArn');
      return policy ?? '*';
    }
    case 'sns': {
      const arn = str('TopicArn') ?? str('ResourceArn');
      if (arn !== undefined) return arn;
      const subscription = str('SubscriptionArn');
      if (subscription !== undefined) return subscription.slice(0, subscription.lastIndexOf(':'));
      const name = str('Name');
      return name !== undefined ? `arn:aws:sns:${region}:${account}:${name}` : '*';
    }
    case 'sqs': {
      const url = str('QueueUrl');
      const name =
        url !== undefined ? lastSegment(url) : (str('QueueName') ?? (str('resourceArn') ? nameOf(str('resourceArn')!) : undefined));
      return name !== undefined ? `arn:aws:sqs:${region}:${account}:${name}` : '*';
    }
    case 'dynamodb': {
      const arn = str('ResourceArn');
      if (arn !== undefined) return arn;
      const table = str('TableName');
      return table !== undefined ? `arn:aws:dynamodb:${region}:${account}:table/${table}` : '*';
    }
    case 'events': {
      const arn = str('ResourceARN');
      if (arn !== undefined) return arn;
      const rule = str('Name') ?? str('Rule');
      return rule !== undefined ? `arn:aws:events:${region}:${account}:rule/${rule}` : '*';
    }
    case 'logs': {
      // CloudFront standard logging v2: delivery sources, destinations and deliveries, by name or id.
      const delivery = /^(Put|Get|Delete)Delivery(Source|Destination)$/.exec(operation);
      // IAM's data authorizes DeleteDeliverySource against a delivery-destination resource (of the source's name).
      const kind = operation === 'DeleteDeliverySource' ? 'destination' : delivery?.[2]!.toLowerCase();
      if (delivery) return `arn:aws:logs:${region}:${account}:delivery-${kind}:${str('name') ?? ''}`;
      if (operation === 'CreateDelivery') return `arn:aws:logs:${region}:${account}:delivery-source:${str('deliverySourceName') ?? ''}`;
      if (operation === 'GetDelivery' || operation === 'DeleteDelivery')
        return `arn:aws:logs:${region}:${account}:delivery:${str('id') ?? ''}`;
      const arn = str('resourceArn') ?? str('logGroupIdentifier');
      if (arn !== undefined && arn.startsWith('arn:')) return arn.replace(/:\*$/, '');
      const group = str('logGroupName') ?? arn;
      if (operation === 'DescribeLogGroups') return '*';
      return group !== undefined ? `arn:aws:logs:${region}:${account}:log-group:${group}` : '*';
    }
    case 'kms': {
      if (operation === 'CreateKey' || operation === 'ListAliases') return '*';
      const alias = str('AliasName');
      if (alias !== undefined && operation !== 'ListAliases') return `arn:aws:kms:${region}:${account}:${alias}`;
      const key = str('KeyId') ?? str('TargetKeyId');
      if (key === undefined) return '*';
      if (key.startsWith('arn:')) return key;
      // IAM authorizes a call made through an alias against the key it points to.
      return key.startsWith('alias/')
        ? `arn:aws:kms:${region}:${account}:key/target-of-${key.replace(/\//g, '-')}`
        : `arn:aws:kms:${region}:${account}:key/${key}`;
    }
    case 'cloudwatch': {
      const arn = str('ResourceARN');
      if (arn !== undefined) return arn;
      const dashboard =
        str('DashboardName') ??
        str('DashboardNames.member.1') ??
        (Array.isArray(p.DashboardNames) ? String(p.DashboardNames[0]) : undefined);
      if (dashboard !== undefined) return `arn:aws:cloudwatch::${account}:dashboard/${dashboard}`;
      const alarm = str('AlarmName') ?? str('AlarmNames.member.1') ?? (Array.isArray(p.AlarmNames) ? String(p.AlarmNames[0]) : undefined);
      return alarm !== undefined ? `arn:aws:cloudwatch:${region}:${account}:alarm:${alarm}` : '*';
    }
    default:
      return '*';
  }
}

function rpcContext(
  service: string,
  operation: string,
  p: Record<string, unknown>,
  resource: string,
  scope: CallScope,
  memory: CallMemory,
): Record<string, string | string[]> {
  if (service === 'iam') {
    const role = typeof p.RoleName === 'string' ? p.RoleName : undefined;
    if (operation === 'CreateRole') {
      const boundary = typeof p.PermissionsBoundary === 'string' ? p.PermissionsBoundary : undefined;
      if (role !== undefined && boundary !== undefined) memory.roleBoundaries.set(role, boundary);
      return {
        ...(boundary ? { 'iam:PermissionsBoundary': boundary } : {}),
        ...requestTagContext(formTags(new URLSearchParams(Object.entries(p).map(([k, v]): [string, string] => [k, String(v)])))),
      };
    }
    if (operation === 'PutRolePermissionsBoundary' && role !== undefined && typeof p.PermissionsBoundary === 'string') {
      memory.roleBoundaries.set(role, p.PermissionsBoundary);
      return { 'iam:PermissionsBoundary': p.PermissionsBoundary };
    }
    const current = role === undefined ? undefined : memory.roleBoundaries.get(role);
    return current !== undefined ? { 'iam:PermissionsBoundary': current } : {};
  }
  if (service === 'kms') {
    if (operation === 'CreateKey') {
      if (typeof p.Policy === 'string') memory.keyPolicy = JSON.parse(p.Policy) as unknown;
      return requestTagContext(tagsOf(p.Tags));
    }
    // AWS managed keys (alias/aws/...) carry no tags of ours.
    if (resource.includes(':key/target-of-alias-aws-')) return {};
    if (resource.includes(':key/'))
      return { ...resourceTagContext(scope), ...(operation === 'TagResource' ? requestTagContext(tagsOf(p.Tags)) : {}) };
    return {};
  }
  return {};
}

/**
 * The IAM requests one recorded API call stands for (usually one; CreateFunction also passes a role).
 * @throws UnmappedCallError for a call this module does not know.
 */
export function iamRequestsOf(call: ProxiedCall, scope: CallScope, memory: CallMemory): IamRequest[] {
  switch (call.service) {
    case 's3':
      return s3Requests(call);
    case 'lambda':
      return lambdaRequests(call, scope);
    case 'cloudfront':
      return cloudfrontRequests(call, scope);
    case 'mediaconvert':
      return mediaconvertRequests(call, scope);
    default: {
      const service = SERVICE_PREFIX[call.service] ?? call.service;
      const cbor = /\/service\/[^/]+\/operation\/(\w+)$/.exec(call.path)?.[1];
      const operation = cbor ?? call.operation;
      if (!/^[A-Z]\w+$/.test(operation)) throw new UnmappedCallError(call);
      const p = params(call);
      const resource = rpcResource(service, operation, p, scope);
      const context = rpcContext(service, operation, p, resource, scope, memory);
      const keyPolicy =
        service !== 'kms' || !resource.includes(':key/')
          ? undefined
          : resource.includes(':key/target-of-alias-aws-')
            ? awsManagedKeyPolicy(scope.account)
            : memory.keyPolicy;
      return [{ action: `${service}:${operation}`, resource, context, ...(keyPolicy !== undefined ? { resourcePolicy: keyPolicy } : {}) }];
    }
  }
}
