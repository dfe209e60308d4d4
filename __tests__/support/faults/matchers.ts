/**
 * Matchers for the calls the handlers make, for fault rules. The jobs-table ones read the
 * transitions' request shape from jobs/job-record: `:status` is the status a transition writes.
 */
import type { CallMatcher, ProxiedCall } from './proxy';

type AttributeValues = Record<string, { S?: string } | undefined>;

function values(call: ProxiedCall): AttributeValues {
  return (call.json?.ExpressionAttributeValues ?? {}) as AttributeValues;
}

/** A jobs-table transition that writes `status`: SUBMITTING (claim or retake), SUBMITTED, RETRYABLE, FAILED or a job state. */
export function writesStatus(status: string, where?: (call: ProxiedCall) => boolean): CallMatcher {
  return {
    service: 'dynamodb',
    operation: 'UpdateItem',
    where: (call) => values(call)[':status']?.S === status && (where?.(call) ?? true),
  };
}

/** A jobs-table transition that sets `attribute` (e.g. `publishClaimId`, `notifiedAt`). */
export function setsAttribute(attribute: string): CallMatcher {
  return {
    service: 'dynamodb',
    operation: 'UpdateItem',
    where: (call) => new RegExp(`^SET .*#${attribute} = `).test(String(call.json?.UpdateExpression ?? '')),
  };
}

/** Every jobs-table write. */
export const anyTableWrite: CallMatcher = { service: 'dynamodb', operation: 'UpdateItem' };

/** MediaConvert CreateJob, optionally only for jobs whose body mentions `text` (a key, an asset id). */
export function createJob(text?: string): CallMatcher {
  return { service: 'mediaconvert', operation: 'CreateJob', ...(text !== undefined ? { where: (call) => call.body.includes(text) } : {}) };
}

export const searchJobs: CallMatcher = { service: 'mediaconvert', operation: 'SearchJobs' };
export const getJob: CallMatcher = { service: 'mediaconvert', operation: 'GetJob' };
export const publish: CallMatcher = { service: 'sns', operation: 'Publish' };

/** The matcher, only while the simulated clock is before `untilMs`: an outage that heals, whatever the SDK's retry count. */
export function until(matcher: CallMatcher, clock: { now(): number }, untilMs: number): CallMatcher {
  return { ...matcher, where: (call) => clock.now() < untilMs && (matcher.where?.(call) ?? true) };
}
