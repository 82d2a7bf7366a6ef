import { describe, expect, it } from 'vitest'
import { visibleRange, windowsFor } from '../../../renderer/lib/virtual.ts'

describe('visibleRange', () => {
  it('covers the viewport plus the overscan, clamped to the list', () => {
    expect(visibleRange(0, 320, 32, 100_000, 5)).toEqual({ start: 0, end: 15 })
    expect(visibleRange(32_000, 320, 32, 100_000, 5)).toEqual({ start: 995, end: 1015 })
    expect(visibleRange(3_199_700, 320, 32, 100_000, 5)).toEqual({ start: 99_985, end: 100_000 })
  })

  it('is empty for an empty list and survives odd inputs', () => {
    expect(visibleRange(0, 320, 32, 0, 5)).toEqual({ start: 0, end: 0 })
    expect(visibleRange(-50, 320, 32, 3, 5)).toEqual({ start: 0, end: 3 })
    // Scrolled past the end (the list shrank under a filter): still shows the last row.
    expect(visibleRange(10_000, 320, 32, 3, 0)).toEqual({ start: 2, end: 3 })
  })
})

describe('windowsFor', () => {
  it('names every window the range touches, and window 0 for an empty range', () => {
    expect(windowsFor({ start: 0, end: 0 }, 100)).toEqual([0])
    expect(windowsFor({ start: 0, end: 100 }, 100)).toEqual([0])
    expect(windowsFor({ start: 95, end: 130 }, 100)).toEqual([0, 1])
    expect(windowsFor({ start: 49_990, end: 50_020 }, 100)).toEqual([499, 500])
  })
})
