/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And Jitter"):
 * a uniformly random delay in [0, min(cap, base·2^attempt)). Full jitter spreads the retries of
 * many files that failed together, so a throttled burst does not come back as a burst.
 */
export interface BackoffPolicy {
  readonly baseMs: number
  readonly capMs: number
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 30_000 }

export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.floor(random() * ceiling)
}

/**
 * @deprecated The limits live in decide.ts (`attemptLimit`, `decide`); this stays only while
 * runner.ts still imports it.
 */
export function maxAttemptsFor(handling: 'retry' | 'throttle' | 'renew-url', code: string): number {
  return code === 'InternalError' ? 3 : { retry: 6, throttle: 16, 'renew-url': 4 }[handling]
}
