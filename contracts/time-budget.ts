/**
 * Time limits that keep a handler ahead of its own timeout, and the retry window they imply.
 * Used by the handlers at run time and by the constructs that set their environment.
 */
import { LAMBDA_LIMITS } from './aws-limits';

/** Claim TTLs the handlers accept: a claim outlives its holder's invocation, which Lambda stops at its maximum timeout. */
export const CLAIM_TTL_SECONDS_RANGE = { min: 1, max: LAMBDA_LIMITS.timeoutSeconds.max } as const;
/** Per-attempt SDK timeouts the handlers accept. */
export const REQUEST_TIMEOUT_MS_RANGE = { min: 50, max: 60_000 } as const;

/** Lambda waits about one minute before the first async retry and about two before the second. */
export const LAMBDA_ASYNC_RETRY_DELAYS_SECONDS: readonly number[] = [60, 120];

/** Left unspent at the end of an invocation, so the handler returns (or throws) before Lambda kills it. */
export const RETURN_MARGIN_MS = 250;

/**
 * The SDK's per-attempt HTTP timeout for a function: a sixth of its timeout, from 1 to 10 s,
 * so a hung call is abandoned and retried while several attempts still fit.
 */
export function requestTimeoutMsFor(functionTimeoutSeconds: number): number {
  return Math.min(10_000, Math.max(1_000, Math.floor((functionTimeoutSeconds * 1000) / 6)));
}

/**
 * How long one SDK call (all its attempts) may take. A call whose outcome must still be
 * recorded leaves two request timeouts for that write; the recording write itself may use
 * what is left, minus the margin to return.
 * @param remainingMs `context.getRemainingTimeInMillis()`
 */
export function callBudgetMs(remainingMs: number, requestTimeoutMs: number, then: 'record' | 'return'): number {
  const reserve = RETURN_MARGIN_MS + (then === 'record' ? 2 * requestTimeoutMs : 0);
  return Math.max(1, remainingMs - reserve);
}

/**
 * How long after an event's first attempt Lambda may still be running it: every attempt
 * to its timeout plus the retry delays. A claim older than this has no attempt left to finish it.
 */
export function asyncRetryWindowSeconds(function_: { readonly timeoutSeconds: number; readonly retryAttempts: number }): number {
  const delays = LAMBDA_ASYNC_RETRY_DELAYS_SECONDS.slice(0, function_.retryAttempts).reduce((sum, delay) => sum + delay, 0);
  return (function_.retryAttempts + 1) * function_.timeoutSeconds + delays;
}
