import { type CccError, isCccError } from '../../common/errors.ts'
import type { Clock } from '../clock.ts'
import type { AdaptiveRate } from './api-rate.ts'
import type { BackoffPolicy } from './backoff.ts'
import { decide } from './decide.ts'
import type { Logger } from '../log.ts'
import type { NetworkGate } from './network-gate.ts'

/** What every CCC API call of an export shares: one rate, one clock, one backoff. */
export interface ApiPolicy {
  readonly rate: AdaptiveRate
  readonly clock: Clock
  readonly backoff?: BackoffPolicy
  /** While the network is down, calls wait here instead of spending their attempts. */
  readonly network?: NetworkGate
  /** Each retry, as a debug line (CCC_RECORDINGS_DEBUG): why, which attempt, how long the wait. */
  readonly log?: Logger
}

export interface ApiRetryOptions {
  /**
   * The attempts made so far, the failed one included, for a caller with a retry loop of its own
   * (a file's job): it counts each retry in `onRetry`, so the limits of `decide` apply to its
   * total and the two loops never multiply; after a rejection, `decide(error, attempts())` gives
   * the caller the same answer this call acted on. Never less than this call's own failures.
   */
  readonly attempts?: () => number
  /** Before each retry's backoff: the error, and the attempt count it was decided at. */
  readonly onRetry?: (error: CccError, attempt: number) => void
}

/**
 * One CCC API call under the export's policy (ccc-api.md §4): wait for a slot of the adaptive
 * rate, call, and while `decide` says retry, back off with full jitter and call again (a new
 * attempt is signed afresh by the client); `Throttling*` also lowers the rate for every caller.
 * Anything else (stop, pause, fail) is rethrown as it came, an abort too.
 */
export async function withApiRetry<T>(
  policy: ApiPolicy,
  fn: (signal: AbortSignal) => Promise<T>,
  signal: AbortSignal,
  options: ApiRetryOptions = {},
): Promise<T> {
  const { attempts, onRetry } = options
  for (let failures = 1; ; failures++) {
    const startedAt = await policy.rate.acquire(signal)
    try {
      const result = await fn(signal)
      policy.rate.onSuccess()
      policy.network?.succeeded()
      return result
    } catch (e) {
      if (signal.aborted || !isCccError(e)) throw e
      if (await policy.network?.afterError(e, signal)) {
        failures--
        continue
      }
      if (e.handling === 'throttle') policy.rate.onThrottle(startedAt)
      const attempt = Math.max(failures, attempts?.() ?? 0)
      const decision = decide(e, attempt, policy.backoff ? { backoff: policy.backoff } : {})
      if (decision.kind !== 'retry') throw e
      onRetry?.(e, attempt)
      policy.log?.debug(`API call failed with ${e.code} (attempt ${attempt}): retrying in ${Math.round(decision.delayMs)} ms`)
      await policy.clock.sleep(decision.delayMs, signal)
    }
  }
}
