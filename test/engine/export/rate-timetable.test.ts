import { describe, expect, it } from 'vitest'
import { followTimetable, parseMaxRate, parseTimetable, rateAt, TimetableError } from '../../../main/engine/export/rate-timetable.ts'
import { ManualClock } from './manual-clock.ts'

const MIN = 60_000
const HOUR = 60 * MIN

describe('parseTimetable', () => {
  it("reads rclone's syntax: times, optional days, rates and off", () => {
    expect(parseTimetable('08:00,512K 18:00,off Sat-10:30,2MB/s')).toEqual([
      { minute: 480, rate: 512 * 1024 },
      { minute: 1080, rate: null },
      { day: 6, minute: 630, rate: 2 * 1024 * 1024 },
    ])
  })
  it('refuses what is not a timetable, by entry', () => {
    expect(() => parseTimetable('8h,512K')).toThrow(/not a timetable entry/)
    expect(() => parseTimetable('25:00,1M')).toThrow(/not a time of day/)
    expect(() => parseTimetable('Foo-08:00,1M')).toThrow(/not a day/)
    expect(() => parseTimetable('08:00,fast')).toThrow(/not a rate/)
    expect(() => parseTimetable('08:00,1M 08:00,off')).toThrow(/twice/)
  })
  it('says which entry is wrong and why as data, for the app to word; the English stays as --max-rate prints it', () => {
    const refusal = (text: string) => {
      try {
        parseTimetable(text)
      } catch (e) {
        return e
      }
      throw new Error(`${text} was accepted`)
    }
    const cases: [string, object, string][] = [
      ['08:00,1M 8h,512K', { reason: 'entry', entry: '8h,512K', position: 2, part: '8h,512K' }, '"8h,512K" is not a timetable entry; write it like 08:00,512K or Mon-08:00,off'],
      ['Foo-08:00,1M', { reason: 'day', entry: 'Foo-08:00,1M', position: 1, part: 'Foo' }, '"Foo" in "Foo-08:00,1M" is not a day; use Mon, Tue, Wed, Thu, Fri, Sat or Sun'],
      ['08:00,1M  20:00,off 25:00,1M', { reason: 'time', entry: '25:00,1M', position: 3, part: '25:00' }, '"25:00" in "25:00,1M" is not a time of day'],
      ['08:00,fast', { reason: 'rate', entry: '08:00,fast', position: 1, part: 'fast' }, '"fast" is not a rate; write it like 5MB/s, 800KB/s or 2000000'],
      ['08:00,500', { reason: 'rate', entry: '08:00,500', position: 1, part: '500' }, '"500" is 500 bytes a second; a limit must be at least 1KB/s (write 512K for 512 KiB/s)'],
      ['Mon-08:00,1M 20:00,off mon-8:00,off', { reason: 'twice', entry: 'mon-8:00,off', position: 3, part: 'mon-8:00' }, 'the timetable names mon-08:00 twice'],
      [' \t ', { reason: 'empty', entry: '', position: 0, part: '' }, 'the timetable is empty; write it like "08:00,512K 18:00,off"'],
    ]
    for (const [text, problem, message] of cases) {
      const e = refusal(text)
      expect(e, text).toBeInstanceOf(TimetableError)
      expect(e, text).toMatchObject({ code: 'Timetable.Invalid', message, problem, details: problem })
    }
  })
  it('--max-rate takes a plain rate or a timetable', () => {
    expect(parseMaxRate('5MB/s')).toEqual({ rate: 5 * 1024 * 1024 })
    // `off` alone lifts a kept limit: no limit at any hour.
    expect(parseMaxRate(' OFF ')).toEqual({ timetable: [{ minute: 0, rate: null }] })
    expect(parseMaxRate('08:00,1M 20:00,off')).toEqual({ timetable: [{ minute: 480, rate: 1024 * 1024 }, { minute: 1200, rate: null }] })
  })
})

