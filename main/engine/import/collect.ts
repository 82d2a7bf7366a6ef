import { V2_CONTACT_ID } from '../ccc/v2/names.ts'
import { uncsvFormula } from '../export/csv-write.ts'
import { findColumnByName, findNameColumn } from './header.ts'
import { ImportError } from './import-error.ts'
import { NameSet } from './name-set.ts'
import { cleanRecordingName, NAME_PROBLEM_TEXT, validateRecordingName, type NameProblem } from './validate-name.ts'

export interface ColumnChoice {
  /** Force the column of names: a header cell (case-insensitive) or a 0-based index. */
  column?: string | number
  /** `auto` (default): the first non-blank row is a header when it holds a known name header. */
  header?: boolean | 'auto'
  /**
   * Keep each unique name's whole row (its first), for the call's metadata (issue 13). Off by
   * default: a million-row import then costs only the set of names.
   */
  keepRows?: boolean
}

export interface ImportCounts {
  /** Rows after the header, blank ones included: names + duplicates + blank + invalid. */
  rows: number
  /** Unique valid names. */
  names: number
  duplicates: number
  blank: number
  /** All invalid rows, also those beyond the listed ones. */
  invalid: number
}

export interface InvalidRow {
  /** 1-based, as a spreadsheet numbers rows: header and blank rows count. */
  row: number
  /** The cleaned cell; cut to 300 characters. */
  value: string
  reason: NameProblem
  /** English text for `reason`. */
  message: string
}

export interface Collected {
  names: string[]
  counts: ImportCounts
  /** The first `maxInvalidRows` invalid rows, in file order. */
  invalid: InvalidRow[]
  header: { row: number; cells: string[] } | null
  column: { index: number; name: string | null }
  /** With `keepRows`: each name's row (cells as read), in the order of `names`, and its 1-based row number. */
  rows?: { cells: readonly string[]; row: number }[]
  /** The header is a row of names we do not know, taken for one because its cell is no file name and those below are. */
  headerGuessed?: true
  /** Title rows above the table (`通话记录导出,,`: one cell filled, no file name), left out: their row numbers. */
  titleRows?: number[]
}

const MAX_VALUE = 300
// A few lines of title and export date at most: past that, a row is the list's, whatever it holds.
const MAX_TITLE_ROWS = 5

// A file extension as recordings have them: `.wav`, `.mp3`, `.mkv`, `.ogg`, `.opus`.
const EXTENSION = /\.[A-Za-z0-9]{2,5}$/

/**
 * A title above a spreadsheet's table (`通话记录导出,,` or `导出时间：…,,`): a row of several cells
 * with one filled, and that no file name. A list of one column never has one; its rows are names.
 */
function isTitleRow(cells: readonly string[]): boolean {
  if (cells.length < 2) return false
  let filled: string | undefined
  for (const c of cells) {
    const v = cleanRecordingName(c)
    if (v === '') continue
    if (filled !== undefined) return false
    filled = v
  }
  return filled !== undefined && !EXTENSION.test(filled)
}

function isBlankRow(cells: readonly string[]): boolean {
  for (const c of cells) if (cleanRecordingName(c) !== '') return false
  return true
}

// Excel's way to keep a cell as text (long numbers, leading zeros): ="0138…" in a CSV it writes.
const EXCEL_TEXT = /^="((?:[^"]|"")*)"$/

/** A cell as the user meant it: trimmed, and Excel's ="…" text-forcing taken off. */
function cellValue(raw: string): string {
  const cell = cleanRecordingName(raw)
  const forced = EXCEL_TEXT.exec(cell)
  return forced ? cleanRecordingName(forced[1]!.replaceAll('""', '"')) : cell
}

/** A column given as a number on a command line, counting from 1 as a spreadsheet does; else -1. */
function columnNumber(column: string): number {
  return /^[1-9]\d{0,5}$/.test(column.trim()) ? Number(column.trim()) - 1 : -1
}

/**
 * Row by row, keeps the unique names and counts the rest. Nothing but the set of names grows
 * with the input: invalid rows are listed up to a cap and counted beyond it.
 */
