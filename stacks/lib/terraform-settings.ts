import { LocalBackend, S3Backend, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { EMULATED_SERVICES, PipelineConfig } from '../config';

/**
 * Tag key every resource of a pipeline stack carries, with the pipeline id as value. The CI deploy
 * roles scope what AWS names (KMS keys, CloudFront distributions) by it: examples/ci-roles.
 */
export const PIPELINE_TAG_KEY = 'PipelineId';

/** Fake credentials for the emulator; never valid against AWS. */
const EMULATOR_CREDENTIALS = { accessKey: 'testing', secretKey: 'testing' } as const;

/**
 * The AWS provider of a stack: region, default tags and `allowed_account_ids` from config. With `emulator` set,
 * every service the stack uses points at it, with fake keys and no account lookups.
 */
export function configureAwsProvider(
  stack: TerraformStack,
  config: Pick<PipelineConfig, 'region' | 'tags' | 'emulator'> & Partial<Pick<PipelineConfig, 'accountId'>>,
): AwsProvider {
  return awsProvider(stack, 'aws', config, config.region);
}

/**
 * The `us-east-1` provider (alias `us-east-1`) of CloudFront's global resources: ACM
 * certificates and WAF web ACLs of a distribution must live there, whatever the stack's region.
 * One per stack, with the same tags and emulator settings as the main provider.
 */
export function globalProviderOf(
  stack: TerraformStack,
  config: Pick<PipelineConfig, 'tags' | 'emulator'> & Partial<Pick<PipelineConfig, 'accountId'>>,
): AwsProvider {
  const existing = stack.node.tryFindChild(GLOBAL_PROVIDER_ID) as AwsProvider | undefined;
  return existing ?? awsProvider(stack, GLOBAL_PROVIDER_ID, config, CLOUDFRONT_REGION, CLOUDFRONT_REGION);
}

/** Where CloudFront takes its certificates and web ACLs from. */
export const CLOUDFRONT_REGION = 'us-east-1';
const GLOBAL_PROVIDER_ID = 'aws-us-east-1';

function awsProvider(
  stack: TerraformStack,
  id: string,
  config: Pick<PipelineConfig, 'tags' | 'emulator'> & Partial<Pick<PipelineConfig, 'accountId'>>,
  region: string,
  alias?: string,
): AwsProvider {
  const defaultTags = [{ tags: { ManagedBy: 'cdktf', ...config.tags } }];
  const named = alias !== undefined ? { alias } : {};
  if (config.emulator === undefined) {
    // A plan with another account's credentials fails before it reads anything.
    const allowedAccountIds = config.accountId === undefined ? {} : { allowedAccountIds: [config.accountId] };
    return new AwsProvider(stack, id, { region, defaultTags, ...named, ...allowedAccountIds });
  }
  const { endpoint, mediaconvertEndpoint } = config.emulator;
  const endpoints = Object.fromEntries(
    EMULATED_SERVICES.map((service) => [service, service === 'mediaconvert' ? (mediaconvertEndpoint ?? endpoint) : endpoint]),
  );
  return new AwsProvider(stack, id, {
    region,
    ...named,
    defaultTags,
    ...EMULATOR_CREDENTIALS,
    endpoints: [endpoints],
    s3UsePathStyle: true,
    skipCredentialsValidation: true,
    skipRequestingAccountId: true,
    skipMetadataApiCheck: 'true',
    skipRegionValidation: true,
  });
}

/**
 * The stack's state backend: S3 with encryption and S3-native locking, one key per
 * stack; or a local file for the emulator and the bootstrap stack.
 */
export function configureBackend(stack: TerraformStack, backend: PipelineConfig['backend'], stackName: string): void {
  if (backend.type === 'local') {
    new LocalBackend(stack, { path: backend.path });
    return;
  }
  new S3Backend(stack, {
    bucket: backend.bucket,
    region: backend.region,
    key: `${backend.keyPrefix}/${stackName}.tfstate`,
    encrypt: true,
  });
  // cdktf 0.21 predates `use_lockfile` (Terraform >= 1.10), which replaces DynamoDB locking.
  stack.addOverride('terraform.backend.s3.use_lockfile', true);
}
