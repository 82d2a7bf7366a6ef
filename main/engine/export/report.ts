import { join } from 'node:path'
import { csvLine, UTF8_BOM } from './csv-write.ts'
import type { ExportTable } from './export-table.ts'
import { replaceFile } from '../atomic-file.ts'
import { STATE_DIR } from './journal.ts'

export const REPORT_FILE = 'report.csv'
// The first eight are the contract (architecture.md); verified_by came later, at the end, so a
// reader of the old columns is not disturbed.
export const REPORT_COLUMNS = ['file_name', 'status', 'bytes', 'crc64', 'error_code', 'error_message', 'attempts', 'local_path', 'verified_by'] as const

/**
 * `<out>/report.csv` (architecture.md, "Report (contract)"): one row per file, UTF-8 with a BOM so
 * Excel opens it. Written whole to a temp file (in the state folder) and renamed, so a reader never
 * sees half a report.
 */
export async function writeReport(outDir: string, table: ExportTable): Promise<string> {
  const target = join(outDir, REPORT_FILE)
  await replaceFile(target, reportLines(table), { tempDir: join(outDir, STATE_DIR) })
  return target
}

function* reportLines(table: ExportTable): Generator<string> {
  yield `${UTF8_BOM}${csvLine(REPORT_COLUMNS)}`
  for (const [name, entry] of table.files) {
    yield csvLine([
      name,
      entry.state,
      entry.bytes,
      entry.crc64,
      entry.error?.code,
      entry.error?.message,
      entry.attempts,
      entry.state === 'done' ? entry.path : undefined,
      // crc64 (what OSS sends), md5, or "length only": a proxy stripped both checksums (issue 17).
      entry.state !== 'done' ? undefined : entry.verifiedBy === 'length' ? 'length only' : (entry.verifiedBy ?? 'crc64'),
    ])
  }
}
