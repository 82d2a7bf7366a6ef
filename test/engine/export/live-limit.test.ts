import { describe, expect, it } from 'vitest'
import { BandwidthLimit } from '../../../main/engine/export/bandwidth.ts'
import { LiveLimit } from '../../../main/engine/export/live-limit.ts'
import { ManualClock } from './manual-clock.ts'

const MIN = 60_000
const MB = 1024 * 1024

describe('LiveLimit', () => {
  it('follows a timetable on the clock across midnight, and a fixed rate once the timetable is cleared', async () => {
    const clock = new ManualClock()
    // Local wall-clock times: the timetable is read in the system's time zone, as in the CLI.
    await clock.advance(new Date(2026, 2, 1, 19, 58).getTime())
    const budget = new BandwidthLimit(clock)
    const live = new LiveLimit(budget, clock)
    live.apply(5 * MB, '08:00,2MB/s 20:00,off 00:30,1MB/s')
    expect(budget.limit).toBe(2 * MB)
    for (let i = 0; i < 3; i++) await clock.advance(MIN)
    expect(budget.limit).toBeNull()
    // 20:01 → 00:31 the next day.
    for (let i = 0; i < 270; i++) await clock.advance(MIN)
    expect(new Date(clock.now()).getDate()).toBe(2)
    expect(budget.limit).toBe(1 * MB)

    live.apply(5 * MB, null)
    expect(budget.limit).toBe(5 * MB)
    // The timetable's follower stopped: 08:00 passes without changing the fixed rate.
    for (let i = 0; i < 8 * 60; i++) await clock.advance(MIN)
    expect(budget.limit).toBe(5 * MB)
    live.close()
  })

  it('refuses a bad timetable before changing anything', () => {
    const clock = new ManualClock()
    const budget = new BandwidthLimit(clock, 3 * MB)
    const live = new LiveLimit(budget, clock)
    expect(() => live.apply(null, '8h,1M')).toThrow(/not a timetable entry/)
    expect(budget.limit).toBe(3 * MB)
  })
})
