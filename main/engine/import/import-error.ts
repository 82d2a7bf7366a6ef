import { basename } from 'node:path'
import { CccError } from '../../common/errors.ts'

/**
 * Why an import stopped, as the import code names it. Stable: kept on the error as `reason`;
 * its catalog code (`code`, below) is what the UI and the CLI explain.
 */
export type ImportErrorCode =
  | 'unreadable' // the file could not be opened or read
  | 'not-text' // NUL bytes where text was expected: a recording or a spreadsheet, not a list
  | 'unclosed-quote' // a quoted field runs to the end of the file
  | 'record-too-large' // one record over the size limit, usually a quote left open
  | 'malformed' // any other CSV syntax error
  | 'no-such-column' // the column the caller asked for is not there
  | 'no-recording-names' // the column read holds no value that could name a recording (a wrong --column)
  | 'bad-option' // options that cannot work together

/** Each reason's catalog code: the CLI exits 2 on all of them (bad input, nothing started). */
export const IMPORT_CODES = {
  unreadable: 'Import.Unreadable',
  'not-text': 'Import.NotText',
  'unclosed-quote': 'Import.UnclosedQuote',
  'record-too-large': 'Import.RecordTooLarge',
  malformed: 'Import.Malformed',
  'no-such-column': 'Import.NoSuchColumn',
  'no-recording-names': 'Import.NoRecordingNames',
  'bad-option': 'Import.BadOption',
} as const satisfies Record<ImportErrorCode, `Import.${string}`>

/**
 * An import that cannot go on: the file, and the row when one is to blame, are named in the
 * message (`names.csv: row 3: …`) as well as in fields, so a terminal user and the UI both see them.
 */
export class ImportError extends CccError {
  declare readonly code: (typeof IMPORT_CODES)[ImportErrorCode]
  readonly reason: ImportErrorCode
  /** The file as the caller named it (full path, or a label such as "stdin"). */
  readonly file: string
  /** 1-based row as a spreadsheet numbers it, header included; undefined when no row is to blame. */
  readonly row: number | undefined

  constructor(reason: ImportErrorCode, file: string, detail: string, row?: number, cause?: unknown) {
    super({
      code: IMPORT_CODES[reason],
      message: `${basename(file) || file}: ${row === undefined ? '' : `row ${row}: `}${detail}`,
      ...(cause === undefined ? {} : { cause }),
      details: { file, ...(row === undefined ? {} : { row }) },
    })
    this.name = 'ImportError'
    this.reason = reason
    this.file = file
    this.row = row
  }
}

const READ_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
}

/** A failed open or read, without the OS message (which repeats the full path). */
export function unreadable(file: string, cause: unknown): ImportError {
  const code = (cause as { code?: unknown } | null)?.code
  const detail =
    typeof code === 'string'
      ? `cannot read: ${code}${READ_ERRORS[code] ? ` (${READ_ERRORS[code]})` : ''}`
      : `cannot read: ${cause instanceof Error ? cause.message : String(cause)}`
  return new ImportError('unreadable', file, detail, undefined, cause)
}
