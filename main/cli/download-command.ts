import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import { LayoutSchema } from '../common/api.ts'
import { CONCURRENCY, DEFAULT_OPTIONS, type ExportOptions } from '../common/export-options.ts'
import { listInMemory, planNames } from '../engine/calls/dry-run.ts'
import { dryRunInto } from '../engine/export/open-export.ts'
import { initOf } from '../engine/export/exports.ts'
import type { SourceInfo } from '../engine/export/journal-events.ts'
import { Exports, type StartNotes } from '../engine/export/exports.ts'
import { usableFolder } from '../engine/export/output-folder.ts'
import type { ExportRunner } from '../engine/export/runner.ts'
import { refuseNonRecordingNames } from '../engine/import/collect.ts'
import { importNames, type ImportOptions, type ImportResult } from '../engine/import/csv.ts'
import { contactsSource, importContactIds, rangeSource, SourceError } from '../engine/import/sources.ts'
import { fileHead, importXlsxNames, isXlsx } from '../engine/import/xlsx.ts'
import { terminalSafe } from '../common/terminal-text.ts'
import { connectionOutcomeLine, type ConnectionOutcomeKind } from '../common/connection-outcomes.ts'
import { testConnection } from '../engine/credentials/connection-test.ts'
import { durationOption, intOption, parse } from './args.ts'
import { connect, type Connection } from './connect.ts'
import { EXIT, UsageError } from './exit-codes.ts'
import { API_V2 } from '../common/api-version.ts'
import { checkV2Names, withApi } from './api-choice.ts'
import { cliLogger, type CliIo } from './io.ts'
import { cliLocale, triedAgain } from './summary.ts'
import { listMetas, tellDryRun } from './call-list.ts'
import { CALL_FLAGS, CALL_USAGE, type CallChoices, callChoices } from './call-options.ts'
import { tellRecheck } from './recheck-note.ts'
import { applyMaxRate, rateNow, readMaxRate } from './rate-option.ts'
import { runInTerminal } from './run-export.ts'

export const DOWNLOAD_USAGE =
  `ccc-recordings download (<names.csv|-> | --contacts <ids.csv|-> | --from <ISO time> --to <ISO time>) --out <dir> --instance <id> [--phone <number>] [--contact-type <type>] [--disposition <disposition>] [--api-version 2017-07-05|2020-07-01] [--recording mono|per-agent|multichannel] [--region cn-shanghai] [--endpoint <url>] [--concurrency 6] [--profile <name>] [--layout flat|by-date] [--max-rate <5MB/s | "08:00,512K 18:00,off">] [--give-up-after 4h] [--column <name or number>] ${CALL_USAGE} [--json]`

