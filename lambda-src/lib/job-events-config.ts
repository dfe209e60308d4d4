import { requiredEnv } from './guards';

/** What the job-events function reads from its environment, validated once at cold start. */
export interface JobEventsConfig {
  /** PIPELINE_ID: events of other pipelines' jobs are skipped. */
  readonly pipeline: string;
  /** JOBS_TABLE: the jobs table, keyed by assetId. */
  readonly table: string;
  /** TOPIC_ARN: where terminal states are published. */
  readonly topicArn: string;
  /** OUTPUT_BUCKET: only paths in this bucket get URLs. */
  readonly outputBucket: string;
  /** DISTRIBUTION_DOMAIN: the CloudFront host name the URLs use. */
  readonly distributionDomain: string;
  /** AWS_REGION (set by Lambda): for the MediaConvert console link. */
  readonly region: string;
}

/**
 * A host name from DISTRIBUTION_DOMAIN: a scheme and a trailing slash are tolerated
 * (`https://d1.cloudfront.net/`), a path is not, since URLs are built as `https://<host>/<key>`.
 */
export function normalizeDistributionDomain(value: string): string {
  const host = value
    .trim()
    .replace(/^https?:\/\//i, '')
    .replace(/\/+$/, '');
  if (host === '' || /[/\s?#]/.test(host)) {
    throw new Error(
      `DISTRIBUTION_DOMAIN is "${value}"; set the distribution's host name, e.g. d111111abcdef8.cloudfront.net (stacks/constructs/job-events.ts).`,
    );
  }
  return host;
}

/**
 * Reads and validates the job-events function's environment (set by the JobEvents construct).
 * @throws MissingEnvironmentError naming the first missing variable.
 */
export function readJobEventsConfig(env: Record<string, string | undefined>): JobEventsConfig {
  return {
    pipeline: requiredEnv(env, 'PIPELINE_ID'),
    table: requiredEnv(env, 'JOBS_TABLE'),
    topicArn: requiredEnv(env, 'TOPIC_ARN'),
    outputBucket: requiredEnv(env, 'OUTPUT_BUCKET'),
    distributionDomain: normalizeDistributionDomain(requiredEnv(env, 'DISTRIBUTION_DOMAIN')),
    region: requiredEnv(env, 'AWS_REGION'),
  };
}
