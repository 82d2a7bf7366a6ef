import { describe, expect, it } from 'vitest'
import { rangeName } from '../../../main/common/export-name.ts'
import { rangeSource } from '../../../main/engine/import/sources.ts'
import { dayRange, isoWithOffset } from '../../../renderer/lib/dates.ts'
import { formatBytes, formatCount, percent, splitSeconds } from '../../../renderer/lib/format.ts'
import { presetDays } from '../../../renderer/lib/range-presets.ts'
import { inZone } from '../../in-zone.ts'

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
  it('turns picked days into local instants with the offset, the end the next day’s midnight (exclusive)', () => {
    const r = dayRange('2026-03-01', '2026-03-07')
    expect(r?.from).toMatch(/^2026-03-01T00:00:00[+-]\d\d:\d\d$/)
    expect(r?.to).toMatch(/^2026-03-08T00:00:00[+-]\d\d:\d\d$/)
    expect(new Date(r?.from ?? '').getTime()).toBe(new Date(2026, 2, 1).getTime())
    // The engine keeps calls with start < to: the last day's last second is inside.
    expect(new Date(2026, 2, 7, 23, 59, 59, 500).getTime()).toBeLessThan(new Date(r?.to ?? '').getTime())
    expect(dayRange('2026-12-31', '2026-12-31')?.to).toMatch(/^2027-01-01T00:00:00[+-]\d\d:\d\d$/)
  })

  it('ends at the next calendar midnight across a DST change', () => {
    // New York springs forward on 2026-03-08: that day has 23 hours.
    inZone('America/New_York', () => expect(dayRange('2026-03-08', '2026-03-08')).toEqual({ from: '2026-03-08T00:00:00-05:00', to: '2026-03-09T00:00:00-04:00' }))
  })

  it('names each quick pick by the days it shows, once journalled in UTC', () => {
    const now = new Date(Date.UTC(2026, 11, 5, 2, 0))
    const named = () =>
      (['yesterday', 'last7', 'lastMonth'] as const).map((preset) => {
        const days = presetDays(preset, now)
        const source = rangeSource(dayRange(days.from, days.to)!)
        return [days.from, days.to, rangeName(source.from, source.to)]
      })
    inZone('Asia/Shanghai', () => {
      expect(named()).toEqual([
        ['2026-12-04', '2026-12-04', '2026-12-04'],
        ['2026-11-28', '2026-12-04', '2026-11-28 → 12-04'],
        ['2026-11-01', '2026-11-30', '2026-11-01 → 11-30'],
      ])
    })
    inZone('America/Los_Angeles', () => {
      expect(named()).toEqual([
        ['2026-12-03', '2026-12-03', '2026-12-03'],
        ['2026-11-27', '2026-12-03', '2026-11-27 → 12-03'],
        ['2026-11-01', '2026-11-30', '2026-11-01 → 11-30'],
      ])
    })
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
