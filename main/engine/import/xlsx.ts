import { open } from 'node:fs/promises'
import type { ImportOptions, ImportResult } from './csv.ts'
import { NameCollector } from './collect.ts'
import { ImportError } from './import-error.ts'

/** A zip's first bytes: an .xlsx is a zip, whatever its name says. */
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]

/** A file's first bytes, to know a workbook by its zip signature whatever its name; undefined when unreadable (the import says why). */
export async function fileHead(path: string): Promise<Uint8Array | undefined> {
  const fh = await open(path, 'r').catch(() => undefined)
  if (!fh) return undefined
  try {
    const head = Buffer.alloc(ZIP_MAGIC.length)
    const { bytesRead } = await fh.read(head, 0, head.length, 0)
    return head.subarray(0, bytesRead)
  } catch {
    return undefined
  } finally {
    await fh.close()
  }
}

/**
 * An Excel workbook by its bytes when they are at hand (a file may be misnamed: a CSV saved as
 * `.xlsx` is read as the text it is), else by its name.
 */
export function isXlsx(fileName: string, head?: Uint8Array): boolean {
  if (head === undefined || head.length < ZIP_MAGIC.length) return /\.xlsx$/i.test(fileName)
  return /\.(xlsx|xls|csv)$/i.test(fileName) && ZIP_MAGIC.every((b, i) => head[i] === b)
}

/**
 * A cell as a CSV of the sheet would hold it. Excel keeps a date and time with no zone: the wall
 * clock of whoever typed it. read-excel-file hands it over as a Date whose UTC fields are that
 * clock, so it is written back without a zone (as Excel shows it), and the call model reads it as
 * China Standard Time like any zoneless time, not shifted by 8 hours.
 */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (value instanceof Date) return dateText(value)
  return String(value)
}

/**
 * Excel keeps a time as a fraction of a day, and read-excel-file floors fraction × 86,400,000 to
 * whole ms: 09:00:02 can arrive as 09:00:01.999, which cut at the second reads a second early.
 * Rounded to the nearest second first, it reads as the clock Excel shows.
 */
function dateText(date: Date): string {
  const ms = date.getTime()
  if (!Number.isFinite(ms)) return String(date)
  return new Date(Math.round(ms / 1000) * 1000).toISOString().slice(0, 19).replace('T', ' ')
}

/** The first sheet as rows of text cells, as a CSV of it would read. */
export async function xlsxRows(input: string | Uint8Array, label: string): Promise<string[][]> {
  // Loaded when a workbook is read: it and its zip and XML readers took a third of every CLI
  // start (0.17 of 0.45 s), for a format most runs never see. Outside the try: a reader that fails
  // to load is our fault, not the workbook's.
  const { readSheet } = await import('read-excel-file/node')
  try {
    const rows = await readSheet(typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength))
    return rows.map((row) => row.map(cellText))
  } catch (e) {
    throw new ImportError('unreadable', label, `not a readable Excel workbook (${e instanceof Error ? e.message : String(e)})`)
  }
}

/**
 * Names from the first sheet of an .xlsx, exactly as from a CSV: the same header detection, column
 * choice, validation and counts (NameCollector). read-excel-file reads it (see package.json's commit).
 */
export async function importXlsxNames(input: string | Uint8Array, label: string, options: ImportOptions = {}): Promise<ImportResult> {
  const collector = new NameCollector(label, options, options.maxInvalidRows ?? 1000)
  for (const row of await xlsxRows(input, label)) collector.row(row)
  return { ...collector.finish(), encoding: null, bom: false, format: 'csv' }
}
