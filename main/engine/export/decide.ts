import { catalogEntry, type Handling } from '../../common/error-catalog.ts'
import type { CccError } from '../../common/errors.ts'
import { backoffDelay, type BackoffPolicy, DEFAULT_BACKOFF } from './backoff.ts'

/** What to do after a failed attempt: try again after a delay, pause the export, stop it, or fail the one file. */
export type Decision = { kind: 'retry'; delayMs: number } | { kind: 'pause' } | { kind: 'stop' } | { kind: 'fail' }

export interface DecisionPolicy {
  readonly backoff?: BackoffPolicy
  /** For tests: the jitter's source, [0, 1). */
  readonly random?: () => number
}

/** How many attempts each kind of trouble gets before the file (or call) is given up on. */
export const ATTEMPT_LIMITS = {
  retry: 6,
  // A storm is the service asking us to slow down, not a failure of the file: be patient.
  throttle: 16,
  'renew-url': 4,
} as const satisfies Partial<Record<Handling, number>>

/** InternalError is retried, but bounded lower: it is rarely transient for one file. */
const CODE_LIMITS: Readonly<Record<string, number>> = { InternalError: 3, 'Api.ReplyTooLarge': 3, 'Api.NotJson': 3 }

/** The attempts an error allows in all (1 for one that is never retried). */
export function attemptLimit(error: Pick<CccError, 'code' | 'handling'>): number {
  const { handling } = error
  if (handling !== 'retry' && handling !== 'throttle' && handling !== 'renew-url') return 1
  return CODE_LIMITS[error.code] ?? ATTEMPT_LIMITS[handling]
}

const STOP: Decision = { kind: 'stop' }
const PAUSE: Decision = { kind: 'pause' }
const FAIL: Decision = { kind: 'fail' }

/**
 * The one place that turns an error into what happens next, from the catalog's handling:
 * an export-fatal code stops the export once, a full disk pauses it, a file-level code fails the
 * file, and transient trouble is retried with full-jitter backoff until its limit. `attempt` is
 * the number of attempts already made (1 after the first failure), API retries included.
 */
export function decide(error: CccError, attempt: number, policy: DecisionPolicy = {}): Decision {
  switch (error.handling) {
    case 'fatal':
      return STOP
    case 'pause':
      return PAUSE
    case 'skip':
      return FAIL
    case 'retry':
    case 'throttle':
    case 'renew-url':
      if (attempt >= attemptLimit(error)) return FAIL
      return { kind: 'retry', delayMs: backoffDelay(attempt, policy.backoff ?? DEFAULT_BACKOFF, policy.random) }
  }
}

/** A code whose trouble passes (network, timeout, 5xx, throttling, an expired URL): worth another try on resume. */
export function isTransient(code: string): boolean {
  const { handling } = catalogEntry(code)
  return handling === 'retry' || handling === 'throttle' || handling === 'renew-url'
}
