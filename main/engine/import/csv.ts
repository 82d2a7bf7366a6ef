import { createReadStream } from 'node:fs'
import { extname } from 'node:path'
import { isAbortError } from '../../common/errors.ts'
import { NameCollector, type Collected, type ColumnChoice } from './collect.ts'
import { createUtf8Decoder, type TextEncodingName } from './decode.ts'
import { ImportError, unreadable } from './import-error.ts'
import { splitRows, type RowFormat } from './rows.ts'

// The one module callers (export runner, CLI, IPC handlers) need to import.
export type { ColumnChoice, ImportCounts, InvalidRow } from './collect.ts'
export type { TextEncodingName } from './decode.ts'
export { ImportError, type ImportErrorCode } from './import-error.ts'
export type { RowFormat } from './rows.ts'
export { cleanRecordingName, NAME_PROBLEM_TEXT, validateRecordingName, type NameProblem } from './validate-name.ts'

export interface ImportOptions extends ColumnChoice {
  /** Skip layout sniffing (by default: from the extension and the first non-blank line). */
  format?: RowFormat
  /** Skip encoding detection. */
  encoding?: TextEncodingName
  /**
   * Names the input in errors and gives the extension hint when the input is a stream
   * (default: "stdin"); ignored for a path.
   */
  fileName?: string
  /** How many invalid rows to list (all are counted). Default 1000. */
  maxInvalidRows?: number
  signal?: AbortSignal
  /** Called once per chunk read (every 64 KB or so) with the bytes read and rows seen so far. */
  onProgress?: (progress: ImportProgress) => void
}

export interface ImportProgress {
  bytes: number
  rows: number
}

export interface ImportResult extends Collected {
  /** What the bytes were (null for pasted text, which arrives decoded). */
  encoding: TextEncodingName | null
  bom: boolean
  format: RowFormat
}

const READ_CHUNK = 64 * 1024

/**
 * Reads a names file (CSV, TSV or TXT in UTF-8, UTF-16 with BOM or GB18030) and returns its
 * unique valid names in first-seen order, with counts, the invalid rows and what was detected.
 * The file is streamed: a million rows cost the set of names and little else.
 *
 * `input` is a path or a byte stream (`process.stdin` for `-`). Rejects with ImportError (file
 * unreadable, not text, broken quoting, a chosen column missing) or an AbortError.
 */
export function importNames(input: string | AsyncIterable<Uint8Array>, options: ImportOptions = {}): Promise<ImportResult> {
  return importRows(input, options, nameCollector(options))
}

/** A file path or a byte stream, read into rows for the collector `collect` makes for it. */
export async function importRows(
  input: string | AsyncIterable<Uint8Array>,
  options: ImportOptions,
  collect: (file: string) => RowCollector,
): Promise<ImportResult> {
  if (typeof input !== 'string') {
    const label = options.fileName ?? 'stdin'
    return collectRows(input, label, extname(label), options, collect(label))
  }
  // Open and read errors surface on the first read, where collectRows names the file.
  const stream = createReadStream(input, { highWaterMark: READ_CHUNK })
  try {
    return await collectRows(stream, input, extname(input), options, collect(input))
  } finally {
    stream.destroy()
  }
}

/**
 * The same for a pasted list (one name a line, or cells copied from a spreadsheet, which arrive
 * tab-separated). `encoding` in the result is null.
 */
export function parseNameList(text: string, options: Omit<ImportOptions, 'encoding'> = {}): Promise<ImportResult> {
  return parseRows(text, options, nameCollector(options))
}

/** Pasted text, read like a file that arrives decoded. */
export async function parseRows(text: string, options: Omit<ImportOptions, 'encoding'>, collect: (file: string) => RowCollector): Promise<ImportResult> {
  const label = options.fileName ?? 'pasted list'
  // No extension: a paste may be a list or spreadsheet cells, so the layout is always sniffed.
  const result = await collectRows([Buffer.from(text, 'utf8')], label, '', { ...options, encoding: 'utf-8' }, collect(label))
  return { ...result, encoding: null, bom: false }
}

/** What turns rows into a result: names here, contact IDs in contact-ids.ts. */
export interface RowCollector {
  readonly rowsSeen: number
  row(cells: readonly string[]): void
  finish(): Collected
}

function nameCollector(options: ImportOptions): (file: string) => RowCollector {
  return (file) => new NameCollector(file, options, options.maxInvalidRows ?? 1000)
}

/** Decodes and splits `source` into rows for `collector`: the one reading path of every import. */
export async function collectRows(
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array>,
  file: string,
  extension: string,
  options: ImportOptions,
  collector: RowCollector,
): Promise<ImportResult> {
  const { signal, onProgress } = options
  signal?.throwIfAborted()
  const decoder = createUtf8Decoder({ file, ...(options.encoding ? { encoding: options.encoding } : {}) })
  let bytes = 0

  async function* utf8(): AsyncGenerator<Buffer> {
    let iterating = true
    try {
      for await (const chunk of source) {
        iterating = false
        const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk
        bytes += buf.byteLength
        const out = decoder.write(buf)
        onProgress?.({ bytes, rows: collector.rowsSeen })
        if (out.length > 0) yield out
        iterating = true
      }
      iterating = false
      const tail = decoder.end()
      if (tail.length > 0) yield tail
    } catch (e) {
      // Only the source's own failures are "cannot read"; ours pass through as they are.
      if (!iterating || e instanceof ImportError || isAbortError(e)) throw e
      throw unreadable(file, e)
    }
  }

  const format = await splitRows(utf8(), (cells) => collector.row(cells), {
    extension,
    file,
    rowsSeen: () => collector.rowsSeen,
    ...(options.format ? { format: options.format } : {}),
    ...(signal ? { signal } : {}),
  })
  return { ...collector.finish(), encoding: decoder.encoding, bom: decoder.bom, format }
}
