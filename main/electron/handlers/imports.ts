import { randomUUID } from 'node:crypto'
import type { ImportPreview, NameSource } from '../../common/api.ts'
import type { SourceInfo } from '../../engine/export/journal-events.ts'
import { refuseNonRecordingNames } from '../../engine/import/collect.ts'
import { importNames, type ImportResult, parseNameList } from '../../engine/import/csv.ts'
import { describeSource, listingSource, SourceError } from '../../engine/import/sources.ts'
import { fileHead, importXlsxNames, isXlsx } from '../../engine/import/xlsx.ts'
import { columnPreview, firstCsvRows, firstXlsxRows } from './column-ask.ts'
import type { RecordingMeta } from '../../engine/calls/call.ts'
import { namesAreContactIds } from '../../engine/ccc/v2/source-api.ts'
import { metasOf, sampleNames } from './call-choices.ts'
import { HandlerError, type HandlerSlice } from './context.ts'

/** A previewed list, kept on this side so a million names cross IPC once. */
export interface PendingImport {
  /** Recording names to add, or contact IDs to list (a range lists from the source alone). */
  readonly names: readonly string[]
  readonly contactIds: readonly string[]
  readonly source: SourceInfo
  /** A list's rows as call metadata, in the order of `names`, and its header (for `{col:…}`). */
  readonly metas?: readonly RecordingMeta[]
  readonly headers?: readonly string[]
}

/** Previewed lists by token, until an export takes one. */
export class PendingImports {
  private readonly byToken = new Map<string, PendingImport>()

  keep(pending: PendingImport): string {
    const token = randomUUID()
    this.byToken.set(token, pending)
    return token
  }

  get(token: string): PendingImport {
    const pending = this.byToken.get(token)
    if (!pending) throw new HandlerError('Import.Expired', 'That list is no longer loaded; add it again')
    return pending
  }

  drop(token: string): void {
    this.byToken.delete(token)
  }
}

/**
 * The files the user chose in the file dialog this session: the only paths a preview reads. The
 * page is not trusted, and a path it made up could be any file this user may read (a key, another
 * app's data), shown back in the preview's rows. Dropped files cross as bytes and need no path.
 */
export class PickedFiles {
  private readonly paths = new Set<string>()

  add(path: string): void {
    this.paths.add(path)
  }

  has(path: string): boolean {
    return this.paths.has(path)
  }
}

/** Reads a list (a file, dropped bytes, pasted text) or checks a listed source, and previews it. */
export function importHandlers(pending: PendingImports, picked: PickedFiles): HandlerSlice<'import:preview' | 'import:names'> {
  return {
    'import:preview': async ({ source }) => {
      if (source.kind === 'file' && !picked.has(source.path)) {
        throw new HandlerError('Import.Unreadable', `${source.path}: not a file chosen in the file dialog; choose it there, or drop it on the window`)
      }
      return preview(pending, source)
    },
    'import:names': async (req) => sampleNames(pending.get(req.token), req),
  }
}

async function preview(pending: PendingImports, source: NameSource): Promise<ImportPreview> {
  if (source.kind === 'contacts' || source.kind === 'range') return listingPreview(pending, source)
  if (source.kind === 'text') {
    const result = await parseNameList(source.text)
    refuseNonRecordingNames(result, 'the pasted list')
    return { ...previewOf(pending.keep({ names: result.names, contactIds: [], source: { kind: 'names' } }), '', result), origin: { kind: 'names' } }
  }
  const { result, rows, label } = await readFile(source)
  const info: SourceInfo = { kind: 'names', file: label }
  const columns = columnPreview(rows, result, source.column !== undefined)
  // A question to ask comes first: the picker shows the rows, and the chosen column is checked.
  if (!columns.ask) refuseNonRecordingNames(result, label)
  const token = pending.keep({ names: result.names, contactIds: [], source: info, ...metasOf(result) })
  return { ...previewOf(token, label, result), origin: info, columns }
}

/** A file by path or dropped bytes, CSV or .xlsx alike, in the column asked for; with its first rows for the picker. */
async function readFile(source: Extract<NameSource, { kind: 'file' | 'bytes' }>): Promise<{ result: ImportResult; rows: string[][]; label: string }> {
  // The rows are kept: their other columns are the calls' metadata, for names and filters.
  const choice = { keepRows: true, ...(source.column === undefined ? {} : { column: source.column }), ...(source.header === undefined ? {} : { header: source.header }) }
  const label = source.kind === 'file' ? source.path : source.fileName
  const input = source.kind === 'file' ? source.path : source.data
  // By its bytes, in both kinds: a CSV saved under an .xlsx name is read as the text it is.
  if (isXlsx(label, source.kind === 'bytes' ? source.data.subarray(0, 4) : await fileHead(source.path))) {
    return { result: await importXlsxNames(input, label, choice), rows: await firstXlsxRows(input, label), label }
  }
  if (source.kind === 'file') return { result: await importNames(source.path, choice), rows: await firstCsvRows(source.path), label }
  const named = { ...choice, fileName: source.fileName }
  return { result: await importNames(oneChunk(source.data), named), rows: await firstCsvRows(oneChunk(source.data), source.fileName), label }
}

/** Contact IDs or a date range: checked now, listed inside the export (journalled, resumable). */
async function listingPreview(pending: PendingImports, source: Extract<NameSource, { kind: 'contacts' | 'range' }>): Promise<ImportPreview> {
  let plan
  try {
    plan = await listingSource(source)
  } catch (e) {
    if (e instanceof SourceError) throw new HandlerError(`Source.${e.field}`, e.message)
    throw e
  }
  const token = pending.keep({ names: [], contactIds: plan.contactIds, source: plan.source })
  if (plan.imported) return { ...previewOf(token, '', plan.imported), origin: plan.source }
  return { token, origin: plan.source, sourceName: describeSource(plan.source), rows: 0, names: 0, duplicates: 0, blank: 0, invalid: [], invalidCount: 0, sample: [] }
}

function previewOf(token: string, label: string, result: ImportResult): ImportPreview {
  const c = result.counts
  return {
    token,
    sourceName: label,
    rows: c.rows,
    names: c.names,
    duplicates: c.duplicates,
    blank: c.blank,
    invalid: result.invalid.slice(0, 200).map((r) => ({ row: r.row, value: r.value, problem: r.reason })),
    invalidCount: c.invalid,
    ...(result.encoding ? { encoding: result.encoding } : {}),
    ...(result.column.name ? { column: result.column.name } : {}),
    sample: result.names.slice(0, 20),
    // For a CCC 2.0 profile: a names list it can use as it is (issue 14 item 2).
    ...(namesAreContactIds(result.names) ? { contactNames: true } : {}),
  }
}

async function* oneChunk(data: Uint8Array): AsyncGenerator<Uint8Array> {
  yield data
}
