import type { FileRow } from '../../common/api.ts'
import type { JobKind } from '../../common/job.ts'
import { csvLine, UTF8_BOM } from './csv-write.ts'
import type { ExportTable, FileEntry } from './export-table.ts'

/**
 * A window of the file table for the app's virtualised list: one pass over the state column, and
 * only the window's rows read whole (a name is decoded and a view made for those alone, so paging
 * through a million files does not decode a million names per page).
 */
export function fileRows(table: ExportTable, offset: number, limit: number, state?: JobKind, code?: string): { total: number; rows: FileRow[] } {
  const { files } = table
  const rows: FileRow[] = []
  if (state === undefined && code === undefined && files.droppedRows === 0) {
    for (let i = offset; i < Math.min(files.size, offset + limit); i++) rows.push(rowAt(table, i))
    return { total: files.size, rows }
  }
  let total = 0
  for (let i = 0; i < files.size; i++) {
    if (!files.isRow(i)) continue
    if (state !== undefined && files.stateAt(i) !== state) continue
    if (code !== undefined && files.errorAt(i)?.code !== code) continue
    if (total >= offset && rows.length < limit) rows.push(rowAt(table, i))
    total++
  }
  return { total, rows }
}

function rowAt(table: ExportTable, i: number): FileRow {
  return fileRow(table.files.nameAt(i), table.files.at(i))
}

/** What the app's file list shows of one file. */
export function fileRow(name: string, e: FileEntry): FileRow {
  return { name, state: e.state, bytes: e.bytes, ...(e.error ? { error: e.error } : {}), ...(e.path ? { localPath: e.path } : {}) }
}

/** A group of failures as a CSV that imports again as a list: a `FileName` column first, BOM for Excel. */
export function groupCsv(table: ExportTable, code: string): string {
  const { files } = table
  let out = `${UTF8_BOM}${csvLine(['FileName', 'error_code', 'error_message'])}`
  for (let i = 0; i < files.size; i++) {
    const error = files.stateAt(i) === 'failed' ? files.errorAt(i) : undefined
    if (error?.code === code) out += csvLine([files.nameAt(i), error.code, error.message])
  }
  return out
}
