import { NameCollector } from './collect.ts'
import { type ImportOptions, type ImportResult, importRows, parseRows } from './csv.ts'
import { ImportError } from './import-error.ts'
import { normalizeHeader } from './header.ts'
import { cleanRecordingName } from './validate-name.ts'

/** Header cells that name the contact-ID column (compared after `normalizeHeader`). */
export const KNOWN_CONTACT_HEADERS: readonly string[] = ['ContactId', '话务ID', 'contact_id', '话务编号', '通话ID']

const CONTACT_HEADERS = new Set(KNOWN_CONTACT_HEADERS.map(normalizeHeader))

/** The contact-ID header among the cells, or -1. */
export function findContactColumn(cells: readonly string[]): number {
  return cells.findIndex((c) => CONTACT_HEADERS.has(normalizeHeader(c)))
}

/**
 * Row by row like NameCollector, which does the counting and checking; only the column is chosen
 * differently: a `ContactId`/`话务ID`/`contact_id` header, else a file of one column without one.
 * Rows before the first non-blank one are held back, so that the collector numbers rows as a
 * spreadsheet does.
 */
class ContactCollector {
  private inner: NameCollector | undefined
  private readonly held: string[][] = []

  constructor(
    private readonly file: string,
    private readonly options: ImportOptions,
  ) {}

  get rowsSeen(): number {
    return this.inner?.rowsSeen ?? this.held.length
  }

  row(cells: string[]): void {
    if (this.inner) return this.inner.row(cells)
    this.held.push(cells)
    if (cells.every((c) => cleanRecordingName(c) === '')) return
    this.inner = new NameCollector(this.file, this.choose(cells), this.options.maxInvalidRows ?? 1000, 'contact ID')
    for (const held of this.held) this.inner.row(held)
    this.held.length = 0
  }

  private choose(cells: readonly string[]): ImportOptions {
    const { column, header } = this.options
    if (column !== undefined) return { column, ...(header === undefined ? {} : { header }) }
    const at = header === false ? -1 : findContactColumn(cells)
    if (at >= 0) return { column: at, header: true }
    const filled = cells.flatMap((c, i) => (cleanRecordingName(c) === '' ? [] : [i]))
    if (filled.length > 1) {
      throw new ImportError(
        'no-such-column',
        this.file,
        `no contact-ID column: head it ${KNOWN_CONTACT_HEADERS.slice(0, 3).join(', ')}, or give one column of IDs`,
        this.rowsSeen,
      )
    }
    return { column: filled[0] ?? 0, header: header === true }
  }

  finish(): ReturnType<NameCollector['finish']> {
    if (!this.inner) {
      // Nothing but blank rows: still counted.
      this.inner = new NameCollector(this.file, { column: 0, header: false }, 0)
      for (const held of this.held) this.inner.row(held)
    }
    return this.inner.finish()
  }
}

/**
 * Reads a file of contact IDs (CSV, TSV or a plain list, in any encoding the names import reads):
 * the unique IDs in first-seen order, with the same counts, invalid rows and detection results
 * as `importNames`. `column`/`header` force the column as they do there.
 */
export function importContactIds(input: string | AsyncIterable<Uint8Array>, options: ImportOptions = {}): Promise<ImportResult> {
  return importRows(input, options, (file) => new ContactCollector(file, options))
}

/** The same for pasted text (one ID a line, or spreadsheet cells). */
export function parseContactIdList(text: string, options: Omit<ImportOptions, 'encoding'> = {}): Promise<ImportResult> {
  return parseRows(text, options, (file) => new ContactCollector(file, options))
}
