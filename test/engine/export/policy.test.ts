import { describe, expect, it } from 'vitest'
import { AdaptiveRate } from '../../../main/engine/export/api-rate.ts'
import { backoffDelay } from '../../../main/engine/export/backoff.ts'
import { BandwidthLimit, parseRate } from '../../../main/engine/export/bandwidth.ts'
import { ManualClock } from './manual-clock.ts'

describe('full-jitter backoff', () => {
  it('stays within [0, min(cap, base·2^(n-1)))', () => {
    const policy = { baseMs: 100, capMs: 1_000 }
    expect(backoffDelay(1, policy, () => 0.999)).toBe(99)
    expect(backoffDelay(3, policy, () => 0.999)).toBe(399)
    expect(backoffDelay(10, policy, () => 0.999)).toBe(999)
    expect(backoffDelay(4, policy, () => 0)).toBe(0)
  })
})

describe('adaptive API rate (AIMD)', () => {
  it('halves on throttling once per burst, then climbs back slowly', async () => {
    const clock = new ManualClock()
    const rate = new AdaptiveRate(clock, { initial: 100, increase: 0.02 })
    const started = await rate.acquire()
    await clock.advance(10)
    rate.onThrottle(started)
    expect(rate.rate).toBe(50)
    // Calls sent before the decrease say nothing new.
    rate.onThrottle(started)
    expect(rate.rate).toBe(50)
    // Growth only while the rate is what holds calls back: drain the bucket first.
    const calls: Promise<number>[] = []
    for (let i = 0; i < 20; i++) calls.push(rate.acquire())
    for (let i = 0; i < 40; i++) await clock.advance(20)
    await Promise.all(calls)
    for (let i = 0; i < 20; i++) rate.onSuccess()
    expect(rate.rate).toBeGreaterThan(50)
    expect(rate.rate).toBeLessThan(52)
  })

  it('does not grow while nothing waits for it', () => {
    const clock = new ManualClock()
    const rate = new AdaptiveRate(clock, { initial: 10 })
    for (let i = 0; i < 100; i++) rate.onSuccess()
    expect(rate.rate).toBe(10)
  })

  it('spaces calls at the rate', async () => {
    const clock = new ManualClock()
    const rate = new AdaptiveRate(clock, { initial: 10 })
    const times: number[] = []
    const all = Promise.all(Array.from({ length: 5 }, () => rate.acquire().then((t) => times.push(t))))
    for (let i = 0; i < 50; i++) await clock.advance(10)
    await all
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(99)
  })
})

describe('bandwidth limit', () => {
  it('spreads reservations over time at the set rate, and changes while running', async () => {
    const clock = new ManualClock()
    const limit = new BandwidthLimit(clock, 1000)
    let passed = 0
    const take = (n: number) => limit.take(n).then(() => (passed += n))
    const all = Promise.all([take(500), take(500), take(500), take(500)])
    await clock.advance(0)
    // 100 ms of burst lets the first 100 bytes' worth through at once, the rest waits its turn.
    expect(passed).toBeLessThan(2000)
    for (let i = 0; i < 30; i++) await clock.advance(100)
    await all
    expect(passed).toBe(2000)
    limit.set(null)
    await limit.take(1e9)
    expect(limit.limit).toBeNull()
  })

  it('parses rates as admins write them', () => {
    expect(parseRate('5MB/s')).toBe(5 * 1024 * 1024)
    expect(parseRate('800KB/s')).toBe(800 * 1024)
    expect(parseRate('1.5MiB/s')).toBe(1.5 * 1024 * 1024)
    expect(parseRate('2m')).toBe(2 * 1024 * 1024)
    expect(parseRate('123456')).toBe(123456)
    expect(() => parseRate('fast')).toThrow(/not a rate/)
    expect(() => parseRate('0')).toThrow(/more than zero/)
    expect(() => parseRate('1')).toThrow(/is 1 bytes a second; a limit must be at least 1KB\/s/)
    expect(() => parseRate('0.5')).toThrow(/at least 1KB\/s/)
    expect(parseRate('1K')).toBe(1024)
  })
})
