import { describeSource, sameSource } from '../export/listing.ts'
import { sameGeneration, withGenerationOf } from '../export/rebind.ts'
import { CccError } from '../../common/errors.ts'
import type { Exports } from '../export/exports.ts'
import { journalExists, journalIsBlank, readExportHeader } from '../export/journal.ts'
import type { SourceInfo } from '../export/journal-events.ts'
import type { ExportRunner } from '../export/runner.ts'
import type { ExportTable } from '../export/export-table.ts'
import { checkMark, readSyncLast, type SyncLast, type SyncSettings, writeSyncLast, writeSyncSettings } from './sync-settings.ts'
import { nextWindow, type SyncWindow } from './sync-window.ts'
import { oldestNotReady } from '../export/listing-step.ts'
import { readReportedFailures, writeReportedFailures } from './reported-failures.ts'

/** A sync run, opened and ready to run: its window, and whether the folder's export began now. */
export interface SyncStart {
  readonly runner: ExportRunner
  readonly window: SyncWindow
  readonly first: boolean
  /** Files that had failed for a passing reason, queued again. */
  readonly retried: number
  /**
   * Rows (by index) still failed when this run began: what CCC refused for good on an earlier
   * night. Reported again, but not this night's failures (`failedThisRun`).
   */
  readonly carried: ReadonlySet<number>
}

const iso = (ms: number): string => new Date(ms).toISOString()

/**
 * Opens the folder's one export for this run's window. The archive is a single date-range export
 * whose end moves on each run (`ExportRunner.relist` with a window), so its manifest, journal and
 * names stay one, and a recording listed by two overlapping windows is still one file. A run that
 * was killed left its window in the journal: this one lists again from the mark minus the overlap,
 * which covers it, and the journal's queued files and `.part`s carry on.
 */
export async function startSync(exports: Exports, dir: string, settings: SyncSettings, now: number): Promise<SyncStart> {
  checkMark(dir, settings, now)
  const window = nextWindow(settings, now)
  if (settings.mark === null && window.to <= window.from) {
    throw new CccError({ code: 'Usage', message: `nothing to list yet: the sync starts at ${settings.since}, later than now minus the ${settings.marginMs / 60000}-minute margin` })
  }
  // A journal with no line (a disk that filled before the first) is no export yet: a first run.
  // The header first: a whole replay of a million-row journal only for one that has none.
  if (!(await journalExists(dir)) || (!(await readExportHeader(dir).catch(() => undefined)) && (await journalIsBlank(dir)))) {
    const source: SourceInfo = { kind: 'range', from: iso(window.from), to: iso(window.to), ...settings.filters }
    const { runner } = await exports.start({ outDir: dir, connection: settings.connection, source, options: settings.options })
    return { runner, window, first: true, retried: 0, carried: new Set() }
  }
  const runner = await openExisting(exports, dir, settings)
  const reported = await reportedFailures(dir, runner)
  const reach = nextSyncWindow(settings, now, runner.table)
  // The range ends where the window does, even when it ended later (a folder adopted from a
  // download whose --to is still ahead, a clock set back): a mark past now minus the margin would
  // pass calls that were not there yet when it was listed.
  if (!runner.relist({ from: reach.from, to: iso(reach.to) })) {
    await runner.close()
    throw new CccError({ code: 'Export.Conflict', message: `${dir} holds an export that is not a date range; sync keeps a date range up to date: choose another folder` })
  }
  // What failed for a passing reason is tried again each night; what CCC refused for good stays in the report.
  const retried = runner.retryTransient()
  const files = runner.table.files
  return { runner, window: reach, first: false, retried, carried: failedRows(runner, (index) => reported(files.nameAt(index))) }
}

/**
 * Which failed rows were in an exit code and a notice already: those the last finished night
 * recorded (reported-failures.ts). A night stopped, paused or killed since reported none, so what
 * it found is reported tonight, and only that. A folder an older build synced has no record: all
 * its failures count as reported when its last run finished, else none does (once more rather than never).
 */
async function reportedFailures(dir: string, runner: ExportRunner): Promise<(name: string) => boolean> {
  const names = await readReportedFailures(dir)
  if (names) return (name) => names.has(name)
  if (runner.lastRun !== 'finished') return () => false
  const last = await readSyncLast(dir).catch(() => undefined)
  const all = last !== undefined && last.state === 'finished'
  return () => all
}

/** The failed rows by name, for the record of what a finished night reported. */
function failedNames(runner: ExportRunner): string[] {
  const files = runner.table.files
  return [...failedRows(runner, () => true)].map((index) => files.nameAt(index))
}

/**
 * Failed rows that did not fail in this run: an earlier night reported them, and tonight neither
 * retried them (CCC refused them for good) nor saw them fail again. A nightly job's exit code is
 * its own night's: a recording CCC deleted a month ago must not fail every night after, or the
 * night that loses another goes unseen among them.
 */
export function failedEarlier(start: SyncStart): number {
  return start.carried.size === 0 ? 0 : failedRows(start.runner, (index) => start.carried.has(index)).size
}

function failedRows(runner: ExportRunner, keep: (index: number) => boolean): Set<number> {
  const rows = new Set<number>()
  // Most archives have none: a million rows are not walked for nothing.
  if (runner.table.counts.failed === 0) return rows
  const files = runner.table.files
  for (let i = 0; i < files.size; i++) if (files.stateAt(i) === 'failed' && files.isRow(i) && keep(i)) rows.add(i)
  return rows
}

/** How long a sync keeps listing back to a CCC 2.0 call still not ready: past that, it is not waited for. */
const NOT_READY_REACH_MS = 7 * 24 * 60 * 60 * 1000

