import { Construct } from 'constructs';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import { VIDEO_EXTENSIONS } from '../../lambda-src/lib/keys';
import { EncodingLadder, serializeLadder } from '../../lambda-src/lib/ladder';
import { accountIdOf } from '../lib/account';
import { FunctionSettings, NodeFunction } from './node-function';
import { JobsTable } from './jobs-table';
import { SecureBucket } from './secure-bucket';
import { Transcoding } from './transcoding';

/**
 * Suffix rules of the notification: each video extension in lower and upper case.
 * S3 suffix filters are case-sensitive; mixed case (".Mp4") is not covered by a rule.
 */
export function videoSuffixes(): string[] {
  return VIDEO_EXTENSIONS.flatMap((ext) => [`.${ext}`, `.${ext.toUpperCase()}`]);
}

export interface IngestProps {
  /** Pipeline id, e.g. `vod-dev`: names resources and tags every job's UserMetadata. */
  readonly pipelineId: string;
  readonly sourceBucket: SecureBucket;
  readonly outputBucket: SecureBucket;
  readonly transcoding: Transcoding;
  readonly jobsTable: JobsTable;
  /** The encoding ladder, passed to the function as JSON. */
  readonly ladder: EncodingLadder;
  /** @default 'SECONDS_60' */
  readonly statusUpdateInterval?: string;
  /** @default 'PREFERRED' */
  readonly accelerationMode?: 'DISABLED' | 'ENABLED' | 'PREFERRED';
  /** Packaging, memory, timeout, concurrency, retries and log retention of the function. */
  readonly functionSettings?: FunctionSettings;
}

/**
 * Upload → job: the source bucket notifies the submit function for every video suffix,
 * and the function creates one MediaConvert job per upload.
 */
export class Ingest extends Construct {
  readonly submitFunction: NodeFunction;
  readonly notification: S3BucketNotification;

  constructor(scope: Construct, id: string, props: IngestProps) {
    super(scope, id);
    const statusUpdateInterval = props.statusUpdateInterval ?? 'SECONDS_60';
    const accelerationMode = props.accelerationMode ?? 'PREFERRED';
    const { queue, role } = props.transcoding;
    const table = props.jobsTable.table;

    this.submitFunction = new NodeFunction(this, 'SubmitJob', {
      ...props.functionSettings,
      functionName: `${props.pipelineId}-submit-job`,
      entry: 'submit-job',
      environment: {
        PIPELINE_ID: props.pipelineId,
        MEDIACONVERT_QUEUE_ARN: queue.arn,
        MEDIACONVERT_ROLE_ARN: role.arn,
        OUTPUT_BUCKET: props.outputBucket.bucketName,
        JOBS_TABLE: table.name,
        ENCODING_LADDER: serializeLadder(props.ladder),
        STATUS_UPDATE_INTERVAL: statusUpdateInterval,
        ACCELERATION_MODE: accelerationMode,
        // A claim older than one invocation belongs to a timed-out attempt.
        CLAIM_TTL_SECONDS: String(props.functionSettings?.timeoutSeconds ?? 60),
      },
      statements: [
        { sid: 'CreateJobsOnOwnQueue', effect: 'Allow', actions: ['mediaconvert:CreateJob'], resources: [queue.arn] },
        {
          sid: 'PassServiceRoleToMediaConvert',
          effect: 'Allow',
          actions: ['iam:PassRole'],
          resources: [role.arn],
          condition: [{ test: 'StringEquals', variable: 'iam:PassedToService', values: ['mediaconvert.amazonaws.com'] }],
        },
        { sid: 'ClaimAndRecordJobs', effect: 'Allow', actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], resources: [table.arn] },
        // Probe has no resource-level permissions; it reads the source with the caller's credentials.
        { sid: 'ProbeSources', effect: 'Allow', actions: ['mediaconvert:Probe'], resources: ['*'] },
        // Probe's read, and the ranged reads of the MP4/MOV header for the rotation.
        {
          sid: 'ReadSourceObjects',
          effect: 'Allow',
          actions: ['s3:GetObject', 's3:GetObjectVersion'],
          resources: [`${props.sourceBucket.bucketArn}/*`],
        },
      ],
    });

    const permission = new LambdaPermission(this, 'AllowSourceBucketInvoke', {
      statementId: 'AllowSourceBucketInvoke',
      action: 'lambda:InvokeFunction',
      functionName: this.submitFunction.fn.functionName,
      principal: 's3.amazonaws.com',
      sourceArn: props.sourceBucket.bucketArn,
      sourceAccount: accountIdOf(this),
    });
    this.notification = new S3BucketNotification(this, 'SourceNotification', {
      bucket: props.sourceBucket.bucket.id,
      lambdaFunction: videoSuffixes().map((suffix) => ({
        id: `video-upload${suffix.replace('.', '-')}`,
        lambdaFunctionArn: this.submitFunction.fn.arn,
        events: ['s3:ObjectCreated:*'],
        filterSuffix: suffix,
      })),
      // S3 test-invokes every destination when the configuration is saved.
      dependsOn: [permission],
    });
  }
}
