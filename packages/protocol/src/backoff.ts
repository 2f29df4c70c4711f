/**
 * Waits between tries of something that keeps failing (a service that exits, an MCP server,
 * a socket): `initialMs`, doubling after each failure in a row, never above `maxMs`.
 * Runtime-neutral, so that the browser's reconnects can use it too.
 */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

/** 1 s doubling to 30 s: the server's restarts of booterm and coder, MCP reconnects. */
export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1000, maxMs: 30_000 };

/** The wait after the `failures`-th failure in a row (1 = the first): initialMs * 2^(failures-1), capped. */
export function backoffDelay(policy: BackoffPolicy, failures: number): number {
  // 2 ** a large count is Infinity, which min() caps like any other big number.
  return Math.min(policy.maxMs, policy.initialMs * 2 ** Math.max(0, failures - 1));
}

/** Counts failures in a row: `next()` after each failure gives the wait, `reset()` after a success. */
export class Backoff {
  private failures = 0;

  constructor(readonly policy: BackoffPolicy = DEFAULT_BACKOFF) {}

  next(): number {
    this.failures++;
    return backoffDelay(this.policy, this.failures);
  }

  reset(): void {
    this.failures = 0;
  }
}
