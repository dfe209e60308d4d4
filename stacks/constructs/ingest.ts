import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import { VIDEO_EXTENSIONS } from '../../contracts/storage-layout';
import { EncodingLadder } from '../../contracts/ladder';
import {
  ACCELERATION_MODES,
  HDR_MODES,
  HdrMode,
  AccelerationMode,
  MAX_ACCELERATION_MIN_SOURCE_MINUTES,
  STATUS_UPDATE_INTERVALS,
  StatusUpdateInterval,
  toEnvironment,
} from '../../contracts/functions/submit-job';
import { MEDIACONVERT_PRICES, PriceTable } from '../../contracts/pricing';
import { DEFAULT_UPLOAD_LIMITS, UPLOAD_LIMIT_RANGES, UploadLimits } from '../../contracts/upload-limits';
import { requestTimeoutMsFor } from '../../contracts/time-budget';
import { INGEST_DEFAULTS } from '../../contracts/defaults';
import { accountIdOf } from '../lib/account';
import { checkIntegerProp, checkNumberProp, checkOneOfProp } from '../lib/prop-validation';
import { FunctionSettings, NodeFunction, resolveFunctionSettings } from './node-function';
import { JobsTable } from './jobs-table';
import { SecureBucket } from './secure-bucket';
import { Transcoding } from './transcoding';
import { EncryptionKey } from './encryption-key';

/**
 * Suffix rules of the notification: each video extension in lower and upper case.
 * S3 suffix filters are case-sensitive; mixed case (".Mp4") is not covered by a rule.
 */
export function videoSuffixes(): string[] {
  return VIDEO_EXTENSIONS.flatMap((ext) => [`.${ext}`, `.${ext.toUpperCase()}`]);
}

export { INGEST_DEFAULTS } from '../../contracts/defaults';

export interface IngestProps {
  /** Pipeline id, e.g. `vod-dev`: names resources and tags every job's UserMetadata. */
  readonly pipelineId: string;
  /** Bucket whose uploads become jobs; its notification invokes the submit function. */
  readonly sourceBucket: SecureBucket;
  /** Bucket the jobs write renditions to. */
  readonly outputBucket: SecureBucket;
  /** The MediaConvert queue jobs go to and the role they run as. */
  readonly transcoding: Transcoding;
  /** Table the function claims each upload in before it creates the job. */
  readonly jobsTable: JobsTable;
  /** The encoding ladder, passed to the function as compact JSON. */
  readonly ladder: EncodingLadder;
  /** The job notifications topic: an upload that ends FAILED before any job (over a limit, not a video) is announced there. */
  readonly notificationTopicArn: string;
  /**
   * What one upload may be and cost. Above a limit the upload is recorded FAILED with the reason
   * (SOURCE_TOO_LARGE, SOURCE_TOO_LONG, COST_OVER_LIMIT), announced, and no job is created.
   * @default DEFAULT_UPLOAD_LIMITS (20 GiB, 240 minutes, 25 USD)
   */
  readonly limits?: UploadLimits;
  /**
   * How often MediaConvert emits STATUS_UPDATE events for a job.
   * @default 'SECONDS_60'
   */
  readonly statusUpdateInterval?: StatusUpdateInterval;
  /**
   * Job acceleration. Anything but DISABLED may bill the whole job at Professional-tier rates.
   * @default 'DISABLED'
   */
  readonly accelerationMode?: AccelerationMode;
  /**
   * With an acceleration mode, accelerate only sources at least this many minutes long (0: every source),
   * so only long jobs, where speed matters, pay Professional-tier rates.
   * @default 0
   */
  readonly accelerationMinSourceMinutes?: number;
  /**
   * What an HDR (HDR10/HLG) source becomes: `tone-map` (SDR H.264 only) or `hevc-ladder` (an HEVC HDR
   * ladder beside the SDR one, billed at the Professional tier).
   * @default 'tone-map'
   */
  readonly hdr?: HdrMode;
  /**
   * The MediaConvert price table of the function's cost estimates (contracts/pricing.ts).
   * @default MEDIACONVERT_PRICES
   */
  readonly prices?: PriceTable;
  /**
   * Packaging, memory, timeout, concurrency, retries and log retention of the function.
   * @default - the defaults of NodeFunction (FUNCTION_DEFAULTS)
   */
  readonly functionSettings?: FunctionSettings;
  /**
   * The customer-managed key of the buckets, table and topic: the function may decrypt source
   * objects, table items and publish under it, each only through its service.
   * @default - AWS managed keys
   */
  readonly encryptionKey?: EncryptionKey;
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
    const statusUpdateInterval = props.statusUpdateInterval ?? INGEST_DEFAULTS.statusUpdateInterval;
    const accelerationMode = props.accelerationMode ?? INGEST_DEFAULTS.accelerationMode;
    const accelerationMinSourceMinutes = props.accelerationMinSourceMinutes ?? INGEST_DEFAULTS.accelerationMinSourceMinutes;
    const hdr = props.hdr ?? INGEST_DEFAULTS.hdr;
    const functionSettings = resolveFunctionSettings(props.functionSettings);
    const limits = props.limits ?? DEFAULT_UPLOAD_LIMITS;
    for (const [name, range] of Object.entries(UPLOAD_LIMIT_RANGES)) {
      checkNumberProp(this, `limits.${name}`, limits[name as keyof UploadLimits], range, 'it bounds what one upload may cost');
    }
    checkOneOfProp(
      this,
      'statusUpdateInterval',
      statusUpdateInterval,
      STATUS_UPDATE_INTERVALS,
      'MediaConvert accepts only these intervals',
    );
    checkOneOfProp(this, 'accelerationMode', accelerationMode, ACCELERATION_MODES, 'it is the AccelerationSettings.Mode of CreateJob');
    checkOneOfProp(this, 'hdr', hdr, HDR_MODES, 'it says what an HDR source becomes');
    checkIntegerProp(
      this,
      'accelerationMinSourceMinutes',
      accelerationMinSourceMinutes,
      { min: 0, max: MAX_ACCELERATION_MIN_SOURCE_MINUTES },
      'it is a source length in whole minutes',
    );
    const { queue, role } = props.transcoding;
    const table = props.jobsTable.table;
    // Jobs have no queue in their ARN: every job of this account and region.
    const jobArns = Fn.replace(queue.arn, '/:queues/.*$/', ':jobs/*');
    const key = props.encryptionKey;