const OPTIONS = {
  out: { type: 'string', short: 'o' },
  instance: { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
  concurrency: { type: 'string', short: 'c' },
  profile: { type: 'string' },
  layout: { type: 'string' },
  'max-rate': { type: 'string' },
  'give-up-after': { type: 'string' },
  column: { type: 'string' },
  json: { type: 'boolean' },
  contacts: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  phone: { type: 'string' },
  'contact-type': { type: 'string' },
  disposition: { type: 'string' },
  'api-version': { type: 'string' },
  recording: { type: 'string' },
  ...CALL_FLAGS,
} as const

type Values = ReturnType<typeof parse<typeof OPTIONS>>['values']
type Chosen = { kind: 'names'; list: string } | { kind: 'contacts'; list: string } | { kind: 'range'; source: ReturnType<typeof rangeSource> }

/** Exactly one source: a list of names, --contacts, or --from with --to; filters only with a range. */
function chooseSource(values: Values, positionals: readonly string[]): Chosen {
  const list = positionals[0]
  const range = values.from !== undefined || values.to !== undefined
  const given = [list !== undefined && 'a names list', values.contacts !== undefined && '--contacts', range && '--from/--to'].filter(Boolean)
  if (given.length > 1) throw new UsageError(`${given.join(' and ')} cannot be combined: give one source; usage: ${DOWNLOAD_USAGE}`)
  if (given.length === 0) throw new UsageError(`missing source: a names list, --contacts <file> or --from/--to; usage: ${DOWNLOAD_USAGE}`)
  const filter = (['phone', 'contact-type', 'disposition'] as const).find((f) => values[f] !== undefined)
  if (filter && !range) throw new UsageError(`--${filter} filters a date range: use it with --from and --to`)
  if (values.column !== undefined && range) throw new UsageError('--column chooses a column of a list: it does not go with --from/--to')
  if (list !== undefined) return { kind: 'names', list }
  if (values.contacts !== undefined) {
    if (values.contacts === '') throw new UsageError('--contacts needs a file (or - for stdin)')
    return { kind: 'contacts', list: values.contacts }
  }
  if (values.from === undefined) throw new UsageError('--from <ISO time> is required with --to')
  if (values.to === undefined) throw new UsageError('--to <ISO time> is required with --from')
  try {
    return {
      kind: 'range',
      source: rangeSource({ from: values.from, to: values.to, phone: values.phone, contactType: values['contact-type'], disposition: values.disposition }),
    }
  } catch (e) {
    if (e instanceof SourceError) throw new UsageError(`${FLAG_OF[e.field]}: ${e.message}`)
    throw e
  }
}

const FLAG_OF = { contacts: '--contacts', from: '--from', to: '--to', phone: '--phone', contactType: '--contact-type', disposition: '--disposition' } as const

export async function downloadCommand(args: readonly string[], io: CliIo): Promise<number> {
  const started = await startDownload(args, io)
  if (typeof started === 'number') return started
  const { runner, values, kind } = started
  const rate = values['max-rate'] === undefined ? undefined : readMaxRate(values['max-rate'])
  const stopRate = rate && 'timetable' in rate ? applyMaxRate(runner, rate) : () => undefined
  const code = await runInTerminal(runner, io, values.json === true).finally(stopRate)
  const listing = runner.listingProgress()
  tellUnrecorded(listing?.unrecorded ?? 0, kind, runner.header.source.api, io)
  // A CCC 2.0 call's row (not ready yet, or nothing recorded) passed the filter to be there: the filter kept it.
  const keptCalls = runner.header.source.api === API_V2 ? (listing?.unrecorded ?? 0) : 0
  if (listing && listing.leftOut > 0) tellLeftOut(listing.found + keptCalls, listing.leftOut, io)
  return code
}

/** The summary's "skipped" holds them too: say how many were the filters', and when they kept nothing, that the filters may be wrong. */
function tellLeftOut(kept: number, leftOut: number, io: CliIo): void {
  const none = kept === 0 ? ': the filters kept none of the recordings listed, so check them (a --dry-run counts what each filter leaves out)' : ''
  io.stderr.write(`${leftOut} recording${leftOut === 1 ? '' : 's'} left out by the filters (listed in report.csv as skipped, with the filter)${none}\n`)
}

/**
 * Everything up to a started export (or a dry run's exit code). Its own function so that the
 * list it read (names and their metadata, 100,000 of each in bench part b, about 6 MB) is no
 * longer held by the frame that waits for the whole run: the table has the names by then.
 */
async function startDownload(args: readonly string[], io: CliIo): Promise<number | { runner: ExportRunner; values: Values; kind: SourceInfo['kind'] }> {
  const { values, positionals } = parse(args, OPTIONS, { min: 0, max: 1, usage: DOWNLOAD_USAGE })
  const chosen = chooseSource(values, positionals)
  if (!values.out) throw new UsageError(`--out <dir> is required; usage: ${DOWNLOAD_USAGE}`)
  const calls = callChoices(values)
  // The end is exclusive: a month asked for as --to 2026-10-31 would silently lose its last day.
  if (chosen.kind === 'range' && /^\s*\d{4}-\d{2}-\d{2}\s*$/.test(values.to ?? '')) {
    io.stderr.write(`--to ${values.to!.trim()} is the start of that day, and the end is not included: its calls are left out (give the next day to include them)\n`)
  }
  // Both say where files go; the template would win without a word.
  if (values.layout !== undefined && values['name-template'] !== undefined) {
    throw new UsageError('--layout and --name-template both say where the files go: give one (--name-template by-date is the by-date layout as a template)')
  }
  // --time-zone alone makes a flat template, which would replace the layout without a word.
  if (values.layout !== undefined && values['time-zone'] !== undefined) {
    throw new UsageError('--layout files by China Standard Time, and --time-zone sets the zone of a --name-template: for dated folders in another zone, give --name-template by-date --time-zone <zone>')
  }
  const columns = calls.template?.columns ?? []
  // Only a names list's rows are kept as each recording's columns: elsewhere {col:…} would render
  // "unknown" for every file.
  if (chosen.kind !== 'names' && columns.length > 0) {
    const what = chosen.kind === 'range' ? 'a date range has no list' : 'the other columns of a contact IDs list are not kept'
    throw new UsageError(`--name-template: {col:${columns[0]}} reads a column of a names list, and ${what}; name the files with {agent}, {caller}, {contactId}, {date} and the like`)
  }
  const options = { ...exportOptions(values), ...calls.options }
  const outDir = resolve(io.cwd, values.out)

  // Credentials before the list: a million-row file is not worth reading for a missing key.
  const connection = await connect(io, values)
  const label = chosen.kind === 'range' ? '' : chosen.list === '-' ? 'stdin' : chosen.list
  const names = chosen.kind === 'names' ? listMetas(await readList(chosen.list, io, values.column), label, calls, io) : undefined
  const contacts = chosen.kind === 'contacts' ? await readList(chosen.list, io, values.column, 'contact IDs') : undefined
  const source = withApi(sourceOf(chosen, io, calls), connection.apiVersion, values.recording)
  if (source.api === API_V2 && names) checkV2Names(names.names)
  const giveUpAfterMs = durationOption(values['give-up-after'], '--give-up-after')
  if (calls.dryRun) {
    // A names list is planned without a call: one probe tells a wrong key, instance or region now,
    // as a range's listing would, rather than at the real run.
    if (names && !(await settingsWork(connection, io))) return EXIT.fatal
    // Into a folder that holds an export: refused, or named, as the real run would be, before any listing.
    const into = await dryRunInto(outDir, initOf({ connection, source, options }))
    if (into.namingKept) io.stderr.write(namingKeptNote(into.namingKept))
    const listed = names
      ? { names: names.names, starts: names.names.map(() => null), metas: names.metas.map((m) => m ?? {}), removed: names.removed, unrecorded: 0 }
      : await listInMemory(source, contacts?.names ?? [], connection.client, connection.instanceId, { log: cliLogger(io) })
    await usableFolder(outDir, () => mkdir(outDir, { recursive: true }))
    return tellDryRun(planNames(into.options, listed), outDir, into.options.timeZone, io, values.json === true)
  }
  const exports = new Exports({
    clientFor: async () => connection,
    log: cliLogger(io),
    ...(giveUpAfterMs === undefined ? {} : { tuning: { network: { giveUpAfterMs } } }),
  })
  const plan = { outDir, connection, source, options, ...(names ? { names: names.names, metas: names.metas, ...(names.leftOut ? { leftOut: names.leftOut } : {}) } : {}), ...(contacts ? { contactIds: contacts.names } : {}) }
  const { runner, notes } = await exports.start(plan)
  tellNotes(notes, io)
  return { runner, values, kind: source.kind }
}

/** Concurrency, layout and bandwidth from their flags, checked. */
function exportOptions(values: Values): Pick<ExportOptions, 'concurrency' | 'layout' | 'maxBytesPerSecond'> {
  const concurrency = intOption(values.concurrency, '--concurrency', CONCURRENCY.min, CONCURRENCY.max) ?? CONCURRENCY.default
  const layout = LayoutSchema.safeParse(values.layout ?? 'flat')
  if (!layout.success) throw new UsageError(`--layout must be flat or by-date, not "${values.layout}"`)
  // A timetable starts at what it says now; the run then follows it (applyMaxRate).
  const maxBytesPerSecond = values['max-rate'] === undefined ? null : rateNow(readMaxRate(values['max-rate']))
  return { concurrency, layout: layout.data, maxBytesPerSecond }
}

/** The export's source as its journal header records it, with the filter the API cannot apply. */
function sourceOf(chosen: Chosen, io: CliIo, calls: CallChoices): SourceInfo {
  const filter = calls.filter ? { filter: calls.filter } : {}
  if (chosen.kind === 'range') return { ...chosen.source, ...filter }
  if (chosen.kind === 'contacts') return { ...contactsSource(chosen.list === '-' ? undefined : resolve(io.cwd, chosen.list)), ...filter }
  return { kind: 'names', ...(chosen.list === '-' ? {} : { file: resolve(io.cwd, chosen.list) }) }
}

/**
 * They are in the summary's "skipped" count; say what those are, and where the list is. A 1.0
 * contact export notes its contact IDs (`contact/<id>`); 2.0 notes calls (`call/<id>`), also those
 * whose recording is not ready yet (ccc-api.md §7, RecordingReady).
 */
function tellUnrecorded(unrecorded: number, kind: SourceInfo['kind'], api: SourceInfo['api'], io: CliIo): void {
  if (unrecorded === 0) return
  const v2 = api === API_V2
  const what = `${kind === 'contacts' && !v2 ? 'contact' : 'call'}${unrecorded === 1 ? '' : 's'}`
  // A contact ID CCC refused to look up (NotExist.Record: mistyped, or past retention) is such a row too.
  const ways = ['had no recording', ...(v2 ? ['none ready yet'] : []), ...(kind === 'contacts' ? ['could not be looked up'] : [])]
  const how = ways.length === 1 ? ways[0] : `${ways.slice(0, -1).join(', ')} or ${ways.at(-1)}`
  io.stderr.write(`${unrecorded} ${what} ${how} (listed in report.csv as skipped, with the reason)\n`)
}

/** What the same list or range asked for again means for this run, in the words scripts and users know. */
function tellNotes(notes: StartNotes, io: CliIo): void {
  if (notes.knownNames > 0) io.stderr.write(`${notes.knownNames} of ${notes.names} names are already in this export; verified files are not downloaded again\n`)
  if (notes.earlierToDo) io.stderr.write(`${notes.earlierToDo === 1 ? '1 file' : `${notes.earlierToDo} files`} of earlier lists into this folder, not in this one, ${notes.earlierToDo === 1 ? 'is' : 'are'} still to do: this run downloads ${notes.earlierToDo === 1 ? 'it' : 'them'} too (the folder's export is every list given to it)\n`)
  if (notes.relisted) io.stderr.write('This range was listed before; listing it again for calls recorded since (files already here are not downloaded again)\n')
  if (notes.knownContacts > 0) io.stderr.write(`${notes.knownContacts} of ${notes.contacts} contact IDs are already in this export; they are not listed again\n`)
  if (notes.contactsAgain) io.stderr.write(`${notes.contactsAgain} contact IDs whose call was not ready, or whose lookup failed, are looked up again\n`)
  if (notes.retried > 0) io.stderr.write(`${triedAgain(notes.retried, 'files', ' before')}\n`)
  if (notes.takenBack) io.stderr.write(`${notes.takenBack === 1 ? '1 file a filter left out before is' : `${notes.takenBack} files a filter left out before are`} downloaded now\n`)
  if (notes.recheck) tellRecheck(notes.recheck, io)
  if (notes.namingKept) {
    io.stderr.write(namingKeptNote(notes.namingKept))
  }
}

/** The names (or contact IDs) of a list file or stdin, with its problems told row by row on stderr. */
async function readList(list: string, io: CliIo, column: string | undefined, what: 'recording names' | 'contact IDs' = 'recording names'): Promise<ImportResult> {
  // Every column of a names list is kept for the call's metadata (issue 13).
  const options = { ...(column === undefined ? {} : { column }), ...(what === 'recording names' ? { keepRows: true } : {}) }
  const read = async (input: string | AsyncIterable<Uint8Array>, o: ImportOptions): Promise<ImportResult> => {
    if (typeof input === 'string' && isXlsx(input, await fileHead(input))) {
      if (what === 'contact IDs') throw new UsageError(`${list}: an Excel workbook; contact IDs are read from a CSV or text list (in Excel: File → Save As → CSV UTF-8)`)
      // The first sheet, read as its CSV would be: the same header detection and column choice.
      return importXlsxNames(input, list, o)
    }
    return what === 'contact IDs' ? importContactIds(input, o) : importNames(input, o)
  }
  const result = list === '-' ? await read(io.stdin, { fileName: 'stdin', ...options }) : await read(resolve(io.cwd, list), options)
  const label = list === '-' ? 'stdin' : list
  const c = result.counts
  // A quoted CSV cell may hold a line break: it must not fake a line of our own.
  for (const row of result.invalid.slice(0, 10)) io.stderr.write(`${label}: row ${row.row}: ${terminalSafe(row.message)}: "${terminalSafe(row.value)}" (skipped)\n`)
  if (c.invalid > 10) io.stderr.write(`${label}: ${c.invalid - 10} more invalid rows (skipped)\n`)
  const noun = what === 'contact IDs' ? 'contact IDs' : 'names'
  if (c.names > 0 && (c.duplicates > 0 || c.blank > 0)) io.stderr.write(`${label}: ${c.names} ${noun}; ${c.duplicates} duplicates and ${c.blank} blank rows dropped\n`)
  if (result.titleRows) io.stderr.write(`${label}: ${result.titleRows.length === 1 ? 'row' : 'rows'} ${result.titleRows.join(', ')} above the table left out: a title, not a row of the list\n`)
  if (result.headerGuessed && result.header) {
    io.stderr.write(`${label}: row ${result.header.row} read as the header (${terminalSafe(result.header.cells.join(' | '))}): its column ${result.column.index + 1} holds no file name, and the rows below do\n`)
  }
  // No header we know: column 1 was read. Say so with what the first row holds, so a wrong guess is seen.
  const first = result.rows?.[0]
  if (!result.header && column === undefined && first && first.cells.length > 1) {
    io.stderr.write(`No known file-name header in ${label}; reading column 1. First row: ${terminalSafe(first.cells.join(' | '))}. Choose with --column <name or number>.\n`)
  }
  if (result.names.length === 0) {
    throw new UsageError(c.invalid > 0 ? `${label}: no valid ${what} (${c.invalid} invalid rows)` : `${label}: the list is empty: no ${what} found`)
  }
  if (what === 'recording names') refuseNonRecordingNames(result, label)
  return result
}

/**
 * Outcomes that mean a setting is wrong, so the real run would stop. Not a refused permission on
 * 2.0, whose probe lists calls where a names run only asks for recordings, nor a busy service or
 * a network away: those are told, and a names list is planned without them.
 */
const WRONG_SETTINGS: ReadonlySet<ConnectionOutcomeKind> = new Set([
  'access-key-id-unknown',
  'secret-wrong',
  'instance-or-region-wrong',
  'clock-skew',
  'oss-not-open',
  'security-token-invalid',
  'instance-is-v1',
  'instance-is-v2',
])

/** The connection test of `profiles test`, for a dry run: false (told on stderr) when a setting is wrong. */
async function settingsWork(connection: Connection, io: CliIo): Promise<boolean> {
  const outcome = await testConnection(connection.client, connection.instanceId, { apiVersion: connection.apiVersion })
  if (outcome.ok) return true
  const line = connectionOutcomeLine(outcome, cliLocale(io.env))
  const detail = outcome.detail ? ` (${outcome.code ?? ''} ${outcome.detail})` : ''
  const wrong = WRONG_SETTINGS.has(outcome.kind) || (outcome.kind === 'no-permission' && connection.apiVersion !== API_V2)
  io.stderr.write(wrong ? `${line}${detail}\n` : `warn: the settings could not be checked: ${line}${detail}\n`)
  return !wrong
}

function namingKeptNote(naming: string): string {
  return `This folder's export names its files by ${naming}, and keeps it: this run's --name-template, --time-zone or --layout is not used (choose another folder to name them otherwise)\n`
}