export class NameCollector {
  private readonly seen = new NameSet()
  private readonly invalid: InvalidRow[] = []
  private readonly counts: ImportCounts = { rows: 0, names: 0, duplicates: 0, blank: 0, invalid: 0 }
  private rowNumber = 0
  private col = -1
  private header: Collected['header'] = null
  private readonly rows: { cells: readonly string[]; row: number }[] | undefined
  /** The first row read as data where a header was looked for and none known was found. */
  private firstData: { readonly row: number; readonly cells: readonly string[]; readonly name: string } | undefined
  private lookedForHeader = false
  private readonly titleRows: number[] = []

  constructor(
    private readonly file: string,
    private readonly choice: ColumnChoice,
    private readonly maxInvalidRows: number,
    /** What the column holds, for a row that holds something else but not that. */
    private readonly item = 'file name',
  ) {
    this.rows = choice.keepRows ? [] : undefined
    if (choice.header === false && typeof choice.column === 'string' && columnNumber(choice.column) < 0) {
      throw new ImportError('bad-option', file, `column "${choice.column}" is chosen by name, but the file is said to have no header`)
    }
    if (typeof choice.column === 'number' && !(Number.isInteger(choice.column) && choice.column >= 0)) {
      throw new ImportError('bad-option', file, `column index ${choice.column} is not a whole number ≥ 0`)
    }
  }

  /** Rows seen so far, header and blank rows included. */
  get rowsSeen(): number {
    return this.rowNumber
  }

  row(cells: readonly string[]): void {
    const n = ++this.rowNumber
    if (this.col < 0) {
      if (isBlankRow(cells)) {
        this.counts.rows++
        this.counts.blank++
        return
      }
      // Like the header below it, not a row of the list.
      if (this.titleRows.length < MAX_TITLE_ROWS && this.isTitle(cells)) {
        this.titleRows.push(n)
        return
      }
      if (this.chooseColumn(cells, n)) return
    }
    const raw = cells[this.col]
    const cell = raw === undefined ? '' : cellValue(raw)
    // A second copy of the header (two exports pasted one under the other) is no row of data.
    if (this.header && cell === this.header.cells[this.col] && this.isHeaderAgain(cells)) return
    this.counts.rows++
    // A group CSV we wrote imports again: its `'=1+2.wav` is the name `=1+2.wav`.
    const name = uncsvFormula(cell)
    if (name === '') {
      if (isBlankRow(cells)) this.counts.blank++
      // A row with a caller or an agent but no file name is a row someone meant: named, not dropped.
      else this.reject(n, 'empty', cells.map(cellValue).filter((c) => c !== '').join(' | '), `no ${this.item} in this row, which holds`)
      return
    }
    const problem = validateRecordingName(name)
    if (problem !== null) {
      this.reject(n, problem, name, NAME_PROBLEM_TEXT[problem])
      return
    }
    if (!this.seen.add(name)) this.counts.duplicates++
    else this.rows?.push({ cells: cells.map(cellValue), row: n })
    if (this.lookedForHeader && !this.header && this.counts.rows === this.counts.blank + 1) this.firstData = { row: n, cells, name }
  }

  private reject(row: number, reason: NameProblem, value: string, message: string): void {
    this.counts.invalid++
    if (this.invalid.length >= this.maxInvalidRows) return
    this.invalid.push({ row, value: value.length > MAX_VALUE ? `${value.slice(0, MAX_VALUE)}…` : value, reason, message })
  }

  /** A title row, unless it is the header asked for by name, or one we know. */
  /**
   * A title row, only where a header is looked for: in a list of file names (a contact ID has no
   * extension to tell it from a title), with no header or column number forced (a row the user
   * pointed at is theirs), and not the header asked for by name or one we know.
   */
  private isTitle(cells: readonly string[]): boolean {
    const { column, header = 'auto' } = this.choice
    if (this.item !== 'file name' || header !== 'auto' || typeof column === 'number') return false
    if (typeof column === 'string' && columnNumber(column) >= 0) return false
    if (!isTitleRow(cells) || findNameColumn(cells) >= 0) return false
    return typeof column !== 'string' || findColumnByName(cells, column) < 0
  }

  private isHeaderAgain(cells: readonly string[]): boolean {
    const header = this.header!.cells
    for (let i = 0; i < Math.max(cells.length, header.length); i++) if (cellValue(cells[i] ?? '') !== (header[i] ?? '')) return false
    return true
  }

