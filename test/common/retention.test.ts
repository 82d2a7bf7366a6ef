import { describe, expect, it } from 'vitest'
import { RANGE_WARN_DAYS, retentionWarning, SYNC_WARN_DAYS } from '../../main/common/retention.ts'

const DAY = 24 * 60 * 60 * 1000
const now = Date.parse('2026-03-31T12:00:00Z')

describe('retentionWarning', () => {
  it('warns when the oldest call is within the given days of the horizon, with the days left floored to a tenth', () => {
    expect(retentionWarning(now - 24 * DAY, 30, now, RANGE_WARN_DAYS)).toEqual({ retentionDays: 30, daysLeft: 6 })
    expect(retentionWarning(now - 22.95 * DAY, 30, now, RANGE_WARN_DAYS)).toBeUndefined()
    expect(retentionWarning(now - 25.55 * DAY, 30, now, RANGE_WARN_DAYS)).toEqual({ retentionDays: 30, daysLeft: 4.4 })
  })
  it('says past (zero or less) once the horizon is crossed, and not before', () => {
    expect(retentionWarning(now - 31 * DAY, 30, now, RANGE_WARN_DAYS)?.daysLeft).toBe(-1)
    expect(retentionWarning(now - 30 * DAY, 30, now, RANGE_WARN_DAYS)?.daysLeft).toBe(0)
    // 22 minutes left: still time to export, said in hundredths.
    const minutes = 60 * 1000
    expect(retentionWarning(now - 30 * DAY + 22 * minutes, 30, now, SYNC_WARN_DAYS)?.daysLeft).toBe(0.01)
    expect(retentionWarning(now - 30 * DAY + 3 * minutes, 30, now, SYNC_WARN_DAYS)?.daysLeft).toBe(0.01)
    expect(retentionWarning(now - 30 * DAY + 0.085 * DAY, 30, now, SYNC_WARN_DAYS)?.daysLeft).toBe(0.08)
  })
  it('is silent without a stated retention, and a sync status waits until two days are left', () => {
    expect(retentionWarning(now - 400 * DAY, undefined, now, RANGE_WARN_DAYS)).toBeUndefined()
    expect(retentionWarning(now - 25 * DAY, 30, now, SYNC_WARN_DAYS)).toBeUndefined()
    expect(retentionWarning(now - 28 * DAY, 30, now, SYNC_WARN_DAYS)).toEqual({ retentionDays: 30, daysLeft: 2 })
  })
})
