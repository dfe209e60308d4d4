import { z } from 'zod';
import { DEFAULT_RUNGS, EncodingLadderSchema } from '../contracts/ladder';
import { formatZodIssues } from '../contracts/errors';
import { FEATURE_TIERS, PriceTableSchema } from '../contracts/pricing';
import {
  ACCELERATION_MODES,
  HDR_MODES,
  MAX_ACCELERATION_MIN_SOURCE_MINUTES,
  STATUS_UPDATE_INTERVALS,
} from '../contracts/functions/submit-job';
import { COLD_STORAGE_CLASSES, LAMBDA_LIMITS, LOG_RETENTION_DAYS, MIN_TRANSITION_DAYS, PRICE_CLASSES } from '../contracts/aws-limits';
import { MIN_CONFIDENCE_RANGE, TOP_LABELS_RANGE } from '../contracts/functions/content-analysis';
import { DEFAULT_UPLOAD_LIMITS, UPLOAD_LIMIT_RANGES } from '../contracts/upload-limits';
import {
  DOMAIN_NAME_PATTERN,
  HOSTED_ZONE_ID_PATTERN,
  MAX_PUBLIC_KEYS,
  PUBLIC_KEY_ID_PATTERN,
  PUBLIC_KEY_PEM_PATTERN,
  RATE_LIMIT_RANGE,
  US_EAST_1_CERTIFICATE_PATTERN,
} from '../contracts/delivery-options';
import {
  CONTENT_ANALYSIS_DEFAULTS,
  CORS_ORIGIN_PATTERN,
  DELIVERY_DEFAULTS,
  FUNCTION_DEFAULTS,
  INGEST_DEFAULTS,
  JOB_SWEEP_DEFAULTS,
  JOB_SWEEP_RANGES,
  KMS_KEY_MODES,
  LAMBDA_PACKAGINGS,
  LAMBDA_TIMEOUT_REASON,
  MONITORING_DEFAULTS,
  MONITORING_RANGES,
  STORAGE_DEFAULTS,
} from '../contracts/defaults';

export { LOG_RETENTION_DAYS } from '../contracts/aws-limits';

/** An AWS region name, e.g. `eu-west-1`. */
const regionSchema = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region such as "eu-west-1"');

/** An IAM managed policy ARN, in any partition. */
const IAM_POLICY_ARN = /^arn:aws(-[a-z]+)*:iam::(\d{12}|aws):policy\/[\w+=,.@\/-]+$/;

type Range = { readonly min: number; readonly max: number };

/** A number setting checked against its range. */
const within = (range: Range, why = '') =>
  z.number().min(range.min, `must be at least ${range.min}${why}`).max(range.max, `must be at most ${range.max}${why}`);

/** An integer setting checked against its range (often a service limit). */
const limited = (range: Range, why = '') => within(range, why).int();

/** Services the stack talks to; the `local` environment points each at the emulator. */
export const EMULATED_SERVICES = [
  's3',
  'iam',
  'sts',
  'lambda',
  'cloudfront',
  'events',
  'sns',
  'sqs',
  'dynamodb',
  'cloudwatch',
  'logs',
  'kms',
  'mediaconvert',
] as const;
export type EmulatedService = (typeof EMULATED_SERVICES)[number];

