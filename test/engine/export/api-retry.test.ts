import { describe, expect, it } from 'vitest'
import { CccError } from '../../../main/common/errors.ts'
import { realClock } from '../../../main/engine/clock.ts'
import { AdaptiveRate } from '../../../main/engine/export/api-rate.ts'
import { withApiRetry } from '../../../main/engine/export/api-retry.ts'
import { decide } from '../../../main/engine/export/decide.ts'
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

  it('rethrows a fatal code at once', async () => {
    const clock = new ManualClock()
    const { fn, calls } = failing({ code: 'NotExist.Instance', status: 404 })
    const e = await settle(clock, withApiRetry({ rate: new AdaptiveRate(clock), clock }, fn, new AbortController().signal)).catch((x: unknown) => x)
    expect((e as CccError).code).toBe('NotExist.Instance')
    expect(calls()).toBe(1)
    expect(decide(e as CccError, 1)).toEqual({ kind: 'stop' })
  })

  it('gives up on InternalError after three attempts, telling the caller of each retry', async () => {
    const clock = new ManualClock()
    const retries: number[] = []
    const { fn, calls } = failing(...Array.from({ length: 5 }, () => ({ code: 'InternalError', status: 500 })))
    const onRetry = (_e: CccError, n: number) => void retries.push(n)
    const e = await settle(clock, withApiRetry({ rate: new AdaptiveRate(clock), clock }, fn, new AbortController().signal, { onRetry })).catch((x: unknown) => x)
    expect((e as CccError).code).toBe('InternalError')
    expect(calls()).toBe(3)
    expect(retries).toEqual([1, 2])
  })

  it("counts against the caller's attempts, so its own loop does not multiply the retries", async () => {
    const clock = new ManualClock()
    const { fn, calls } = failing(...Array.from({ length: 20 }, () => ({ code: 'ServiceUnavailable', status: 503 })))
    // A file's job: its fourth try, each API retry counted as one more.
    const tries = { n: 4 }
    const options = { attempts: () => tries.n, onRetry: () => void tries.n++ }
    const e = await settle(clock, withApiRetry({ rate: new AdaptiveRate(clock), clock }, fn, new AbortController().signal, options)).catch((x: unknown) => x)
    expect(calls()).toBe(3)
    expect(tries.n).toBe(6)
    // The caller asks decide with its own count and hears what withApiRetry acted on.
    expect(decide(e as CccError, tries.n)).toEqual({ kind: 'fail' })
  })

  it('never retries past its own limit, even when the caller forgets to count', async () => {
    const clock = new ManualClock()
    const { fn, calls } = failing(...Array.from({ length: 20 }, () => ({ code: 'Network' })))
    const e = await settle(clock, withApiRetry({ rate: new AdaptiveRate(clock), clock }, fn, new AbortController().signal, { attempts: () => 1 })).catch((x: unknown) => x)
    expect((e as CccError).code).toBe('Network')
    expect(calls()).toBe(6)
  })

  it('stops waiting when aborted, with the abort rather than an error of its own', async () => {
    // The real clock: its sleep is what an abort must cut short (the backoff here is an hour).
    const controller = new AbortController()
    const { fn } = failing({ code: 'ServiceUnavailable', status: 503 })
    const onRetry = () => controller.abort(new DOMException('paused', 'AbortError'))
    const policy = { rate: new AdaptiveRate(realClock), clock: realClock, backoff: { baseMs: 3_600_000, capMs: 3_600_000 } }
    const caught = withApiRetry(policy, fn, controller.signal, { onRetry }).catch((x: unknown) => x)
    const e = await caught
    expect((e as Error).name).toBe('AbortError')
  })
})
