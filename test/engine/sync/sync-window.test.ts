import { describe, expect, it } from 'vitest'
import { firstSince, nextWindow, parseSince } from '../../../main/engine/sync/sync-window.ts'

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
    expect(() => firstSince(T, 'yesterday', undefined)).toThrow(/not an ISO 8601 time/)
  })
})

describe('parseSince', () => {
  it('reads --since as download reads --from: a bare date is local midnight', () => {
    expect(parseSince('2024-04-01', T)).toBe(new Date(2024, 3, 1).getTime())
    expect(parseSince('2024-04-01 09:30', T)).toBe(new Date(2024, 3, 1, 9, 30).getTime())
    expect(parseSince('2024-04-01T00:00+08:00', T)).toBe(Date.UTC(2024, 2, 31, 16))
  })
  it('refuses what Date.parse would guess at: a number, a month name, a day that does not exist', () => {
    for (const text of ['1', 'Dec 4', '2024-02-30', '2024-4-1']) expect(() => parseSince(text, T), text).toThrow(/not an ISO 8601 time/)
  })
  it('refuses a start in the future, saying so', () => {
    expect(() => parseSince('2024-05-02', T)).toThrow(/is in the future/)
  })
})
