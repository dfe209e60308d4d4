import { Construct } from 'constructs';
import { AssetType, TerraformAsset, TerraformStack } from 'cdktf';
import { DataArchiveFile } from '@cdktf/provider-archive/lib/data-archive-file';
import { ArchiveProvider } from '@cdktf/provider-archive/lib/provider';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { LAMBDA_LIMITS, LOG_RETENTION_DAYS, SQS_MAX_RETENTION_SECONDS } from '../../contracts/aws-limits';
import { FUNCTION_DEFAULTS, LAMBDA_PACKAGINGS, LAMBDA_TIMEOUT_REASON, LambdaPackaging } from '../../contracts/defaults';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PIPELINE_HANDLERS, isPipelineHandler } from '../../contracts/functions/handlers';
import { LambdaBundle, USER_HANDLER_EXTENSIONS, bundleLambda, bundleUserHandler } from '../lib/lambda-bundle';
import { InvalidPropsError } from '../lib/prop-validation';
import { checkIntegerProp, checkOneOfProp, checkPatternProp } from '../lib/prop-validation';
import { PolicyDocument, PolicyStatement, serviceTrust } from '../lib/policy';
import { EncryptionKey } from './encryption-key';

export { FUNCTION_DEFAULTS, type LambdaPackaging } from '../../contracts/defaults';

/** The settings that environments decide for every function alike. */
export type FunctionSettings = Pick<
  NodeFunctionProps,
  'packaging' | 'logRetentionDays' | 'memorySize' | 'timeoutSeconds' | 'reservedConcurrency' | 'retryAttempts' | 'maximumEventAgeSeconds'
>;

/** The settings with every default filled in. */
export function resolveFunctionSettings(settings: FunctionSettings = {}): Required<FunctionSettings> {
  return {
    packaging: settings.packaging ?? FUNCTION_DEFAULTS.packaging,
    logRetentionDays: settings.logRetentionDays ?? FUNCTION_DEFAULTS.logRetentionDays,
    memorySize: settings.memorySize ?? FUNCTION_DEFAULTS.memorySize,
    timeoutSeconds: settings.timeoutSeconds ?? FUNCTION_DEFAULTS.timeoutSeconds,
    reservedConcurrency: settings.reservedConcurrency ?? FUNCTION_DEFAULTS.reservedConcurrency,
    retryAttempts: settings.retryAttempts ?? FUNCTION_DEFAULTS.retryAttempts,
    maximumEventAgeSeconds: settings.maximumEventAgeSeconds ?? FUNCTION_DEFAULTS.maximumEventAgeSeconds,
  };
}

export interface NodeFunctionProps {
  /** Function name (1-64 letters, digits, '-' or '_'), also the base name of its role, log group and DLQ. */
  readonly functionName: string;
  /**
   * What the function runs: the name of one of this package's handlers (PIPELINE_HANDLERS, e.g.
   * `submit-job`), or the path of your own TypeScript or JavaScript file that exports `handler`,
   * absolute or relative to the directory synth runs in (where cdktf.json is). Your file is
   * bundled at synth with esbuild (install it in your project) exactly as the package's handlers
   * are: one minified index.js with your dependencies, a deterministic zip, no absolute path in
   * the synthesized configuration.
   */
  readonly entry: string;
  /**
   * `archive`: `data.archive_file` (hashicorp/archive) zips the bundle at plan time.
   * `zip`: zipped at synth time, for provider mirrors that hold only hashicorp/aws.
   * @default 'archive'
   */
  readonly packaging?: LambdaPackaging;
  /** Environment variables of the function. @default {} */
  readonly environment?: Record<string, string>;
  /**
   * Statements of the function's role besides its own logs, DLQ and tracing.
   * Keep them to the actions and resources the handler really uses.
   * @default []
   */
  readonly statements?: PolicyStatement[];
  /**
   * Retention of the function's log group, a CloudWatch Logs period.
   * @default 90
   */
  readonly logRetentionDays?: number;
  /**
   * Memory in MB (CPU scales with it).
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * Timeout in seconds (LAMBDA_LIMITS); the default 3 s of Lambda is too short for SDK retries.
   * @default 60
   */
  readonly timeoutSeconds?: number;
  /**
   * Reserved concurrency: caps the rate of downstream calls (CKV_AWS_115).
   * @default 10
   */
  readonly reservedConcurrency?: number;
  /** Async retries, 0..2. @default 2 */
  readonly retryAttempts?: number;
  /** Maximum age of an async event, 60..21600 s. @default 21600 */
  readonly maximumEventAgeSeconds?: number;
  /**
   * A customer-managed key for the function's log group and dead-letter queue; the role may use it
   * through SQS (the dead letters) and nothing else.
   * @default - the log group's service key and SSE-SQS
   */
  readonly encryptionKey?: EncryptionKey;
}

