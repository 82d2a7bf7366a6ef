import { describe, expect, it } from 'vitest'
import { firstSince, nextWindow } from '../../../main/engine/sync/sync-window.ts'

const HOUR = 60 * 60 * 1000
const T = Date.UTC(2024, 4, 1)
const base = { since: new Date(T - 7 * 24 * HOUR).toISOString(), overlapMs: 2 * HOUR, marginMs: HOUR / 4 }

describe('nextWindow', () => {
  it('starts the first run at since and ends a margin before now', () => {
    expect(nextWindow({ ...base, mark: null }, T)).toEqual({ from: T - 7 * 24 * HOUR, to: T - HOUR / 4 })
  })
  it('starts a later run an overlap before the mark, never before since', () => {
    expect(nextWindow({ ...base, mark: new Date(T - 24 * HOUR).toISOString() }, T)).toEqual({ from: T - 26 * HOUR, to: T - HOUR / 4 })
    expect(nextWindow({ ...base, overlapMs: 30 * 24 * HOUR, mark: new Date(T - 24 * HOUR).toISOString() }, T).from).toBe(T - 7 * 24 * HOUR)
  })
  it('never ends before the mark when the clock went back', () => {
    expect(nextWindow({ ...base, mark: new Date(T + HOUR).toISOString() }, T).to).toBe(T + HOUR)
  })
})

describe('firstSince', () => {
  it('takes --since, else the retention days, else a week', () => {
    expect(firstSince(T, '2024-04-01T00:00:00Z', 30)).toBe(Date.UTC(2024, 3, 1))
    expect(firstSince(T, undefined, 30)).toBe(T - 30 * 24 * HOUR)
    expect(firstSince(T, undefined, undefined)).toBe(T - 7 * 24 * HOUR)
    expect(() => firstSince(T, 'yesterday', undefined)).toThrow(/not a time/)
  })
})
