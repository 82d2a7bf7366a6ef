import { describe, expect, it } from 'vitest'
import { baseName, exportName, rangeName } from '../../main/common/export-name.ts'

const labels = { pasted: 'Pasted list', contacts: 'Contact IDs' }

describe('exportName', () => {
  it('names an export after its file, whichever separator the path has', () => {
    expect(exportName({ outDir: '/out/a', origin: { kind: 'names', file: '/home/u/calls-march.csv' } }, labels)).toBe('calls-march.csv')
    expect(exportName({ outDir: 'D:\\out', origin: { kind: 'contacts', file: 'C:\\Users\\u\\ids.xlsx' } }, labels)).toBe('ids.xlsx')
    expect(baseName('/a/b/')).toBe('b')
  })

  it('names a date range by its dates, the year once when shared', () => {
    expect(exportName({ outDir: '/o', origin: { kind: 'range', from: '2026-03-01T00:00:00+08:00', to: '2026-03-31T23:59:59+08:00' } }, labels)).toBe('2026-03-01 → 03-31')
    expect(rangeName('2025-12-30T00:00:00Z', '2026-01-02T00:00:00Z')).toBe('2025-12-30 → 2026-01-02')
    expect(rangeName('2026-03-01T00:00:00Z', '2026-03-01T23:00:00Z')).toBe('2026-03-01')
    expect(exportName({ outDir: '/o', origin: { kind: 'range', from: '2026-03-01T00:00:00Z', to: '2026-03-02T00:00:00Z', phone: '13800000000' } }, labels)).toBe('2026-03-01 → 03-02 · 13800000000')
  })

  it('names pasted lists by their label and folder, and an unknown source by its folder', () => {
    expect(exportName({ outDir: '/rec/april', origin: { kind: 'names' } }, labels)).toBe('Pasted list · april')
    expect(exportName({ outDir: '/rec/may', origin: { kind: 'contacts' } }, { pasted: '粘贴的清单', contacts: '通话 ID' })).toBe('通话 ID · may')
    expect(exportName({ outDir: '/rec/june' }, labels)).toBe('june')
  })
})
