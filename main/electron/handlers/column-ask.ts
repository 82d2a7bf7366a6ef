import type { ColumnPreview } from '../../common/api.ts'
import { importRows, type ImportResult, type RowCollector } from '../../engine/import/csv.ts'
import { xlsxRows } from '../../engine/import/xlsx.ts'

/** Enough rows to recognise which column holds file names. */
const SHOWN_ROWS = 6
const LOOKS_LIKE_FILE = /\.[a-z0-9]{2,5}$/i

/** The first non-blank rows of a CSV/TSV/list, read until there are enough and no further. */
export async function firstCsvRows(input: string | AsyncIterable<Uint8Array>, fileName?: string): Promise<string[][]> {
  const rows: string[][] = []
  const stop = new AbortController()
  const collector: RowCollector = {
    get rowsSeen() {
      return rows.length
    },
    row(cells) {
      if (cells.every((c) => c.trim() === '')) return
      rows.push(cells.map((c) => c.trim()))
      if (rows.length >= SHOWN_ROWS) stop.abort()
    },
    finish: () => ({ names: [], counts: { rows: 0, names: 0, duplicates: 0, blank: 0, invalid: 0 }, invalid: [], header: null, column: { index: 0, name: null } }),
  }
  await importRows(input, { signal: stop.signal, ...(fileName ? { fileName } : {}) }, () => collector).catch((e: unknown) => {
    if (!stop.signal.aborted) throw e
  })
  return rows
}

export async function firstXlsxRows(input: string | Uint8Array, label: string): Promise<string[][]> {
  return (await xlsxRows(input, label)).filter((r) => r.some((c) => c.trim() !== '')).slice(0, SHOWN_ROWS)
}

/**
 * What the column picker shows. It asks when no known header was found and the first row does not
 * look like the rest: several columns, or a first cell that is no file name above cells that are
 * ("通话ID" over "….wav"). A column the user chose is not asked again.
 */
export function columnPreview(rows: string[][], result: ImportResult, chosen: boolean): ColumnPreview {
  const first = rows[0] ?? []
  const second = rows[1] ?? []
  const filled = first.filter((c) => c !== '').length
  const oddFirst = !LOOKS_LIKE_FILE.test(first[0] ?? '') && LOOKS_LIKE_FILE.test(second[0] ?? '')
  // A header guessed from its shape (import/collect.ts) is still a question the picker can ask.
  const ask = !chosen && (result.header === null || result.headerGuessed === true) && (filled > 1 || oddFirst)
  return { rows, index: result.column.index, header: result.header !== null, ask }
}
