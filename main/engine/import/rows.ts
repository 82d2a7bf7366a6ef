import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { CsvError, Parser } from 'csv-parse'
import { ImportError } from './import-error.ts'

/** How the rows of a names file are laid out. */
export type RowFormat = 'csv' | 'tsv' | 'list'

/** Longest record or line accepted: far beyond any real row, small enough to stop a runaway quote. */
export const MAX_RECORD_BYTES = 1024 * 1024

/**
 * The layout from the first non-blank line and the file's extension. `.txt` (and anything
 * without a known extension, such as a pasted list or stdin) may be any of the three: Excel's
 * "Unicode text" is tab-separated, a hand-made list has one name a line. CCC names contain no
 * comma, tab or double quote, so seeing one means columns.
 */
export function sniffFormat(firstLine: string, extension: string): RowFormat {
  const tab = firstLine.includes('\t')
  const comma = firstLine.includes(',')
  switch (extension.toLowerCase()) {
    case '.tsv':
    case '.tab':
      return 'tsv'
    case '.csv':
      return tab && !comma ? 'tsv' : 'csv'
    default:
      if (tab) return 'tsv'
      return comma || firstLine.includes('"') || csvDelimiter(firstLine) === ';' ? 'csv' : 'list'
  }
}

/**
 * Excel's `sep=;` first line, which says the delimiter and which Excel itself does not show as a
 * row; undefined when the text does not start with one.
 */
export function declaredSeparator(head: Buffer): string | undefined {
  const start = head.toString('utf8', 0, Math.min(head.length, 16))
  return /^sep=([^\r\n])(?:\r\n?|\n|$)/i.exec(start)?.[1]
}

/**
 * The delimiter of a CSV: Excel set to a European locale writes `;` (the comma being its decimal
 * mark), so a first line with semicolons and not one comma is read with `;`.
 */
export function csvDelimiter(firstLine: string): ',' | ';' {
  return firstLine.includes(';') && !firstLine.includes(',') ? ';' : ','
}

const LF = 0x0a
const CR = 0x0d
const HEAD_LIMIT = 64 * 1024

/**
 * The first non-blank line of the start of the text, and whether lines end in a lone CR (old
 * Mac Excel); null when more text is needed to tell.
 */
export function firstLine(head: Buffer, complete: boolean): { line: string; crOnly: boolean } | null {
  let pos = 0
  let crOnly: boolean | undefined
  for (;;) {
    const lf = head.indexOf(LF, pos)
    const cr = head.indexOf(CR, pos)
    const t = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr)
    if (t < 0) {
      if (!complete && head.length < HEAD_LIMIT) return null
      return { line: head.toString('utf8', pos), crOnly: crOnly ?? false }
    }
    // A CR at the very end may be the first half of a CRLF.
    if (head[t] === CR && t + 1 === head.length && !complete && head.length < HEAD_LIMIT) return null
    const crlf = head[t] === CR && head[t + 1] === LF
    crOnly ??= head[t] === CR && !crlf
    const line = head.toString('utf8', pos, t)
    if (line.trim() !== '') return { line, crOnly }
    pos = t + (crlf ? 2 : 1)
  }
}

/** Where the rows go, one array of cells each, in file order. */
export type RowSink = (cells: string[]) => void

/**
 * Lines of a plain list, one cell each. Names are decoded with `toString`, so each is a fresh
 * flat string and the Set of names does not pin the 64 KB chunks it was cut from.
 */
export class LineSplitter {
  private rest: Buffer | null = null

  constructor(
    private readonly separator: number,
    private readonly sink: RowSink,
    private readonly tooLong: () => never,
  ) {}

  write(buf: Buffer): void {
    let start = 0
    if (this.rest) {
      const t = buf.indexOf(this.separator)
      if (t < 0) {
        this.rest = Buffer.concat([this.rest, buf])
        if (this.rest.length > MAX_RECORD_BYTES) this.tooLong()
        return
      }
      this.emit(Buffer.concat([this.rest, buf.subarray(0, t)]), 0, this.rest.length + t)
      this.rest = null
      start = t + 1
    }
    for (;;) {
      const t = buf.indexOf(this.separator, start)
      if (t < 0) break
      this.emit(buf, start, t)
      start = t + 1
    }
    if (start < buf.length) {
      this.rest = buf.subarray(start)
      if (this.rest.length > MAX_RECORD_BYTES) this.tooLong()
    }
  }

  end(): void {
    if (this.rest) this.emit(this.rest, 0, this.rest.length)
    this.rest = null
  }

  private emit(buf: Buffer, start: number, end: number): void {
    if (end > start && buf[end - 1] === CR) end--
    this.sink([buf.toString('utf8', start, end)])
  }
}

/** The sniffed head put back in front of the rest of the chunks. */
async function* prepend(head: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  try {
    if (head.length > 0) yield head
    for (;;) {
      const r = await rest.next()
      if (r.done) return
      yield r.value
    }
  } finally {
    // Stopped early (an error, an abort): let the source close its file.
    await rest.return?.()
  }
}