/**
 * The window the folder's next sync lists: the mark's (sync-window.ts) and, given the export's
 * rows, from as far back as the oldest call still not ready (CCC 2.0) when that is before it. The
 * run lists it, and `status` and the app's History say it: one rule, so they cannot disagree.
 */
export function nextSyncWindow(settings: SyncSettings, now: number, table?: ExportTable): SyncWindow {
  const window = nextWindow(settings, now)
  return table ? reachBack(window, table, settings) : window
}

/**
 * Back to a call still not ready: its own window has passed, and only a listing finds it ready.
 * Calls before `since`, or more than a week before the window, are no longer waited for.
 */
function reachBack(window: SyncWindow, table: ExportTable, settings: Pick<SyncSettings, 'since'>): SyncWindow {
  const floor = Math.max(Date.parse(settings.since), window.from - NOT_READY_REACH_MS)
  const oldest = oldestNotReady(table, floor)
  if (oldest === undefined || oldest >= window.from) return window
  return { ...window, from: oldest }
}

/**
 * The folder's export, in the API generation the sync settings say. A journal of the other one
 * (a first run that listed a 2.0 instance with the 1.0 API) is rebound, as `download` rebinds a
 * folder, when none of its files is verified; with verified files the export refuses, naming them.
 */
async function openExisting(exports: Exports, dir: string, settings: SyncSettings): Promise<ExportRunner> {
  const header = await readExportHeader(dir)
  // sync.json edited to another start or filter would be said and not done: the journal's range
  // is what lists, and the mark would then pass months nobody listed.
  const asked: SourceInfo = { kind: 'range', from: settings.since, to: header?.source.kind === 'range' ? header.source.to : settings.since, ...settings.filters }
  if (header?.source.kind === 'range' && !sameSource(withGenerationOf(asked, header.source), header.source)) {
    throw new CccError({
      code: 'Export.Conflict',
      message: `${dir}: sync.json asks for ${describeSource(asked)}, but the folder's export lists ${describeSource(header.source)}; a folder keeps its start and filters: put sync.json back, or sync into another folder`,
    })
  }
  // The recording kind too: another names other files, as another generation does.
  if (header?.source.kind === 'range' && !sameGeneration(header.source, { kind: 'range', from: '', to: '', ...settings.filters })) {
    const { api: _api, recording: _recording, ...range } = header.source
    const { api, recording } = settings.filters
    const source = { ...range, ...(api ? { api } : {}), ...(recording ? { recording } : {}) }
    return (await exports.start({ outDir: dir, connection: settings.connection, source, options: header.options })).runner
  }
  return resumeWith(exports, dir, settings, header?.instanceId)
}

/**
 * The export resumed with sync.json's connection. The runner asks CCC for the journal header's
 * instance, so an instance corrected in sync.json is handed on as a corrected connection: taken
 * into the journal while no file is verified, refused (not dropped) once some are. The region and
 * endpoint are the client's, which the caller (sync-command.ts) makes from sync.json; handing them
 * on unasked would append a journal line every night to a folder with verified files.
 */
async function resumeWith(exports: Exports, dir: string, settings: SyncSettings, journalled: string | undefined): Promise<ExportRunner> {
  const { instanceId, region, endpoint, profile } = settings.connection
  const corrected = journalled !== undefined && instanceId !== journalled
  const overrides = {
    ...(profile === undefined ? {} : { profile }),
    ...(corrected ? { instanceId, ...(region === undefined ? {} : { region }), ...(endpoint === undefined ? {} : { endpoint }) } : {}),
  }
  try {
    return await exports.resume(dir, overrides)
  } catch (e) {
    if (corrected && e instanceof CccError && e.code === 'Export.Conflict') {
      throw new CccError({
        code: 'Export.Conflict',
        message: `${e.message} (this sync names instance ${instanceId}, from --instance or sync.json's connection: the folder's files are instance ${journalled}'s, so give that one to go on syncing it)`,
      })
    }
    throw e
  }
}

/**
 * After the run: the mark moves to the window's end only when its listing completed, so a sync
 * never passes a call it has not listed. Files that failed do not hold the mark back: they are
 * in the journal, and the next run tries them again. Writes `sync-last.json` for status and the app.
 */
export async function finishSync(dir: string, settings: SyncSettings, start: SyncStart, exitCode: number, now: number): Promise<SyncLast & { readonly recordError?: string }> {
  const listed = start.runner.listingProgress()?.done === true
  const mark = listed ? iso(start.window.to) : settings.mark
  if (mark !== settings.mark) await writeSyncSettings(dir, { ...settings, mark })
  const p = start.runner.progress()
  const last: SyncLast = {
    at: iso(now),
    window: { from: iso(start.window.from), to: iso(start.window.to) },
    exitCode,
    state: p.state,
    markAdvanced: listed,
    mark,
    counts: { total: p.counts.total, done: p.counts.done, failed: p.counts.failed, skipped: p.counts.skipped },
    failedThisRun: p.counts.failed - failedEarlier(start),
  }
  // Every failure is in a finished night's exit code or its "earlier run" line: all reported now.
  // Best effort: without it, a later night reports again what the last record left out, never less.
  if (p.state === 'finished') await writeReportedFailures(dir, failedNames(start.runner)).catch(() => undefined)
  try {
    await writeSyncLast(dir, last)
  } catch (e) {
    // The record only informs status and the app; the run's outcome and its mark stand without it.
    return { ...last, recordError: e instanceof Error ? e.message : String(e) }
  }
  return last
}
