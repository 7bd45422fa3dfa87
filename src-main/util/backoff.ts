// The one retry backoff: exponential steps base·2^n capped at max, with "equal jitter" — a wait
// random in [½, 1] of the step, so waits still grow while callers that failed together (a dropped
// connection pool, many captures after one network blip) do not retry in lockstep. A server's own
// Retry-After replaces the step when there is one (never waited less, a little jitter on top).
// Used by the S3 retries (sources/cryptolake/retry.ts) and the capture's reconnects.

export interface RetryAfter {
  /** The server's Retry-After, ms (null: none sent). */
  readonly retryAfterMs: number | null
  /** Longest Retry-After honoured; longer ones are cut to this. */
  readonly maxRetryAfterMs: number
}

/**
 * The wait before retry number `n + 1` after `n` consecutive failures counted from 0: the step
 * base·2^n capped at `maxMs`, jittered into [½, 1] of it — or the server's Retry-After.
 */
export function backoffDelayMs(
  baseMs: number,
  maxMs: number,
  n: number,
  random: () => number = Math.random,
  retryAfter?: RetryAfter
): number {
  if (retryAfter && retryAfter.retryAfterMs !== null) {
    const wait = Math.min(retryAfter.retryAfterMs, retryAfter.maxRetryAfterMs)
    // A little jitter on top, never below what the server asked for.
    return wait + Math.round(random() * Math.min(250, wait * 0.1))
  }
  const step = Math.min(maxMs, baseMs * 2 ** Math.max(0, n))
  return Math.round(step / 2 + random() * (step / 2))
}

/** Counts consecutive failures: next() is the wait before the next attempt, reset() on success. */
export class Backoff {
  private attempt = 0

  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random
  ) {}

  next(): number {
    const wait = backoffDelayMs(this.baseMs, this.maxMs, this.attempt, this.random)
    this.attempt++
    return wait
  }

  reset(): void {
    this.attempt = 0
  }

  get attempts(): number {
    return this.attempt
  }
}