    this.submitFunction = new NodeFunction(this, 'SubmitJob', {
      ...functionSettings,
      functionName: `${props.pipelineId}-submit-job`,
      entry: 'submit-job',
      encryptionKey: key,
      environment: toEnvironment({
        pipeline: props.pipelineId,
        queueArn: queue.arn,
        roleArn: role.arn,
        outputBucket: props.outputBucket.bucketName,
        jobsTable: table.name,
        ladder: props.ladder,
        statusUpdateInterval,
        accelerationMode,
        accelerationMinSourceMinutes,
        hdr,
        // A claim older than one invocation belongs to a timed-out attempt.
        claimTtlSeconds: functionSettings.timeoutSeconds,
        requestTimeoutMs: requestTimeoutMsFor(functionSettings.timeoutSeconds),
        prices: props.prices ?? MEDIACONVERT_PRICES,
        limits,
        topicArn: props.notificationTopicArn,
      }),
      statements: [
        { sid: 'CreateJobsOnOwnQueue', effect: 'Allow', actions: ['mediaconvert:CreateJob'], resources: [queue.arn] },
        {
          sid: 'PassServiceRoleToMediaConvert',
          effect: 'Allow',
          actions: ['iam:PassRole'],
          resources: [role.arn],
          condition: [{ test: 'StringEquals', variable: 'iam:PassedToService', values: ['mediaconvert.amazonaws.com'] }],
        },
        // Before re-creating a job whose CreateJob answer was lost: GetJob by id, or SearchJobs on the queue.
        { sid: 'FindEarlierJobsOnOwnQueue', effect: 'Allow', actions: ['mediaconvert:SearchJobs'], resources: [queue.arn] },
        { sid: 'ReadEarlierJobs', effect: 'Allow', actions: ['mediaconvert:GetJob'], resources: [jobArns] },
        { sid: 'ClaimAndRecordJobs', effect: 'Allow', actions: ['dynamodb:UpdateItem'], resources: [table.arn] },
        { sid: 'AnnounceFailedUploads', effect: 'Allow', actions: ['sns:Publish'], resources: [props.notificationTopicArn] },
        // Probe has no resource-level permissions; it reads the source with the caller's credentials.
        { sid: 'ProbeSources', effect: 'Allow', actions: ['mediaconvert:Probe'], resources: ['*'] },
        // Probe's read, and the ranged reads of the MP4/MOV header for the rotation.
        {
          sid: 'ReadSourceObjects',
          effect: 'Allow',
          actions: ['s3:GetObject', 's3:GetObjectVersion'],
          resources: [`${props.sourceBucket.bucketArn}/*`],
        },
        ...props.jobsTable.keyStatements(),
        ...(key
          ? [
              // With a bucket key the encryption context is the bucket's ARN: source objects only.
              key.statement('DecryptSourceObjects', 's3', ['kms:Decrypt'], { key: 'aws:s3:arn', values: [props.sourceBucket.bucketArn] }),
              key.statement('PublishUnderTopicKey', 'sns', ['kms:GenerateDataKey', 'kms:Decrypt']),
            ]
          : []),
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
