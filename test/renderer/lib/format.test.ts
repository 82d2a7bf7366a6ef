import { describe, expect, it } from 'vitest'
import { dayRange, isoWithOffset } from '../../../renderer/lib/dates.ts'
import { formatBytes, formatCount, percent, splitSeconds } from '../../../renderer/lib/format.ts'

describe('format', () => {
  it('writes bytes in binary units with one decimal', () => {
    expect(formatBytes(0, 'en')).toBe('0 B')
    expect(formatBytes(1023, 'en')).toBe('1,023 B')
    expect(formatBytes(1536, 'en')).toBe('1.5 KB')
    expect(formatBytes(5 * 1024 ** 3, 'zh-CN')).toBe('5 GB')
  })

  it('counts with grouping, percentages never over 100, durations split', () => {
    expect(formatCount(100_000, 'en')).toBe('100,000')
    expect(percent(1, 3)).toBe(33)
    expect(percent(5, 0)).toBe(0)
    expect(percent(11, 10)).toBe(100)
    expect(splitSeconds(3725)).toEqual({ h: 1, m: 2, s: 5 })
  })
})

describe('dayRange', () => {
  it('turns picked days into local start and end instants with the offset', () => {
    const r = dayRange('2026-03-01', '2026-03-07')
    expect(r?.from).toMatch(/^2026-03-01T00:00:00[+-]\d\d:\d\d$/)
    expect(r?.to).toMatch(/^2026-03-07T23:59:59[+-]\d\d:\d\d$/)
    expect(new Date(r?.from ?? '').getTime()).toBe(new Date(2026, 2, 1).getTime())
  })

  it('refuses missing days and backwards ranges', () => {
    expect(dayRange('', '2026-03-07')).toBeNull()
    expect(dayRange('2026-03-08', '2026-03-07')).toBeNull()
    expect(dayRange('2026-13-45', '2026-03-07')).toBeNull()
  })

  it('writes an instant that parses back to itself', () => {
    const d = new Date(2026, 0, 15, 9, 30, 5)
    expect(new Date(isoWithOffset(d)).getTime()).toBe(d.getTime())
  })
})
