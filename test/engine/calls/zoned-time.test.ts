import { describe, expect, it } from 'vitest'
import { isoInZone } from '../../../main/engine/calls/zoned-time.ts'

describe('isoInZone', () => {
  it("writes the wall-clock time of a zone with that moment's offset, summer time and half hours included", () => {
    const winter = Date.UTC(2026, 0, 15, 12, 0, 0)
    const summer = Date.UTC(2026, 6, 15, 12, 0, 0, 500)
    expect(isoInZone(winter, 'Asia/Shanghai')).toBe('2026-01-15T20:00:00+08:00')
    expect(isoInZone(winter, 'America/New_York')).toBe('2026-01-15T07:00:00-05:00')
    expect(isoInZone(summer, 'America/New_York')).toBe('2026-07-15T08:00:00-04:00')
    expect(isoInZone(summer, 'Asia/Kolkata')).toBe('2026-07-15T17:30:00+05:30')
    expect(isoInZone(winter, 'UTC')).toBe('2026-01-15T12:00:00+00:00')
    // The same instant, whichever zone wrote it.
    for (const zone of ['Asia/Shanghai', 'America/New_York', 'Asia/Kolkata']) expect(Date.parse(isoInZone(summer, zone))).toBe(summer - 500)
  })
})
