import { describe, expect, it } from 'vitest'
import { NAME_LIST_FILTERS } from '../../main/electron/pick-filters.ts'

/** Whether a dialog filter shows `file` (as the OS dialogs match: by the last extension, any case). */
const shows = (filter: { extensions: string[] }, file: string): boolean =>
  filter.extensions.some((ext) => ext === '*' || file.toLowerCase().endsWith(`.${ext}`))

describe('the Choose-file dialog', () => {
  it('shows every list the import reads in its first filter, an Excel workbook included', () => {
    const first = NAME_LIST_FILTERS[0]!
    for (const file of ['calls-march.csv', 'calls.TSV', 'names.txt', 'calls-march.xlsx']) expect(shows(first, file), file).toBe(true)
    expect(first.name).toMatch(/Excel/)
    expect(NAME_LIST_FILTERS.at(-1)?.extensions).toEqual(['*'])
  })
})
