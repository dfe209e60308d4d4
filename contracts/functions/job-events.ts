/**
 * The job-events function's contract: the EventBridge events its rule forwards (built into
 * the rule's pattern by the JobEvents construct, checked again by the handler's parser), and
 * the environment the construct writes and the handler reads.
 */
import { defineEnvContract, integerCodec, stringCodec } from '../env-contract';
import { PIPELINE_METADATA_KEY } from '../job-metadata';
import { requiredEnv } from '../guards';
import { PriceTable, priceTableCodec } from '../pricing';
import { CLAIM_TTL_SECONDS_RANGE, REQUEST_TIMEOUT_MS_RANGE } from '../time-budget';

/** The EventBridge `source` of every MediaConvert event. */
export const MEDIACONVERT_EVENT_SOURCE = 'aws.mediaconvert';
/** The `detail-type` of a MediaConvert job state change. */
export const JOB_STATE_CHANGE_DETAIL_TYPE = 'MediaConvert Job State Change';

/**
 * The job states the rule forwards and the function records: progress, then the three
 * terminal states. Others (STATUS_UPDATE, INPUT_INFORMATION, NEW_WARNING, QUEUE_HOP) carry
 * nothing the jobs table or subscribers need; the submit function's probe already knows the input.
 */
export const FORWARDED_JOB_STATUSES = ['PROGRESSING', 'COMPLETE', 'ERROR', 'CANCELED'] as const;
export type JobState = (typeof FORWARDED_JOB_STATUSES)[number];

/** The terminal job states: each is notified once. */
export const TERMINAL_JOB_STATUSES = ['COMPLETE', 'ERROR', 'CANCELED'] as const satisfies readonly JobState[];

/**
 * The EventBridge pattern: state changes of this pipeline's jobs only, in the forwarded states.
 * Both the metadata and the queue must match: any principal of the account that may create
 * MediaConvert jobs can write `userMetadata.pipeline`, but only jobs on this pipeline's queue
 * (whose CreateJob the submit role alone is granted) match the queue ARN.
 */
export function jobStateChangePattern(pipelineId: string, queueArn: string): Record<string, unknown> {
  return {
    source: [MEDIACONVERT_EVENT_SOURCE],
    'detail-type': [JOB_STATE_CHANGE_DETAIL_TYPE],
    detail: {
      status: [...FORWARDED_JOB_STATUSES],
      queue: [queueArn],
      userMetadata: { [PIPELINE_METADATA_KEY]: [pipelineId] },
    },
  };
}

/**
 * A host name from DISTRIBUTION_DOMAIN: a scheme and a trailing slash are tolerated
 * (`https://d1.cloudfront.net/`), a path is not, since URLs are built as `https://<host>/<key>`.
 * One exception: a plain-HTTP loopback origin (`http://127.0.0.1:8080`), the local stand-in, is kept whole.
 */
export function normalizeDistributionDomain(value: string): string {
  // The local distribution stand-in (npm run local:up) serves plain HTTP on loopback: keep its origin whole.
  const loopback = /^http:\/\/(127\.0\.0\.1|localhost):\d{1,5}\/?$/i.exec(value.trim());
  if (loopback) return value.trim().replace(/\/+$/, '');
  const host = value
    .trim()
    .replace(/^https?:\/\//i, '')
    .replace(/\/+$/, '');
  if (host === '' || /[/\s?#]/.test(host)) {
    throw new Error(`"${value}" is not a host name; use the distribution's domain, e.g. d111111abcdef8.cloudfront.net`);
  }
  return host;
}

/** What the JobEvents construct tells the function. */
export interface JobEventsSettings {
  /** Pipeline id: events of other pipelines' jobs are skipped. */
  readonly pipeline: string;
  /** This pipeline's MediaConvert queue: events of jobs on any other queue are skipped. */
  readonly queueArn: string;
  /** The jobs table, keyed by assetId. */
  readonly table: string;
  /** Where terminal states are published. */
  readonly topicArn: string;
  /** Only paths in this bucket get URLs. */
  readonly outputBucket: string;
  /** The CloudFront host name the URLs use. */
  readonly distributionDomain: string;
  /** A publish claim older than this belongs to an invocation that timed out: the function's timeout. */
  readonly claimTtlSeconds: number;
  /** The SDK clients' per-attempt HTTP timeout, well inside the function timeout (requestTimeoutMsFor). */
  readonly requestTimeoutMs: number;
  /** The price table of each completed job's EstimatedCostUSD. */
  readonly prices: PriceTable;
}

/** The settings plus what Lambda itself provides. */
export interface JobEventsConfig extends JobEventsSettings {
  /** AWS_REGION, set by Lambda: for the MediaConvert console link. */
  readonly region: string;
}

const contract = defineEnvContract<JobEventsSettings>({
  pipeline: { name: 'PIPELINE_ID', codec: stringCodec },
  queueArn: { name: 'QUEUE_ARN', codec: stringCodec },
  table: { name: 'JOBS_TABLE', codec: stringCodec },
  topicArn: { name: 'TOPIC_ARN', codec: stringCodec },
  outputBucket: { name: 'OUTPUT_BUCKET', codec: stringCodec },
  distributionDomain: { name: 'DISTRIBUTION_DOMAIN', codec: { encode: (value) => value, decode: normalizeDistributionDomain } },
  claimTtlSeconds: { name: 'CLAIM_TTL_SECONDS', codec: integerCodec(CLAIM_TTL_SECONDS_RANGE.min, CLAIM_TTL_SECONDS_RANGE.max) },
  requestTimeoutMs: { name: 'REQUEST_TIMEOUT_MS', codec: integerCodec(REQUEST_TIMEOUT_MS_RANGE.min, REQUEST_TIMEOUT_MS_RANGE.max) },
  prices: { name: 'PRICE_TABLE', codec: priceTableCodec },
});

/** The environment variables and their codecs. */
export const JOB_EVENTS_VARIABLES = contract.variables;

/** Called by the JobEvents construct: the function's environment variables. */
export function toEnvironment(settings: JobEventsSettings): Record<string, string> {
  return contract.toEnvironment(settings);
}

/**
 * Called by the handler at cold start; no fallbacks.
 * @throws MissingEnvironmentError or InvalidEnvironmentError naming the variable.
 */
export function fromEnvironment(env: Readonly<Record<string, string | undefined>>): JobEventsConfig {
  return { ...contract.fromEnvironment(env), region: requiredEnv(env, 'AWS_REGION') };
}
