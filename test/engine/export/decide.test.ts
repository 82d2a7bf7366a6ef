import { describe, expect, it } from 'vitest'
import { CccError } from '../../../main/common/errors.ts'
import { backoffDelay } from '../../../main/engine/export/backoff.ts'
import { attemptLimit, decide } from '../../../main/engine/export/decide.ts'

const error = (code: string, status?: number) => new CccError({ code, message: code, ...(status === undefined ? {} : { status }) })

/** The first attempt count at which `decide` stops retrying. */
function limitOf(e: CccError): number {
  let n = 1
  while (decide(e, n).kind === 'retry') n++
  return n
}

describe('decide: what happens after a failed attempt', () => {
  it('stops the export on a fatal code, whatever the attempt', () => {
    for (const attempt of [1, 5, 100]) expect(decide(error('NotExist.Instance'), attempt)).toEqual({ kind: 'stop' })
    expect(decide(error('Local.WriteFailed'), 1)).toEqual({ kind: 'stop' })
  })

  it('pauses on a full disk', () => {
    expect(decide(error('DiskFull'), 1)).toEqual({ kind: 'pause' })
  })

  it('fails the file at once on a file-level code, and on an unknown 4xx', () => {
    for (const code of ['NotExist.Record', 'Oss.NoSuchKey', 'Http.Unexpected', 'Unknown']) expect(decide(error(code), 1), code).toEqual({ kind: 'fail' })
    expect(decide(error('Brand.New', 400), 1)).toEqual({ kind: 'fail' })
  })

  it('retries each kind of transient trouble up to its limit, then fails the file', () => {
    const cases: [CccError, number][] = [
      [error('Network'), 6],
      [error('ServiceUnavailable', 503), 6],
      [error('Brand.New', 502), 6],
      [error('Throttling'), 16],
      [error('Throttling.Tenant'), 16],
      [error('Oss.UrlExpired', 403), 4],
      [error('InternalError', 500), 3],
    ]
    for (const [e, limit] of cases) {
      expect([e.code, limitOf(e)]).toEqual([e.code, limit])
      expect(attemptLimit(e)).toBe(limit)
      expect(decide(e, limit - 1).kind).toBe('retry')
      expect(decide(e, limit)).toEqual({ kind: 'fail' })
      expect(decide(e, limit + 10)).toEqual({ kind: 'fail' })
    }
  })

  it('waits a full-jitter backoff for the attempt, within its bounds', () => {
    const backoff = { baseMs: 100, capMs: 1_000 }
    const e = error('Throttling')
    for (const attempt of [1, 2, 3, 4, 5, 10, 15]) {
      const ceiling = Math.min(backoff.capMs, backoff.baseMs * 2 ** (attempt - 1))
      expect(decide(e, attempt, { backoff, random: () => 0 })).toEqual({ kind: 'retry', delayMs: 0 })
      expect(decide(e, attempt, { backoff, random: () => 0.999999 })).toEqual({ kind: 'retry', delayMs: ceiling - 1 })
      expect(decide(e, attempt, { backoff, random: () => 0.5 })).toEqual({ kind: 'retry', delayMs: backoffDelay(attempt, backoff, () => 0.5) })
    }
  })

  it('uses the default backoff and Math.random when given no policy', () => {
    for (let i = 0; i < 50; i++) {
      const d = decide(error('Network'), 2)
      expect(d.kind).toBe('retry')
      if (d.kind === 'retry') expect(d.delayMs).toBeGreaterThanOrEqual(0)
      if (d.kind === 'retry') expect(d.delayMs).toBeLessThan(1_000)
    }
  })

  it('classifies without retrying when the attempts are spent (Infinity)', () => {
    expect(decide(error('Network'), Number.POSITIVE_INFINITY)).toEqual({ kind: 'fail' })
    expect(decide(error('OssNotOpen'), Number.POSITIVE_INFINITY)).toEqual({ kind: 'stop' })
    expect(decide(error('DiskFull'), Number.POSITIVE_INFINITY)).toEqual({ kind: 'pause' })
  })
})
