import { LAMBDA_LIMITS } from '../../contracts/aws-limits';
import { callBudgetMs } from '../../contracts/time-budget';

/** The part of a Lambda context the handlers use. */
export interface InvocationContext {
  readonly awsRequestId?: string;
  getRemainingTimeInMillis?(): number;
}

/** Without a Lambda context (a local run), calls get as long as the longest invocation. */
const UNBOUNDED_REMAINING_MS = LAMBDA_LIMITS.timeoutSeconds.max * 1000;

/**
 * Aborts one SDK call (all its retries) when the invocation's time runs short, leaving room
 * to record the outcome (`then: 'record'`) or just to return.
 */
export function budgetSignal(context: InvocationContext | undefined, requestTimeoutMs: number, then: 'record' | 'return'): AbortSignal {
  const remaining = context?.getRemainingTimeInMillis?.() ?? UNBOUNDED_REMAINING_MS;
  return AbortSignal.timeout(callBudgetMs(remaining, requestTimeoutMs, then));
}

/** The SDK clients' HTTP settings: a hung request fails after `requestTimeoutMs` and is retried. */
export function httpHandlerOptions(requestTimeoutMs: number) {
  return { connectionTimeout: requestTimeoutMs, requestTimeout: requestTimeoutMs, throwOnRequestTimeout: true };
}
