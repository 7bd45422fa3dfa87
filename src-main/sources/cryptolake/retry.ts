// Retry timing for S3 calls: exponential backoff with jitter on transient failures (5xx, network,
// stalls), the server's own Retry-After on 429/503 when it sends one. Jitter keeps parallel
// downloads that failed together (one dropped connection pool) from retrying in lockstep.
import { CancelledError } from '../../util/errors'
import { backoffDelayMs } from '../../util/backoff'
import { S3CallError, type S3Failure } from './s3errors'

export interface RetryPolicy {
  /** Consecutive failed attempts without progress before a file is given up (default 6). */
  readonly maxAttempts: number
  /** Hard cap on attempts for one file, progress or not (default 50). */
  readonly maxTotalAttempts: number
  /** First backoff (default 500 ms); doubles per consecutive failure. */
  readonly baseDelayMs: number
  /** Backoff ceiling (default 30 s). */
  readonly maxDelayMs: number
  /** Longest Retry-After we honour (default 120 s); longer ones are cut to this. */
  readonly maxRetryAfterMs: number
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 6,
  maxTotalAttempts: 50,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000
}

/**
 * How long to wait before attempt `failures + 1`, after `failures` consecutive failures (≥ 1):
 * the shared backoff (util/backoff.ts), equal jitter in [½, 1] of the step, or the server's
 * Retry-After (capped at maxRetryAfterMs) when it sent one.
 */
export function backoffMs(
  policy: RetryPolicy,
  failures: number,
  failure: Pick<S3Failure, 'retryAfterMs'> | null,
  random: () => number = Math.random
): number {
  return backoffDelayMs(policy.baseDelayMs, policy.maxDelayMs, failures - 1, random, {
    retryAfterMs: failure?.retryAfterMs ?? null,
    maxRetryAfterMs: policy.maxRetryAfterMs
  })
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new CancelledError()
}

/** Waits `ms`, or throws CancelledError as soon as the signal fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(new CancelledError())
      return
    }
    const onAbort = (): void => {
      clearTimeout(t)
      reject(new CancelledError())
    }
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

export interface RetryContext {
  readonly policy: RetryPolicy
  readonly signal?: AbortSignal
  /** Told about each failed attempt that will be retried (message already safe). */
  readonly onRetry?: (failure: S3Failure, attempt: number, waitMs: number) => void
}

/**
 * Runs `call` until it succeeds, fails for good (a non-retryable failure, or maxAttempts reached)
 * or the signal fires. `describe` turns a thrown error into a safe S3Failure; the final failure
 * is thrown as an S3CallError, a cancel as CancelledError.
 */
export async function withRetry<T>(
  call: (attempt: number) => Promise<T>,
  describe: (e: unknown) => S3Failure,
  ctx: RetryContext
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    throwIfAborted(ctx.signal)
    try {
      return await call(attempt)
    } catch (e) {
      throwIfAborted(ctx.signal)
      const failure = describe(e)
      if (failure.kind === 'cancelled') throw new CancelledError()
      if (!failure.retryable || attempt >= ctx.policy.maxAttempts) throw new S3CallError(failure)
      const wait = backoffMs(ctx.policy, attempt, failure)
      ctx.onRetry?.(failure, attempt, wait)
      await sleep(wait, ctx.signal)
    }
  }
}
