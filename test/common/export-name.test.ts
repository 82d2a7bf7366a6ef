import { describe, expect, it } from 'vitest'
import { baseName, exportName, rangeName } from '../../main/common/export-name.ts'
import { inZone } from '../in-zone.ts'

const labels = { pasted: 'Pasted list', contacts: 'Contact IDs' }


describe('exportName', () => {
  it('names an export after its file, whichever separator the path has', () => {
    expect(exportName({ outDir: '/out/a', origin: { kind: 'names', file: '/home/u/calls-march.csv' } }, labels)).toBe('calls-march.csv')
    expect(exportName({ outDir: 'D:\\out', origin: { kind: 'contacts', file: 'C:\\Users\\u\\ids.xlsx' } }, labels)).toBe('ids.xlsx')
    expect(baseName('/a/b/')).toBe('b')
  })

  it('names a date range by its dates, the year once when shared', () => {
    inZone('Asia/Shanghai', () => {
      expect(exportName({ outDir: '/o', origin: { kind: 'range', from: '2026-03-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00' } }, labels)).toBe('2026-03-01 → 03-31')
      expect(rangeName('2025-12-29T16:00:00Z', '2026-01-02T16:00:00Z')).toBe('2025-12-30 → 2026-01-02')
      expect(exportName({ outDir: '/o', origin: { kind: 'range', from: '2026-02-28T16:00:00Z', to: '2026-03-02T16:00:00Z', phone: '13800000000' } }, labels)).toBe('2026-03-01 → 03-02 · 13800000000')
    })
  })

  // rangeSource journals both ends in UTC: "yesterday" picked in Beijing is 16:00Z to 16:00Z.
  it('names a range by the local days picked, its exclusive end the day before, in any zone', () => {
    inZone('Asia/Shanghai', () => {
      expect(rangeName('2026-12-03T16:00:00.000Z', '2026-12-04T16:00:00.000Z')).toBe('2026-12-04')
      expect(rangeName('2026-11-27T16:00:00.000Z', '2026-12-04T16:00:00.000Z')).toBe('2026-11-28 → 12-04')
      // An export journalled before the end was exclusive still ends on its own last day.
      expect(rangeName('2026-03-01T00:00:00+08:00', '2026-03-31T23:59:59+08:00')).toBe('2026-03-01 → 03-31')
    })
    inZone('America/New_York', () => {
      expect(rangeName('2026-12-04T05:00:00.000Z', '2026-12-05T05:00:00.000Z')).toBe('2026-12-04')
      expect(rangeName('2026-11-01T04:00:00.000Z', '2026-12-01T05:00:00.000Z')).toBe('2026-11-01 → 11-30')
    })
  })

  it('names pasted lists by their label and folder, and an unknown source by its folder', () => {
    expect(exportName({ outDir: '/rec/april', origin: { kind: 'names' } }, labels)).toBe('Pasted list · april')
    expect(exportName({ outDir: '/rec/may', origin: { kind: 'contacts' } }, { pasted: '粘贴的清单', contacts: '通话 ID' })).toBe('通话 ID · may')
    expect(exportName({ outDir: '/rec/june' }, labels)).toBe('june')
  })
})