describe('rateAt', () => {
  const table = parseTimetable('08:00,512K 20:00,2M')
  const at = (iso: string) => rateAt(table, Date.parse(iso), 'Asia/Shanghai')
  it('holds each entry until the next, across midnight', () => {
    expect(at('2024-05-01T08:00:00+08:00')).toBe(512 * 1024)
    expect(at('2024-05-01T19:59:00+08:00')).toBe(512 * 1024)
    expect(at('2024-05-01T20:00:00+08:00')).toBe(2 * 1024 * 1024)
    expect(at('2024-05-02T02:00:00+08:00')).toBe(2 * 1024 * 1024)
    expect(at('2024-05-02T07:59:00+08:00')).toBe(2 * 1024 * 1024)
  })
  it('days apply on their day only, and wrap across the week', () => {
    const weekly = parseTimetable('Mon-08:00,1M Sat-00:00,off')
    expect(rateAt(weekly, Date.parse('2024-05-01T12:00:00Z'), 'UTC')).toBe(1024 * 1024) // a Wednesday
    expect(rateAt(weekly, Date.parse('2024-05-05T12:00:00Z'), 'UTC')).toBeNull() // Sunday
    expect(rateAt(weekly, Date.parse('2024-05-06T07:00:00Z'), 'UTC')).toBeNull() // Monday before 08:00
  })
  it('follows the wall clock across a DST change: an entry in the skipped hour takes effect at once', () => {
    const dst = parseTimetable('02:30,1M 12:00,off')
    // Berlin, 31 March 2024: 02:00 CET becomes 03:00 CEST at 01:00 UTC.
    expect(rateAt(dst, Date.parse('2024-03-31T00:59:00Z'), 'Europe/Berlin')).toBeNull()
    expect(rateAt(dst, Date.parse('2024-03-31T01:00:00Z'), 'Europe/Berlin')).toBe(1024 * 1024)
    // 27 October 2024: 03:00 CEST goes back to 02:00 CET; the limit holds through both 02:30s.
    expect(rateAt(dst, Date.parse('2024-10-27T00:45:00Z'), 'Europe/Berlin')).toBe(1024 * 1024)
    expect(rateAt(dst, Date.parse('2024-10-27T01:45:00Z'), 'Europe/Berlin')).toBe(1024 * 1024)
  })
})

describe('followTimetable', () => {
  it('sets the rate now, and at the minute an entry begins, crossing midnight', async () => {
    const clock = new ManualClock()
    // ManualClock starts at 0: 1970-01-01 00:00 UTC.
    await clock.advance(22 * HOUR + 58 * MIN)
    const seen: [number, number | null][] = []
    const stop = followTimetable(parseTimetable('08:00,512K 23:00,off 00:30,1M'), clock, (r) => seen.push([clock.now(), r]), 'UTC')
    for (let i = 0; i < 120; i++) await clock.advance(MIN)
    stop()
    expect(seen).toEqual([
      [22 * HOUR + 58 * MIN, 512 * 1024],
      [23 * HOUR, null],
      [24 * HOUR + 30 * MIN, 1024 * 1024],
    ])
  })
})

describe('a timetable driving the bandwidth limit', () => {
  it('holds the rate within 10% in each period', async () => {
    const { BandwidthLimit } = await import('../../../main/engine/export/bandwidth.ts')
    const clock = new ManualClock()
    await clock.advance(7 * HOUR + 58 * MIN)
    const limit = new BandwidthLimit(clock)
    const stop = followTimetable(parseTimetable('07:00,256K 08:00,1M 08:01,off'), clock, (r) => limit.set(r), 'UTC')
    const bytesIn = new Map<number, number>()
    const chunk = 16 * 1024
    while (clock.now() < 8 * HOUR + MIN) {
      let passed = false
      const minute = Math.floor(clock.now() / MIN)
      void limit.take(chunk).then(() => (passed = true))
      await clock.advance(0)
      while (!passed) await clock.advance(10)
      bytesIn.set(minute, (bytesIn.get(minute) ?? 0) + chunk)
    }
    stop()
    const perSecond = (minute: number) => (bytesIn.get(minute) ?? 0) / 60
    expect(perSecond(7 * 60 + 59) / (256 * 1024)).toBeGreaterThan(0.9)
    expect(perSecond(7 * 60 + 59) / (256 * 1024)).toBeLessThan(1.1)
    expect(perSecond(8 * 60) / (1024 * 1024)).toBeGreaterThan(0.9)
    expect(perSecond(8 * 60) / (1024 * 1024)).toBeLessThan(1.1)
  })
})
