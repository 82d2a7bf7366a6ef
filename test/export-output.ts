import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { journalPath } from '../main/engine/export/journal.ts'

/** What an export folder says, read as a user's tool would: for the CLI's and the app's tests alike. */

/** The names the journal holds as done (verified on disk); none before the journal exists. */
export async function journalDone(out: string): Promise<string[]> {
  try {
    const lines = (await readFile(journalPath(out), 'utf8')).split('\n').filter((l) => l.startsWith('{"type":"done"'))
    return lines.map((l) => (JSON.parse(l) as { name: string }).name)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw e
  }
}

/** manifest.csv's rows by their file_name, each by column header (the BOM and Excel's quoting handled by csv-parse). */
export async function manifestRows(out: string): Promise<Map<string, Record<string, string>>> {
  const rows = parse(await readFile(join(out, 'manifest.csv'), 'utf8'), { bom: true, columns: true, skip_empty_lines: true }) as Record<string, string>[]
  return new Map(rows.map((row) => [row.file_name!, row]))
}

/** The contact IDs report.csv lists as skipped because their recording was not ready yet. */
export async function notReadyInReport(out: string): Promise<Set<string>> {
  const report = await readFile(join(out, 'report.csv'), 'utf8')
  return new Set([...report.matchAll(/^call\/([^,]+),skipped,.*not ready yet/gm)].map((m) => m[1]!))
}

/** A manifest row's call columns that the 2.0 tests compare: contact ID, start (ms), agent, direction. */
export function callOf(row: Record<string, string>): { contact?: string; start: number; agent?: string; direction?: string } {
  return { contact: row.contact_id, start: Date.parse(row.call_start ?? ''), agent: row.agent_name, direction: row.direction }
}
