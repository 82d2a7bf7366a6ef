import { expect } from 'vitest'

/**
 * What `p` rejected with; the test fails if it fulfilled instead. With `type`, the reason must be
 * an instance of it, and comes back typed as one.
 */
export async function rejectionOf<T = unknown>(p: Promise<unknown>, type?: abstract new (...args: never[]) => T): Promise<T> {
  const outcome = await p.then(
    () => ({ fulfilled: true as const }),
    (reason: unknown) => ({ fulfilled: false as const, reason }),
  )
  if (outcome.fulfilled) throw new Error('expected a rejection, but the promise fulfilled')
  if (type) expect(outcome.reason).toBeInstanceOf(type)
  return outcome.reason as T
}
