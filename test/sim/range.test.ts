import { describe, expect, it } from 'vitest'
import { ifRangeHolds, planRange } from './range.ts'

describe('OSS range rules', () => {
  it('takes one satisfiable range', () => {
    expect(planRange('bytes=0-499', 1000)).toEqual({ kind: 'partial', start: 0, end: 499 })
    expect(planRange('bytes=500-', 1000)).toEqual({ kind: 'partial', start: 500, end: 999 })
    expect(planRange('bytes=-500', 1000)).toEqual({ kind: 'partial', start: 500, end: 999 })
    expect(planRange('bytes=999-999', 1000)).toEqual({ kind: 'partial', start: 999, end: 999 })
  })

  it('ignores what OSS ignores: whole object, never 416', () => {
    const ignored = [undefined, 'bytes=1000-', 'bytes=1000-2000', 'bytes=0-1000', 'bytes=-2000', 'bytes=-0']
    ignored.push('bytes=0-1,3-4', 'byte=0-1', 'bytes=5-1', 'bytes=-', 'bytes=a-b')
    for (const h of ignored) {
      expect(planRange(h, 1000), String(h)).toEqual({ kind: 'whole' })
    }
    expect(planRange('bytes=0-', 0)).toEqual({ kind: 'whole' })
  })

  it('clamps the end and refuses a start past the end under x-oss-range-behavior: standard', () => {
    expect(planRange('bytes=500-2000', 1000, true)).toEqual({ kind: 'partial', start: 500, end: 999 })
    expect(planRange('bytes=-2000', 1000, true)).toEqual({ kind: 'partial', start: 0, end: 999 })
    expect(planRange('bytes=1000-', 1000, true)).toEqual({ kind: 'unsatisfiable' })
  })

  it('lets If-Range through only for the current strong ETag or the exact Last-Modified', () => {
    const etag = '"0A1B"'
    const lm = 'Wed, 01 Jan 2025 00:00:00 GMT'
    expect(ifRangeHolds(undefined, etag, lm)).toBe(true)
    expect(ifRangeHolds('"0A1B"', etag, lm)).toBe(true)
    expect(ifRangeHolds('"FFFF"', etag, lm)).toBe(false)
    expect(ifRangeHolds('W/"0A1B"', etag, lm)).toBe(false)
    expect(ifRangeHolds(lm, etag, lm)).toBe(true)
    expect(ifRangeHolds('Wed, 01 Jan 2025 00:00:01 GMT', etag, lm)).toBe(false)
  })
})
