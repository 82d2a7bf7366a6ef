import { describe, expect, it } from 'vitest'
import { CccError } from '../../../main/common/errors.ts'
import { realClock } from '../../../main/engine/clock.ts'
import { AdaptiveRate } from '../../../main/engine/export/api-rate.ts'
import { isSettledApiError, withApiRetry } from '../../../main/engine/export/api-retry.ts'
import { ManualClock } from './manual-clock.ts'

/** Fails with the codes given, in order, then answers 'ok'. */
function failing(...codes: { code: string; status?: number }[]) {
  let calls = 0
  const fn = async () => {
    const next = codes[calls++]
    if (next) throw new CccError({ code: next.code, message: next.code, ...(next.status ? { status: next.status } : {}) })
    return 'ok'
  }
  return { fn, calls: () => calls }
}

/** Runs `p` to its end, moving the manual clock along so that backoff sleeps finish. */
async function settle<T>(clock: ManualClock, p: Promise<T>): Promise<T> {
  let done = false
  const watched = p.finally(() => (done = true))
  watched.catch(() => undefined)
  for (let i = 0; i < 1000 && !done; i++) await clock.advance(100)
  return watched
}

describe('withApiRetry: one policy for every API call', () => {
  it('retries throttling, and lowers the rate for every caller', async () => {
    const clock = new ManualClock()
    const rate = new AdaptiveRate(clock, { initial: 100 })
    const { fn, calls } = failing({ code: 'Throttling', status: 400 }, { code: 'Throttling.User', status: 400 })
    expect(await settle(clock, withApiRetry({ rate, clock }, fn, new AbortController().signal))).toBe('ok')
    expect(calls()).toBe(3)
    expect(rate.rate).toBeLessThan(100)
  })

  it('rethrows a fatal code at once, marked as settled', async () => {
    const clock = new ManualClock()
    const { fn, calls } = failing({ code: 'NotExist.Instance', status: 404 })
    const e = await settle(clock, withApiRetry({ rate: new AdaptiveRate(clock), clock }, fn, new AbortController().signal)).catch((x: unknown) => x)
    expect((e as CccError).code).toBe('NotExist.Instance')
    expect(calls()).toBe(1)
    expect(isSettledApiError(e)).toBe(true)
  })

  it('gives up on InternalError after three attempts, telling the caller of each retry', async () => {
    const clock = new ManualClock()
    const retries: number[] = []
    const { fn, calls } = failing(...Array.from({ length: 5 }, () => ({ code: 'InternalError', status: 500 })))
    const e = await settle(clock, withApiRetry({ rate: new AdaptiveRate(clock), clock }, fn, new AbortController().signal, (_e, n) => retries.push(n))).catch((x: unknown) => x)
    expect((e as CccError).code).toBe('InternalError')
    expect(calls()).toBe(3)
    expect(retries).toEqual([1, 2])
    expect(isSettledApiError(e)).toBe(true)
  })

  it('stops waiting when aborted, with the abort rather than an error of its own', async () => {
    // The real clock: its sleep is what an abort must cut short (the backoff here is an hour).
    const controller = new AbortController()
    const { fn } = failing({ code: 'ServiceUnavailable', status: 503 })
    const onRetry = () => controller.abort(new DOMException('paused', 'AbortError'))
    const policy = { rate: new AdaptiveRate(realClock), clock: realClock, backoff: { baseMs: 3_600_000, capMs: 3_600_000 } }
    const caught = withApiRetry(policy, fn, controller.signal, onRetry).catch((x: unknown) => x)
    const e = await caught
    expect((e as Error).name).toBe('AbortError')
    expect(isSettledApiError(e)).toBe(false)
  })
})
