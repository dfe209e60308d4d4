import { asyncRetryWindowSeconds, callBudgetMs, requestTimeoutMsFor, RETURN_MARGIN_MS } from '../contracts/time-budget';

describe('requestTimeoutMsFor', () => {
  it.each([
    [10, 1_666],
    [30, 5_000],
    [60, 10_000],
    [900, 10_000],
    [3, 1_000],
  ])(
    'gives a %i s function a per-attempt timeout of %i ms: several attempts fit, a hung call cannot eat the invocation',
    (timeout, expected) => {
      expect(requestTimeoutMsFor(timeout)).toBe(expected);
    },
  );
});

describe('callBudgetMs', () => {
  it.each([
    ['a call whose outcome is recorded after it', 60_000, 'record', 60_000 - RETURN_MARGIN_MS - 20_000],
    ['the recording write itself', 60_000, 'return', 60_000 - RETURN_MARGIN_MS],
    ['a call with no time left still gets an aborting signal', 100, 'record', 1],
  ] as const)('leaves room for %s', (_case, remaining, then, expected) => {
    expect(callBudgetMs(remaining, 10_000, then)).toBe(expected);
  });
});

describe('asyncRetryWindowSeconds', () => {
  it.each([
    [{ timeoutSeconds: 60, retryAttempts: 2 }, 3 * 60 + 60 + 120],
    [{ timeoutSeconds: 60, retryAttempts: 1 }, 2 * 60 + 60],
    [{ timeoutSeconds: 30, retryAttempts: 0 }, 30],
  ])('covers every attempt of %o to its timeout plus Lambda’s retry delays: %i s', (fn, expected) => {
    expect(asyncRetryWindowSeconds(fn)).toBe(expected);
  });
});