/**
 * A Node.js 22 arm64 Lambda from `lambda-src/functions/<entry>` (bundled at synth here, prebuilt in the package), with
 * its own role, its own log group with retention, active tracing, reserved concurrency,
 * and an encrypted dead-letter queue behind its async retries.
 */
export class NodeFunction extends Construct {
  readonly fn: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;
  readonly deadLetterQueue: SqsQueue;
  /** The settings in effect, defaults filled in (e.g. the timeout that claims must outlive). */
  readonly settings: Required<FunctionSettings>;
  private readonly policy: PolicyDocument;

  constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    super(scope, id);
    this.settings = resolveFunctionSettings(props);
    const { packaging, logRetentionDays, memorySize, timeoutSeconds, reservedConcurrency, retryAttempts, maximumEventAgeSeconds } =
      this.settings;
    const environment = props.environment ?? {};
    const key = props.encryptionKey;
    this.validate(props.functionName, this.settings);

    const logGroupName = `/aws/lambda/${props.functionName}`;
    key?.allowLogGroup(logGroupName);
    this.logGroup = new CloudwatchLogGroup(this, 'LogGroup', {
      name: logGroupName,
      retentionInDays: logRetentionDays,
      ...(key ? { kmsKeyId: key.arn } : {}),
    });
    this.deadLetterQueue = new SqsQueue(this, 'DeadLetterQueue', {
      name: `${props.functionName}-dlq`,
      ...(key ? { kmsMasterKeyId: key.arn } : { sqsManagedSseEnabled: true }),
      messageRetentionSeconds: SQS_MAX_RETENTION_SECONDS,
    });
    this.role = new IamRole(this, 'Role', {
      name: props.functionName,
      assumeRolePolicy: new PolicyDocument(this, 'TrustPolicy', [serviceTrust('lambda.amazonaws.com')]).json,
    });
    this.policy = new PolicyDocument(this, 'Policy', [...this.baseStatements(key), ...(props.statements ?? [])]);
    new IamRolePolicy(this, 'RolePolicy', { name: 'least-privilege', role: this.role.id, policy: this.policy.json });

