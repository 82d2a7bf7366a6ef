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

/** How many attempts each kind of trouble gets before the file is marked failed. */
export const MAX_ATTEMPTS = {
  retry: 6,
  // A storm is the service asking us to slow down, not a failure of the file: be patient.
  throttle: 16,
  'renew-url': 4,
} as const

/** InternalError is retried, but bounded lower: it is rarely transient for one file. */
export function maxAttemptsFor(handling: keyof typeof MAX_ATTEMPTS, code: string): number {
  if (code === 'InternalError') return 3
  return MAX_ATTEMPTS[handling]
}