export interface SplitOptions {
  /** Skip sniffing. */
  format?: RowFormat
  /** `.csv`, `.tsv`, `.txt` or '' : the hint `sniffFormat` uses. */
  extension: string
  file: string
  /** Rows handed to the sink so far, to number the row a syntax error is in. */
  rowsSeen: () => number
  signal?: AbortSignal
}

/**
 * Splits UTF-8 text, arriving in chunks, into rows and hands each to `sink` as it is read. CSV
 * and TSV go through csv-parse (quotes, commas and line breaks inside quotes, CRLF, ragged rows);
 * a plain list through a line splitter, which is several times faster. Resolves with the layout.
 */
export async function splitRows(chunks: AsyncIterable<Buffer>, sink: RowSink, options: SplitOptions): Promise<RowFormat> {
  const it = chunks[Symbol.asyncIterator]()
  const { head, sniffed } = await readHead(it)
  const line = sniffed?.line ?? ''
  const declared = declaredSeparator(head)
  const format = options.format ?? (declared === '\t' ? 'tsv' : declared !== undefined ? 'csv' : sniffFormat(line, options.extension))
  const rest = prepend(head, it)
  if (format === 'list') await splitLines(rest, sniffed?.crOnly ? CR : LF, sink, options)
  else await splitCsv(rest, { delimiter: format === 'tsv' ? '\t' : (declared ?? csvDelimiter(line)), skipFirstLine: declared !== undefined }, sink, options)
  return format
}

/** Reads chunks until the first non-blank line is known (or the text ends): the head and that line. */
async function readHead(it: AsyncIterator<Buffer>): Promise<{ head: Buffer; sniffed: ReturnType<typeof firstLine> }> {
  const parts: Buffer[] = []
  let size = 0
  let sniffed: ReturnType<typeof firstLine> = null
  let endsInCr = false
  for (;;) {
    const r = await it.next()
    if (!r.done) {
      parts.push(r.value)
      size += r.value.length
    }
    // Only a line break, the end or the limit can settle it: look again only then, so that a
    // trickle of small chunks is not copied over and over.
    const settles = r.done || size >= HEAD_LIMIT || endsInCr || r.value.includes(LF) || r.value.includes(CR)
    if (settles) {
      const head = parts.length === 1 ? parts[0]! : Buffer.concat(parts, size)
      sniffed = firstLine(head, r.done === true)
      endsInCr = head[head.length - 1] === CR
    }
    if (sniffed || r.done) break
  }
  return { head: Buffer.concat(parts, size), sniffed }
}

async function splitLines(rest: AsyncIterable<Buffer>, separator: number, sink: RowSink, options: SplitOptions): Promise<void> {
  const tooLong = (): never => {
    throw new ImportError('record-too-large', options.file, `line longer than ${MAX_RECORD_BYTES / 1024 / 1024} MB`, options.rowsSeen() + 1)
  }
  const lines = new LineSplitter(separator, sink, tooLong)
  for await (const buf of rest) {
    options.signal?.throwIfAborted()
    lines.write(buf)
  }
  lines.end()
}

async function splitCsv(rest: AsyncIterable<Buffer>, layout: { delimiter: string; skipFirstLine: boolean }, sink: RowSink, options: SplitOptions): Promise<void> {
  const parser = new Parser({
    delimiter: layout.delimiter,
    // Excel's `sep=` line is not a row: rows are numbered as Excel shows them.
    ...(layout.skipFirstLine ? { from_line: 2 } : {}),
    // Excel leaves ragged rows and stray quotes in hand-edited sheets; only the name cell matters.
    relax_column_count: true,
    relax_quotes: true,
    // Blank rows must reach the sink so that they are counted and row numbers stay right.
    skip_empty_lines: false,
    max_record_size: MAX_RECORD_BYTES,
  })
  const consume = new Writable({
    objectMode: true,
    highWaterMark: 1024,
    write(cells: string[], _enc, done) {
      sink(cells)
      done()
    },
    writev(batch, done) {
      for (const { chunk } of batch) sink(chunk as string[])
      done()
    },
  })
  try {
    await pipeline(Readable.from(rest, { objectMode: false }), parser, consume, options.signal ? { signal: options.signal } : {})
  } catch (e) {
    throw e instanceof CsvError ? csvError(e, options.file) : e
  }
}

function csvError(e: CsvError, file: string): ImportError {
  // csv-parse counts the records it has finished; the broken one is the next. Its count, not the
  // sink's, because records may still be queued between parser and sink.
  const row = (typeof e.records === 'number' ? e.records : 0) + 1
  switch (e.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new ImportError('unclosed-quote', file, 'a quoted field is never closed (a stray " in this row?)', row, e)
    case 'CSV_MAX_RECORD_SIZE':
      return new ImportError(
        'record-too-large',
        file,
        `record longer than ${MAX_RECORD_BYTES / 1024 / 1024} MB (a stray " in this row?)`,
        row,
        e,
      )
    default:
      return new ImportError('malformed', file, e.message, row, e)
  }
}