    const code = this.packageCode(this.resolveEntry(props.entry, props.functionName), packaging);
    this.fn = new LambdaFunction(this, 'Function', {
      functionName: props.functionName,
      role: this.role.arn,
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      filename: code.filename,
      sourceCodeHash: code.sourceCodeHash,
      memorySize,
      timeout: timeoutSeconds,
      reservedConcurrentExecutions: reservedConcurrency,
      tracingConfig: { mode: 'Active' },
      deadLetterConfig: { targetArn: this.deadLetterQueue.arn },
      environment: { variables: environment },
      // Without the group first, the first invocation creates it with no retention.
      dependsOn: [this.logGroup],
    });
    new LambdaFunctionEventInvokeConfig(this, 'AsyncInvokeConfig', {
      functionName: this.fn.functionName,
      maximumRetryAttempts: retryAttempts,
      maximumEventAgeInSeconds: maximumEventAgeSeconds,
    });
  }

  /** The props a Lambda API call would reject, caught at synth instead of at apply. */
  private validate(functionName: string, settings: Required<FunctionSettings>): void {
    checkPatternProp(
      this,
      'functionName',
      functionName,
      /^[A-Za-z0-9_-]{1,64}$/,
      'Lambda function names are 1-64 letters, digits, hyphens or underscores',
    );
    checkOneOfProp(this, 'packaging', settings.packaging, LAMBDA_PACKAGINGS, 'the code is packaged by archive_file or zipped at synth');
    checkOneOfProp(
      this,
      'logRetentionDays',
      settings.logRetentionDays,
      LOG_RETENTION_DAYS,
      'CloudWatch Logs accepts only fixed retention periods',
    );
    checkIntegerProp(this, 'memorySize', settings.memorySize, LAMBDA_LIMITS.memorySize, 'Lambda memory is set in MB');
    checkIntegerProp(this, 'timeoutSeconds', settings.timeoutSeconds, LAMBDA_LIMITS.timeoutSeconds, LAMBDA_TIMEOUT_REASON);
    checkIntegerProp(
      this,
      'reservedConcurrency',
      settings.reservedConcurrency,
      LAMBDA_LIMITS.reservedConcurrency,
      'reserved concurrency caps the downstream call rate',
    );
    checkIntegerProp(
      this,
      'retryAttempts',
      settings.retryAttempts,
      LAMBDA_LIMITS.retryAttempts,
      'Lambda retries an asynchronous event at most twice',
    );
    checkIntegerProp(
      this,
      'maximumEventAgeSeconds',
      settings.maximumEventAgeSeconds,
      LAMBDA_LIMITS.maximumEventAgeSeconds,
      'Lambda keeps an asynchronous event from 1 minute to 6 hours',
    );
  }

  /** Grants the function's role more statements. */
  addToRolePolicy(...statements: PolicyStatement[]): void {
    this.policy.addStatements(...statements);
  }

  private baseStatements(key: EncryptionKey | undefined): PolicyStatement[] {
    return [
      // Lambda sends dead letters with the function's role: under a customer key, SQS encrypts them with it.
      ...(key ? [key.statement('EncryptOwnDeadLetters', 'sqs', ['kms:GenerateDataKey', 'kms:Decrypt'])] : []),
      {
        sid: 'WriteOwnLogs',
        effect: 'Allow',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [`${this.logGroup.arn}:*`],
      },
      { sid: 'SendToOwnDeadLetterQueue', effect: 'Allow', actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.arn] },
      // X-Ray has no resource-level permissions for these two actions.
      { sid: 'WriteTraces', effect: 'Allow', actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] },
    ];
  }

  /** The bundle of `entry` and the name its zip gets in the configuration (never a path of this machine). */
  private resolveEntry(entry: string, functionName: string): { bundle: LambdaBundle; name: string } {
    if (isPipelineHandler(entry)) return { bundle: bundleLambda(entry), name: entry };
    const file = path.resolve(entry);
    const extension = path.extname(file);
    if (!(USER_HANDLER_EXTENSIONS as readonly string[]).includes(extension)) {
      throw new InvalidPropsError(
        this,
        `'entry' is "${entry}": neither one of the package's handlers (${PIPELINE_HANDLERS.join(', ')}) nor a handler file (${USER_HANDLER_EXTENSIONS.join(', ')}). Use one of those names, or the path of your own file that exports \`handler\`.`,
      );
    }
    if (!existsSync(file)) {
      throw new InvalidPropsError(
        this,
        `'entry' is "${entry}", but ${file} does not exist. Give the path of your handler file, absolute or relative to ${process.cwd()} (where synth runs).`,
      );
    }
    return { bundle: bundleUserHandler(file), name: `custom-${functionName}` };
  }

  private packageCode(
    source: { bundle: LambdaBundle; name: string },
    packaging: LambdaPackaging,
  ): { filename: string; sourceCodeHash: string } {
    const { bundle, name } = source;
    if (packaging === 'zip') {
      const asset = new TerraformAsset(this, 'Code', { path: bundle.zipFile, type: AssetType.FILE });
      return { filename: asset.path, sourceCodeHash: bundle.zipSha256 };
    }
    const stack = TerraformStack.of(this);
    if (stack.node.tryFindChild('archive') === undefined) new ArchiveProvider(stack, 'archive');
    const asset = new TerraformAsset(this, 'Code', { path: bundle.directory, type: AssetType.DIRECTORY });
    const archive = new DataArchiveFile(this, 'Archive', {
      type: 'zip',
      sourceDir: asset.path,
      outputPath: `\${path.module}/build/${name}.zip`,
      // archive_file zeroes timestamps; fixing the mode too makes the hash machine-independent.
      outputFileMode: '0644',
    });
    return { filename: archive.outputPath, sourceCodeHash: archive.outputBase64Sha256 };
  }
}