  /** Settles header and column on the first non-blank row; true when that row is the header. */
  private chooseColumn(cells: readonly string[], n: number): boolean {
    const { column, header = 'auto' } = this.choice
    let isHeader: boolean
    // A number is a header's name only on a row that is a header: in a list without one, the
    // first row's "3" is data, and --column 3 means the third column.
    const named = typeof column === 'string' && (columnNumber(column) < 0 || (header !== false && findNameColumn(cells) >= 0 && findColumnByName(cells, column) >= 0))
    if (typeof column === 'string' && named) {
      this.col = findColumnByName(cells, column)
      if (this.col < 0) {
        const present = cells.map((c) => cleanRecordingName(c)).filter((c) => c !== '')
        const list = present.length > 20 ? `${present.slice(0, 20).join(', ')}, …` : present.join(', ')
        throw new ImportError('no-such-column', this.file, `no column named "${column}" in the header (${list})`, n)
      }
      isHeader = true
    } else {
      const known = header === false ? -1 : findNameColumn(cells)
      isHeader = header === 'auto' ? known >= 0 : header
      // A number typed on a command line counts from 1; one from the app's column picker from 0.
      const index = typeof column === 'string' ? columnNumber(column) : column
      if (index !== undefined) {
        if (index >= cells.length) {
          throw new ImportError(
            'no-such-column',
            this.file,
            `no column ${index + 1} (counting from 1): the first row has ${cells.length}`,
            n,
          )
        }
        this.col = index
      } else {
        this.col = Math.max(known, 0)
      }
    }
    if (isHeader) this.header = { row: n, cells: cells.map(cellValue) }
    this.lookedForHeader = header === 'auto' && this.item === 'file name'
    return isHeader
  }

  finish(): Collected {
    const names = this.seen.take()
    const guessed = this.headerOfUnknownNames(names)
    return {
      names,
      counts: { ...this.counts, names: names.length },
      invalid: this.invalid,
      header: this.header,
      column: { index: Math.max(this.col, 0), name: this.header?.cells[this.col] ?? null },
      ...(this.rows ? { rows: this.rows } : {}),
      ...(guessed ? { headerGuessed: true as const } : {}),
      ...(this.titleRows.length > 0 ? { titleRows: this.titleRows } : {}),
    }
  }

  /**
   * A header whose names we do not know (录音名称 for 录音文件名) would be a recording to fetch,
   * and its columns (坐席) unknown to templates and filters. A first row whose cell is no file
   * name, above rows whose cells are, is that header: taken as one, out of the names.
   */
  private headerOfUnknownNames(names: string[]): boolean {
    const f = this.firstData
    if (!f || this.header || names[0] !== f.name || EXTENSION.test(f.name) || !names.some((name) => EXTENSION.test(name))) return false
    names.shift()
    this.rows?.shift()
    this.counts.rows--
    this.header = { row: f.row, cells: f.cells.map(cellValue) }
    return true
  }
}

/**
 * Refuses a list read from the wrong column. Every CCC recording is named with its extension
 * (`….wav`, `….mp3`): a column where no value has one is another column (an agent, a row number,
 * a date), and would cost an API call per row for nothing but NotExist.Record. One name with an
 * extension is enough to go on. Not part of the collector: the app shows its column picker
 * instead when it has a question to ask, and checks the column once it is chosen.
 */
export function refuseNonRecordingNames(collected: Pick<Collected, 'names' | 'header' | 'column'>, file: string): void {
  const { names, header, column } = collected
  if (names.length === 0 || names.some((name) => EXTENSION.test(name))) return
  const which = header ? `column "${header.cells[column.index]}"` : `column ${column.index + 1}`
  const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ', …' : '')
  const headers = header ? ` The header: ${header.cells.filter((c) => c !== '').join(', ')}.` : ''
  // CCC 2.0 finds recordings by contact ID: a list of them is the right list in the wrong place.
  const contacts = V2_CONTACT_ID.test(names[0]!) ? ' These look like contact IDs: give them as contact IDs (--contacts, or the Contact IDs tab in the app).' : ''
  throw new ImportError(
    'no-recording-names',
    file,
    `${which} holds no recording file names (${shown}): a recording's name ends in its extension, such as .wav or .mp3. Choose the column of file names.${headers}${contacts}`,
  )
}
