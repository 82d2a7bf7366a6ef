import { describe, expect, it } from 'vitest'
import { localStamp } from '../../main/common/format.ts'
import { describeSource } from '../../main/engine/export/listing.ts'
import { inZone } from '../in-zone.ts'

describe('localStamp', () => {
  it('writes a journalled UTC instant as the reader keeps time, with the offset', () => {
    expect(inZone('Asia/Shanghai', () => localStamp('2026-02-28T16:00:00.000Z'))).toBe('2026-03-01 00:00 +08:00')
    expect(inZone('Asia/Shanghai', () => localStamp('2026-03-31T15:59:59.000Z'))).toBe('2026-03-31 23:59:59 +08:00')
    expect(inZone('America/New_York', () => localStamp('2026-02-28T16:00:00.000Z'))).toBe('2026-02-28 11:00 -05:00')
    expect(inZone('Asia/Kolkata', () => localStamp('2026-02-28T16:00:00.000Z'))).toBe('2026-02-28 21:30 +05:30')
    expect(localStamp('not a time')).toBe('not a time')
  })

  it('is how a range reads in messages and status, not the UTC the journal keeps', () => {
    const range = { kind: 'range', from: '2026-02-28T16:00:00.000Z', to: '2026-03-07T16:00:00.000Z' } as const
    expect(inZone('Asia/Shanghai', () => describeSource(range))).toBe('the calls from 2026-03-01 00:00 +08:00 to 2026-03-08 00:00 +08:00')
  })
})
