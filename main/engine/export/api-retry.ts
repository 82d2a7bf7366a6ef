import { type CccError, isCccError } from '../../common/errors.ts'
import type { Clock } from '../clock.ts'
import type { AdaptiveRate } from './api-rate.ts'
import { backoffDelay, type BackoffPolicy, DEFAULT_BACKOFF, maxAttemptsFor } from './backoff.ts'

/** What every CCC API call of an export shares: one rate, one clock, one backoff. */
export interface ApiPolicy {
  readonly rate: AdaptiveRate
  readonly clock: Clock
  readonly backoff?: BackoffPolicy
}

// Errors that already had every attempt the error table allows: a caller with a retry loop of
// its own (the file loop in the runner) must not multiply them.
const exhausted = new WeakSet<object>()

/** True for an error `withApiRetry` gave up on (or that was never worth a retry). */
export function isSettledApiError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && exhausted.has(e)
}

/**
 * One CCC API call under the export's policy (ccc-api.md §4): wait for a slot of the adaptive
 * rate, call, and on a retryable code back off with full jitter and call again (a new attempt is
 * signed afresh by the client); `Throttling*` also lowers the rate for every caller. Fatal and
 * other non-retryable codes are rethrown at once, an abort as it came.
 */
export async function withApiRetry<T>(
  policy: ApiPolicy,
  fn: (signal: AbortSignal) => Promise<T>,
  signal: AbortSignal,
  onRetry?: (error: CccError, attempt: number) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const startedAt = await policy.rate.acquire(signal)
    try {
      const result = await fn(signal)
      policy.rate.onSuccess()
      return result
    } catch (e) {
      if (signal.aborted || !isCccError(e)) throw e
      if (e.handling === 'throttle') policy.rate.onThrottle(startedAt)
      const retryable = e.handling === 'retry' || e.handling === 'throttle'
      if (!retryable || attempt >= maxAttemptsFor(e.handling as 'retry' | 'throttle', e.code)) {
        exhausted.add(e)
        throw e
      }
      onRetry?.(e, attempt)
      await policy.clock.sleep(backoffDelay(attempt, policy.backoff ?? DEFAULT_BACKOFF), signal)
    }
  }
}