const S3BackendSchema = z.strictObject({
  type: z.literal('s3').describe('State in S3, encrypted, locked with an S3 lockfile (`use_lockfile`).'),
  bucket: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)')
    .describe('State bucket, created by the bootstrap stack. Override with `TF_STATE_BUCKET`.'),
  region: regionSchema.describe('Region of the state bucket. Override with `TF_STATE_REGION`.'),
  keyPrefix: z
    .string()
    .regex(/^[A-Za-z0-9!_.*'()\/-]+$/, 'must be a plain S3 key prefix without leading or trailing slash')
    .refine((p) => !p.startsWith('/') && !p.endsWith('/'), 'must not start or end with "/"')
    .describe('Key prefix; each stack writes `<keyPrefix>/<stack>.tfstate`. Override with `TF_STATE_KEY_PREFIX`.'),
});

const LocalBackendSchema = z.strictObject({
  type: z.literal('local').describe('State in a local file: for the emulator and throwaway environments.'),
  path: z.string().default('terraform.tfstate').describe("Path of the state file, relative to the stack's synth directory."),
});

/** Everything one environment of the pipeline can decide. Defaults are the secure choice. */
export const PipelineConfigSchema = z
  .strictObject({
    environment: z
      .string()
      .regex(/^[a-z][a-z0-9]{1,9}$/, 'use 2-10 lowercase letters or digits, starting with a letter')
      .describe(
        'Environment name (`dev`, `prod`, `local`…): part of every resource name and of the pipeline id `<namePrefix>-<environment>`.',
      ),
    namePrefix: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,11}[a-z0-9]$/, 'use 2-13 lowercase letters, digits or hyphens, e.g. "vod"')
      .default('vod')
      .describe('Prefix of every resource name. Keep it short: bucket names are limited to 63 characters.'),
    region: regionSchema.default('us-east-1').describe('AWS region of the pipeline.'),
    accountId: z
      .string()
      .regex(/^\d{12}$/, 'must be a 12-digit AWS account id, e.g. "123456789012"')
      .optional()
      .describe(
        "The AWS account this environment deploys to, rendered as the provider's `allowed_account_ids`: a plan or apply with another account's credentials fails before it reads anything. One account per environment is the recommended setup.",
      ),
    iam: z
      .strictObject({
        permissionsBoundaryArn: z
          .string()
          .regex(IAM_POLICY_ARN, 'must be an IAM policy ARN such as "arn:aws:iam::123456789012:policy/vod-pipeline-boundary-dev"')
          .optional()
          .describe(
            'Permissions boundary set on every role the stack creates: the `permissions_boundary_arns` output of `examples/ci-roles`, whose deploy roles create roles only under it.',
          ),
      })
      .prefault({})
      .describe('IAM settings of the roles the stack creates.'),
    tags: z
      .record(z.string(), z.string().max(256))
      .default({})
      .describe(
        "Tags on every resource, through the provider's `default_tags` (plus `ManagedBy = cdktf` and `PipelineId = <pipeline id>`, which the CI deploy roles scope by).",
      ),
    backend: z
      .discriminatedUnion('type', [S3BackendSchema, LocalBackendSchema])
      .describe(
        'Where Terraform keeps the state of this environment: `{ type: "s3", bucket, region, keyPrefix }` or `{ type: "local", path }`.',
      ),
    production: z
      .boolean()
      .default(false)
      .describe(
        'A production environment: CORS may not allow every origin (`delivery.corsAllowedOrigins: ["*"]` is refused). Costs nothing.',
      ),
    forceDestroy: z
      .boolean()
      .default(STORAGE_DEFAULTS.forceDestroy)
      .describe('Let `terraform destroy` delete non-empty buckets and the jobs table. Only for throwaway environments.'),
    logRetentionDays: z
      .number()
      .refine(
        (n) => (LOG_RETENTION_DAYS as readonly number[]).includes(n),
        `must be one of the CloudWatch Logs values: ${LOG_RETENTION_DAYS.join(', ')}`,
      )
      .default(FUNCTION_DEFAULTS.logRetentionDays)
      .describe(`Retention of every CloudWatch log group, in days: one of the CloudWatch Logs values (${LOG_RETENTION_DAYS.join(', ')}).`),
    encryption: z
      .strictObject({
        kmsKey: z
          .enum(KMS_KEY_MODES)
          .default('aws-managed')
          .describe(
            '`aws-managed`: SSE-S3 buckets, AWS owned/managed keys for the table, topics and queues, and only the alarm topic under a key of its own. `customer`: one KMS key of this environment (rotated yearly, alias `alias/<pipeline>-key`, 30-day deletion window) encrypts the source and output buckets (SSE-KMS with bucket keys), the jobs table, the topics, the dead-letter queues and the log groups; its key policy admits only the services that use it (CloudFront for this distribution, CloudWatch Logs for these log groups, EventBridge and SNS for their dead letters, CloudWatch alarms) and roles get only the calls they make through S3, DynamoDB, SNS or SQS. It protects the data by a key you control and audit (CloudTrail logs every use; disabling the key makes the data unreadable). Costs about 1 USD/month for the key plus 0.03 USD per 10,000 requests (bucket keys keep S3 requests few). The access-log bucket stays SSE-S3: S3 server access logging cannot write to SSE-KMS buckets.',
          ),
      })
      .prefault({})
      .describe('Who owns the keys that encrypt the data at rest.'),
    storage: z
      .strictObject({
        sourceTransitionDays: z
          .number()
          .int()
          .min(MIN_TRANSITION_DAYS, `must be at least ${MIN_TRANSITION_DAYS} (S3 minimum before STANDARD_IA)`)
          .default(STORAGE_DEFAULTS.sourceTransitionDays)
          .describe('Days after upload before source originals move to `sourceColdStorageClass`.'),
        sourceColdStorageClass: z
          .enum(COLD_STORAGE_CLASSES)
          .default(STORAGE_DEFAULTS.sourceColdStorageClass)
          .describe('Storage class source originals move to.'),
        noncurrentVersionExpirationDays: z
          .number()
          .int()
          .min(1)
          .default(STORAGE_DEFAULTS.noncurrentVersionExpirationDays)
          .describe('Days before replaced (noncurrent) source versions are deleted.'),
        accessLogExpirationDays: z
          .number()
          .int()
          .min(1)
          .default(STORAGE_DEFAULTS.accessLogExpirationDays)
          .describe('Days before access logs are deleted.'),
      })
      .prefault({})
      .describe('The buckets: when source originals go cold, when old versions and access logs expire.'),
    delivery: z
      .strictObject({
        priceClass: z
          .enum(PRICE_CLASSES)
          .default(DELIVERY_DEFAULTS.priceClass)
          .describe('CloudFront price class: which edge locations serve viewers.'),
        corsAllowedOrigins: z
          .array(z.string().regex(CORS_ORIGIN_PATTERN, 'use "*" or an origin such as "https://player.example.com"'))
          .min(1)
          .optional()
          .describe(
            'Origins allowed by CORS, for players (hls.js) on another site: `"*"` or origins such as `"https://player.example.com"`. Unset: `["*"]`, or in a `production` environment only the distribution\'s own names.',
          ),
        waitForDeployment: z
          .boolean()
          .default(DELIVERY_DEFAULTS.waitForDeployment)
          .describe('Wait for the distribution to deploy. Turn off only against emulators.'),
        responseHeadersPolicy: z
          .boolean()
          .default(DELIVERY_DEFAULTS.responseHeadersPolicy)
          .describe('Own response-headers policy (CORS and security headers). Turn off only against emulators, which do not implement it.'),
        domain: z
          .strictObject({
            names: z
              .array(z.string().regex(DOMAIN_NAME_PATTERN, 'use a lowercase DNS name such as "video.example.com"'))
              .min(1)
              .describe('The DNS names viewers use.'),
            certificateArn: z
              .string()
              .regex(
                US_EAST_1_CERTIFICATE_PATTERN,
                'must be an ACM certificate ARN in us-east-1: CloudFront only uses certificates from us-east-1; request or import it there',
              )
              .optional()
              .describe('An ACM certificate in us-east-1 covering the names.'),
            hostedZoneId: z
              .string()
              .regex(HOSTED_ZONE_ID_PATTERN, 'must be a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ"')
              .optional()
              .describe(
                'A Route 53 hosted zone of the names: a certificate is requested in us-east-1, validated by DNS, and alias records are created.',
              ),
          })
          .refine((domain) => domain.certificateArn !== undefined || domain.hostedZoneId !== undefined, {
            message: 'give certificateArn (a us-east-1 ACM certificate) or hostedZoneId (to request and DNS-validate one)',
          })
          .optional()
          .describe(
            "The company's own names for the distribution, with TLS 1.2+ (`TLSv1.2_2021`). Costs: ACM public certificates are free; Route 53 queries to alias records of CloudFront are free.",
          ),
        signedPlayback: z
          .strictObject({
            publicKeys: z
              .array(
                z.strictObject({
                  id: z.string().regex(PUBLIC_KEY_ID_PATTERN, 'use 1-64 letters, digits, "-" or "_"').describe('A name for the key.'),
                  pem: z
                    .string()
                    .regex(PUBLIC_KEY_PEM_PATTERN, 'must be a PEM public key (openssl rsa -pubout): -----BEGIN PUBLIC KEY-----')
                    .describe('The public key, PEM.'),
                }),
              )
              .min(1)
              .max(MAX_PUBLIC_KEYS, `a CloudFront key group holds at most ${MAX_PUBLIC_KEYS} keys`)
              .describe('The public keys of the CloudFront key group; sign with the private key (`npm run sign`).'),
          })
          .optional()
          .describe(
            'Private playback: every served path needs a cookie or URL signed by one of these keys (`npm run sign`). Costs nothing extra; protects unreleased or paid content.',
          ),
        waf: z
          .strictObject({
            rateLimitPer5Minutes: limited(RATE_LIMIT_RANGE, " (WAF's limits)").describe(
              'Requests one IP may make in 5 minutes before it is blocked.',
            ),
          })
          .optional()
          .describe(
            "A WAF web ACL on the distribution: a per-IP rate limit, AWS's common rule group and its known-bad-inputs rule group. Costs about 5 USD/month per ACL + 1 USD/month per rule + 0.60 USD per million requests; caps egress abuse.",
          ),
      })
      .prefault({})
      .describe('CloudFront in front of the output bucket.'),
    player: z
      .strictObject({
        enabled: z
          .boolean()
          .default(true)
          .describe(
            'Publish the player page (`/player/index.html?asset=<assetId>`) under the distribution. Turn off when you bring your own player.',
          ),
      })
      .prefault({})
      .describe('The static HLS player page (hls.js, poster, rendition menu, scrubbing previews) served with the videos.'),
    lambda: z
      .strictObject({
        packaging: z
          .enum(LAMBDA_PACKAGINGS)
          .default(FUNCTION_DEFAULTS.packaging)
          .describe(
            '`archive`: hashicorp/archive zips the bundle at plan time (`archive_file`). `zip`: zipped at synth time, for provider mirrors that hold only hashicorp/aws.',
          ),
        memorySize: limited(LAMBDA_LIMITS.memorySize).default(FUNCTION_DEFAULTS.memorySize).describe('Memory of each function, in MB.'),
        timeoutSeconds: limited(LAMBDA_LIMITS.timeoutSeconds, `; ${LAMBDA_TIMEOUT_REASON}`)
          .default(FUNCTION_DEFAULTS.timeoutSeconds)
          .describe("Timeout of each function, in seconds. At least 10: Lambda's default 3 s is too short for SDK retries."),
        reservedConcurrency: limited(LAMBDA_LIMITS.reservedConcurrency)
          .default(FUNCTION_DEFAULTS.reservedConcurrency)
          .describe('Reserved concurrency of each function; caps concurrent CreateJob calls (CKV_AWS_115).'),
        retryAttempts: limited(LAMBDA_LIMITS.retryAttempts)
          .default(FUNCTION_DEFAULTS.retryAttempts)
          .describe("Lambda's retries of a failed asynchronous invocation before the event goes to the dead-letter queue."),
        maximumEventAgeSeconds: limited(LAMBDA_LIMITS.maximumEventAgeSeconds)
          .default(FUNCTION_DEFAULTS.maximumEventAgeSeconds)
          .describe('How long Lambda keeps retrying an asynchronous event before it goes to the dead-letter queue, in seconds.'),
      })
      .prefault({})
      .describe('Every function of the pipeline: packaging, size, and the asynchronous retries before the dead-letter queue.'),
    transcoding: z
      .strictObject({
        ladder: z
          .prefault(EncodingLadderSchema, { rungs: [...DEFAULT_RUNGS] })
          .describe(
            'The encoding ladder: the ceiling and the rung list of every job, never a promise (no rendition is larger than the source). It reaches the submit function as compact JSON in `ENCODING_LADDER`, so a change is a readable line in `terraform plan`; the function validates it again at cold start.',
          ),
        statusUpdateInterval: z
          .enum(STATUS_UPDATE_INTERVALS)
          .default(INGEST_DEFAULTS.statusUpdateInterval)
          .describe('How often MediaConvert emits STATUS_UPDATE events.'),
        accelerationMode: z
          .enum(ACCELERATION_MODES)
          .default(INGEST_DEFAULTS.accelerationMode)
          .describe('Job acceleration: anything but `DISABLED` may bill the whole job at Professional-tier rates.'),
        accelerationMinSourceMinutes: z
          .number()
          .int()
          .min(0)
          .max(MAX_ACCELERATION_MIN_SOURCE_MINUTES)
          .default(INGEST_DEFAULTS.accelerationMinSourceMinutes)
          .describe(
            'With an acceleration mode, accelerate only sources at least this many minutes long (0: all); sources of unknown length never are.',
          ),
        hdr: z
          .enum(HDR_MODES)
          .default(INGEST_DEFAULTS.hdr)
          .describe(
            `What an HDR10 or HLG upload becomes. \`tone-map\`: SDR H.264 only (Basic tier). \`hevc-ladder\`: also an HEVC Main10 (hvc1) ladder keeping the HDR (VIDEO-RANGE PQ or HLG) beside the SDR H.264 ladder, both in one fMP4/CMAF master playlist. Cost: ${FEATURE_TIERS.hevc.tier === 'PROFESSIONAL' ? 'HEVC is a Professional-tier feature, so every output of such a job, the H.264 ones included, bills at the Professional rate, and the HEVC rungs are extra outputs' : 'HEVC bills at the Basic tier'} (${FEATURE_TIERS.hevc.confirmed ? '' : 'assumption: '}${FEATURE_TIERS.hevc.source}). SDR uploads are unaffected.`,
          ),
      })
      .prefault({})
      .describe('What MediaConvert makes of each upload, and on which pricing tier.'),
    monitoring: z
      .strictObject({
        overdueJobMinutes: limited(JOB_SWEEP_RANGES.overdueJobMinutes)
          .default(JOB_SWEEP_DEFAULTS.overdueJobMinutes)
          .describe(
            "A job without a terminal state this many minutes after submission counts as overdue (the sweep's `OverdueJobs`, alarm `<pipeline>-overdue-jobs`).",
          ),
        sweepIntervalMinutes: limited(JOB_SWEEP_RANGES.intervalMinutes)
          .default(JOB_SWEEP_DEFAULTS.intervalMinutes)
          .describe("Minutes between sweeps of the jobs table's open records."),
        alarmEmail: z
          .email('must be an e-mail address')
          .optional()
          .describe('Optional e-mail subscription to the alarm topic (needs confirming by mail).'),
        errorRateThresholdPercent: within(MONITORING_RANGES.errorRateThresholdPercent)
          .default(MONITORING_DEFAULTS.errorRateThresholdPercent)
          .describe('Alarm when more than this percent of the jobs finished in `errorRatePeriodMinutes` ended in ERROR.'),
        errorRatePeriodMinutes: limited(MONITORING_RANGES.errorRatePeriodMinutes)
          .default(MONITORING_DEFAULTS.errorRatePeriodMinutes)
          .describe('The window of the job error rate, in minutes.'),
        dailyCostBudgetUsd: within(MONITORING_RANGES.dailyCostBudgetUsd)
          .default(MONITORING_DEFAULTS.dailyCostBudgetUsd)
          .describe("Alarm when the estimated MediaConvert cost of one UTC day's completed jobs exceeds this, in USD."),
      })
      .prefault({})
      .describe('The job sweep and the alarms (what each alarm means and what to do: docs/operating.md).'),
    notifications: z
      .strictObject({
        email: z
          .email('must be an e-mail address')
          .optional()
          .describe('Optional e-mail subscription to job notifications (needs confirming by mail).'),
      })
      .prefault({})
      .describe('Subscriptions to the job notifications topic.'),
    pricing: z
      .prefault(PriceTableSchema, {})
      .describe(
        'The MediaConvert price table of every estimate (record, metric, `npm run estimate`); `contracts/pricing.ts` documents the figures, their source and date. Override any figure when your prices differ (region, volume tier), e.g. `{ basicPerNormalizedMinute: 0.0085, asOf: "2026-01" }`; the rest keeps its default. It reaches the submit and job-events functions as JSON in `PRICE_TABLE`, validated again at cold start.',
      ),
    limits: z
      .strictObject({
        maxSourceBytes: within(UPLOAD_LIMIT_RANGES.maxSourceBytes, ' bytes')
          .default(DEFAULT_UPLOAD_LIMITS.maxSourceBytes)
          .describe('Largest source accepted, in bytes.'),
        maxSourceMinutes: within(UPLOAD_LIMIT_RANGES.maxSourceMinutes, ' minutes')
          .default(DEFAULT_UPLOAD_LIMITS.maxSourceMinutes)
          .describe('Longest source accepted, in minutes.'),
        maxEstimatedCostUsd: within(UPLOAD_LIMIT_RANGES.maxEstimatedCostUsd, ' USD')
          .default(DEFAULT_UPLOAD_LIMITS.maxEstimatedCostUsd)
          .describe('Highest estimated MediaConvert cost of one job, in USD.'),
      })
      .prefault({})
      .describe(
        'What one upload may be and cost. Above a limit the upload is recorded FAILED with the reason (`SOURCE_TOO_LARGE`, `SOURCE_TOO_LONG`, `COST_OVER_LIMIT`), announced on the topic, and no job is created; a source Probe cannot read is clipped at `maxSourceMinutes`. Costs nothing; bounds the bill.',
      ),
    contentAnalysis: z
      .strictObject({
        enabled: z.boolean().default(false).describe('Analyse each completed job with Rekognition Video.'),
        minConfidence: limited(MIN_CONFIDENCE_RANGE)
          .default(CONTENT_ANALYSIS_DEFAULTS.minConfidence)
          .describe('Labels below this confidence (whole percent) are not returned by Rekognition.'),
        topLabels: limited(TOP_LABELS_RANGE)
          .default(CONTENT_ANALYSIS_DEFAULTS.topLabels)
          .describe('How many labels the job record and the notification summarize (labels.json has them all).'),
      })
      .prefault({})
      .describe(
        "Content analysis with Amazon Rekognition Video: label detection on each completed job's MP4, stored next to the outputs and summarized on the record. Off by default: it is billed per minute of video analysed, on top of transcoding.",
      ),
    emulator: z
      .strictObject({
        endpoint: z.url('must be a URL such as "http://127.0.0.1:5000"').describe("The emulator's URL."),
        mediaconvertEndpoint: z
          .url()
          .optional()
          .describe('MediaConvert has no emulator; a test server stands in at this URL. Unset: `endpoint`.'),
      })
      .optional()
      .describe(
        'Endpoint of a local AWS emulator. Set only for the `local` environment: every service in `EMULATED_SERVICES` is pointed at it, with fake credentials.',
      ),
  })
  .superRefine((config, ctx) => {
    if (config.production && config.delivery.corsAllowedOrigins?.includes('*')) {
      ctx.addIssue({
        code: 'custom',
        path: ['delivery', 'corsAllowedOrigins'],
        message:
          '"*" is refused in a production environment: any site could embed your videos and run up your egress bill; list your players\' origins, or leave it unset to allow only the distribution\'s own names',
      });
    }
    // A boundary of another account cannot be attached: say so at synth, not at apply.
    const boundaryAccount = /^arn:[^:]+:iam::(\d{12}):/.exec(config.iam.permissionsBoundaryArn ?? '')?.[1];
    if (config.accountId !== undefined && boundaryAccount !== undefined && boundaryAccount !== config.accountId) {
      ctx.addIssue({
        code: 'custom',
        path: ['iam', 'permissionsBoundaryArn'],
        message: `is in account ${boundaryAccount}, not in this environment's accountId ${config.accountId}`,
      });
    }
  });

export type PipelineConfigInput = z.input<typeof PipelineConfigSchema>;
export type PipelineConfig = z.output<typeof PipelineConfigSchema>;

/** The config of one environment is invalid; the message lists every field. */
export class ConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/**
 * Validates one environment's config and fills in defaults.
 * @throws ConfigError naming every invalid field and where to fix it.
 */
export function parsePipelineConfig(input: unknown, source: string): PipelineConfig {
  const result = PipelineConfigSchema.safeParse(input);
  if (!result.success) {
    throw new ConfigError(
      `Invalid pipeline config (${source}):\n${formatZodIssues(result.error)}\nFix these fields where the environment is declared, or the environment variables that override them (docs/configuration.md).`,
      { cause: result.error },
    );
  }
  return result.data;
}

/** The pipeline id: carried by every job's UserMetadata and matched by the event rule. */
export function pipelineId(config: Pick<PipelineConfig, 'namePrefix' | 'environment'>): string {
  return `${config.namePrefix}-${config.environment}`;
}
