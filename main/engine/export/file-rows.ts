import type { FileRow } from '../../common/api.ts'
import type { JobKind } from '../../common/job.ts'
import { csvLine, UTF8_BOM } from './csv-write.ts'
import type { ExportTable } from './export-table.ts'

/** A window of the file table for the app's virtualised list: one pass, nothing retained. */
export function fileRows(table: ExportTable, offset: number, limit: number, state?: JobKind, code?: string): { total: number; rows: FileRow[] } {
  const rows: FileRow[] = []
  let total = 0
  for (const [name, e] of table.files) {
    if (state !== undefined && e.state !== state) continue
    if (code !== undefined && e.error?.code !== code) continue
    if (total >= offset && rows.length < limit) {
      rows.push({ name, state: e.state, bytes: e.bytes, ...(e.error ? { error: e.error } : {}), ...(e.path ? { localPath: e.path } : {}) })
    }
    total++
  }
  return { total, rows }
}

/** A group of failures as a CSV that imports again as a list: a `FileName` column first, BOM for Excel. */
export function groupCsv(table: ExportTable, code: string): string {
  let out = `${UTF8_BOM}${csvLine(['FileName', 'error_code', 'error_message'])}`
  for (const [name, e] of table.files) {
    if (e.state === 'failed' && e.error?.code === code) out += csvLine([name, e.error.code, e.error.message])
  }
  return out
}
