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
import { bundleLambda } from '../lib/lambda-bundle';
import { PolicyDocument, PolicyStatement, serviceTrust } from '../lib/policy';

/** How the bundle becomes the zip that Lambda receives. */
export type LambdaPackaging = 'archive' | 'zip';

/** The settings that environments decide for every function alike. */
export type FunctionSettings = Pick<
  NodeFunctionProps,
  'packaging' | 'logRetentionDays' | 'memorySize' | 'timeoutSeconds' | 'reservedConcurrency' | 'retryAttempts' | 'maximumEventAgeSeconds'
>;

export interface NodeFunctionProps {
  /** Function name, also the log group's and the DLQ's base name. */
  readonly functionName: string;
  /** Handler directory under `lambda-src/`, e.g. `submit-job`. */
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
  /** @default 90 */
  readonly logRetentionDays?: number;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default 60 */
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
}

/**
 * A Node.js 22 arm64 Lambda from `lambda-src/<entry>`, bundled by esbuild at synth, with
 * its own role, its own log group with retention, active tracing, reserved concurrency,
 * and an encrypted dead-letter queue behind its async retries.
 */
export class NodeFunction extends Construct {
  readonly fn: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;
  readonly deadLetterQueue: SqsQueue;
  private readonly policy: PolicyDocument;

  constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    super(scope, id);
    const packaging = props.packaging ?? 'archive';
    const environment = props.environment ?? {};
    const logRetentionDays = props.logRetentionDays ?? 90;
    const memorySize = props.memorySize ?? 256;
    const timeoutSeconds = props.timeoutSeconds ?? 60;
    const reservedConcurrency = props.reservedConcurrency ?? 10;
    const retryAttempts = props.retryAttempts ?? 2;
    const maximumEventAgeSeconds = props.maximumEventAgeSeconds ?? 21_600;

    this.logGroup = new CloudwatchLogGroup(this, 'LogGroup', {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: logRetentionDays,
    });
    this.deadLetterQueue = new SqsQueue(this, 'DeadLetterQueue', {
      name: `${props.functionName}-dlq`,
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: 1_209_600,
    });
    this.role = new IamRole(this, 'Role', {
      name: props.functionName,
      assumeRolePolicy: new PolicyDocument(this, 'TrustPolicy', [serviceTrust('lambda.amazonaws.com')]).json,
    });
    this.policy = new PolicyDocument(this, 'Policy', [...this.baseStatements(), ...(props.statements ?? [])]);
    new IamRolePolicy(this, 'RolePolicy', { name: 'least-privilege', role: this.role.id, policy: this.policy.json });

    const code = this.packageCode(props.entry, packaging);
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

  /** Grants the function's role more statements. */
  addToRolePolicy(...statements: PolicyStatement[]): void {
    this.policy.addStatements(...statements);
  }

  private baseStatements(): PolicyStatement[] {
    return [
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

  private packageCode(entry: string, packaging: LambdaPackaging): { filename: string; sourceCodeHash: string } {
    const bundle = bundleLambda(entry);
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
      outputPath: `\${path.module}/build/${entry}.zip`,
      // archive_file zeroes timestamps; fixing the mode too makes the hash machine-independent.
      outputFileMode: '0644',
    });
    return { filename: archive.outputPath, sourceCodeHash: archive.outputBase64Sha256 };
  }
}
