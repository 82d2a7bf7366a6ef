import { open, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { csvField, csvText, UTF8_BOM } from './csv-write.ts'
import type { ExportTable } from './export-table.ts'

export const REPORT_FILE = 'report.csv'
export const REPORT_COLUMNS = ['file_name', 'status', 'bytes', 'crc64', 'error_code', 'error_message', 'attempts', 'local_path'] as const

/**
 * `<out>/report.csv` (architecture.md, "Report (contract)"): one row per file, UTF-8 with a BOM so
 * Excel opens it. Written whole to a temp file and renamed, so a reader never sees half a report.
 */
export async function writeReport(outDir: string, table: ExportTable): Promise<string> {
  const target = join(outDir, REPORT_FILE)
  const temp = `${target}.tmp`
  const file = await open(temp, 'w')
  try {
    let chunk = `${UTF8_BOM}${REPORT_COLUMNS.join(',')}\r\n`
    for (const [name, entry] of table.files) {
      const row = [
        csvField(name),
        entry.state,
        String(entry.bytes),
        entry.crc64 ?? '',
        csvField(entry.error?.code),
        csvText(entry.error?.message),
        String(entry.attempts),
        csvField(entry.state === 'done' ? entry.path : undefined),
      ]
      chunk += `${row.join(',')}\r\n`
      // Small writes: a megabyte string built row by row survives long enough to be promoted,
      // and a 100,000-row report then lifted the export's peak memory by 20 MB at its very end.
      if (chunk.length >= 64 * 1024) {
        await file.write(chunk)
        chunk = ''
      }
    }
    await file.write(chunk)
    await file.sync()
  } finally {
    await file.close()
  }
  await rename(temp, target)
  return target
}
