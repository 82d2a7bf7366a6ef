import { randomUUID } from 'node:crypto'
import { readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { JOURNAL_BATCH } from '../../common/export-options.ts'
import { CccError } from '../../common/errors.ts'
import { type DiskCheck, recheckDoneFiles } from './disk-check.ts'
import { MetaStore } from '../calls/meta-store.ts'
import { OUTPUT_FILES } from '../calls/folder-walk.ts'
import { removeTempsOf } from '../atomic-file.ts'
import { ExportTable } from './export-table.ts'
import { FolderLock } from './folder-lock.ts'
import { JOURNAL_FILE, journalExists, journalIsBlank, readExportHeader, replayJournal, type ReplayResult, rewriteJournal, STATE_DIR } from './journal.ts'
import { JournalWriter } from './journal-writer.ts'
import type { ExportHeaderEvent, SourceInfo, StateEvent } from './journal-events.ts'
import { isListedSource, sameSource, sourceConflict } from './listing.ts'
import { usableFolder } from './output-folder.ts'
import { PendingFolders } from './pending-folders.ts'
import { generationName, rebound, sameConnection, sameGeneration, withGenerationOf } from './rebind.ts'
import type { ExportOptions } from '../../common/export-options.ts'
import { compactedJournal } from './compacted-journal.ts'

export type NewExport = Omit<ExportHeaderEvent, 'type' | 'version' | 'id' | 'createdAt'>

/** The folder holds no export, or one that a new export may not join (another instance or source). */
export class ExportConflictError extends CccError {
  constructor(message: string) {
    super({ code: 'Export.Conflict', message })
    this.name = 'ExportConflictError'
  }
}

/** An export's folder, locked and replayed: what a runner is made from. */
export interface OpenedExport {
  readonly outDir: string
  readonly table: ExportTable
  readonly journal: JournalWriter
  readonly folders: PendingFolders
  readonly lock: FolderLock
  readonly replay: ReplayResult | undefined
  /**
   * The folder was empty when this new export opened: a file this process has not tried yet has
   * no final file and no .part on disk, so nobody looks for them (three file operations a file).
   */
  readonly freshFolder: boolean
  /** Each recording's call metadata and SHA-256 (meta.jsonl). */
  readonly meta: MetaStore
  /** How the last run ended, as the journal's last state line says (`running`: the process died); undefined for a new export. */
  readonly lastRun: StateEvent['state'] | undefined
}

/**
 * Opens the export in `outDir`: replays its journal when there is one (a new `init` must then be
 * for the same instance and source, unless nothing was downloaded yet), or starts a journal from
 * `init`. Every file the journal calls done is checked on disk, and one that is not there as
 * journalled goes back to the queue. A folder that cannot be written is refused by name and reason.
 */
export async function openExport(outDir: string, init: NewExport | undefined, syncFolder?: (dir: string) => Promise<void>): Promise<OpenedExport> {
  const hasJournal = await journalExists(outDir)
  if (!hasJournal && !init) throw new ExportConflictError(`${outDir}: no export here (no .ccc-recordings/journal.jsonl)`)
  // Before anything is read or written: one process at a time per folder.
  const lock = await usableFolder(outDir, () => FolderLock.acquire(outDir))
  try {
    return await usableFolder(outDir, () => openLocked(outDir, init, hasJournal, lock, syncFolder))
  } catch (e) {
    await lock.release()
    throw e
  }
}

async function openLocked(
  outDir: string,
  init: NewExport | undefined,
  hasJournal: boolean,
  lock: FolderLock,
  syncFolder: ((dir: string) => Promise<void>) | undefined,
): Promise<OpenedExport> {
  await removeCrashLeftovers(outDir)
  const replayed = hasJournal ? await replayExisting(outDir, init) : undefined
  const table = replayed?.table ?? new ExportTable()
  // A new export into an empty folder (but for the lock): nothing there can be one of its files or a .part.
  const freshFolder = !replayed && (await holdsOnlyState(outDir))
  const folders = new PendingFolders(syncFolder)
  const meta = await MetaStore.open(outDir)
  let journal: JournalWriter | undefined
  try {
    journal = await openJournal(outDir, folders, meta)
    // The disk check journals what it requeues as it goes, in flushed portions.
    const disk = replayed ? await recheckDoneFiles(outDir, table, journal, JOURNAL_BATCH) : undefined
    await startJournal(journal, table, init, replayed?.interrupted === true)
    return { outDir, table, journal, folders, lock, replay: replayed && withDisk(replayed.replay, disk), freshFolder, meta, lastRun: replayed?.lastRun }
  } catch (e) {
    // The lock is released by the caller; the files this opened must not stay open either.
    await journal?.close().catch(() => undefined)
    await meta.close().catch(() => undefined)
    throw e
  }
}

function withDisk(replay: ReplayResult, disk: DiskCheck | undefined): ReplayResult {
  return disk ? { ...replay, disk } : replay
}

/** The journal opened for appending. */
function openJournal(outDir: string, folders: PendingFolders, meta: MetaStore): Promise<JournalWriter> {
  // A journal line that names a file comes after the folder it was renamed into, and after the
  // metadata of its call, are on disk.
  return JournalWriter.open(outDir, {
    beforeWrite: async () => {
      await folders.syncAll()
      await meta.flush()
    },
  })
}

/** Files only the export holding the lock writes: a temp file of theirs found now is a crash's. */
const LOCKED_FILES = [JOURNAL_FILE, ...OUTPUT_FILES]

/**
 * The temp files of a rewrite a crash interrupted (a manifest of a million rows is 100 MB): in the
 * state folder, and the fixed names older builds used beside the report and manifest. A tidy-up,
 * so one that fails (a scanner holding the file) never keeps the export from opening.
 */
async function removeCrashLeftovers(outDir: string): Promise<void> {
  await removeTempsOf(join(outDir, STATE_DIR), LOCKED_FILES).catch(() => undefined)
  for (const file of OUTPUT_FILES) await rm(join(outDir, `${file}.tmp`), { force: true }).catch(() => undefined)
}

/**
 * What opening found (rechecks, a header or new options) made durable. A run whose process died
 * (the journal's last state is `running`, and this process got the lock) is journalled as paused
 * and interrupted: while this process holds the folder without running it (the app's file list),
 * `status` elsewhere would otherwise read a live lock over `running` as a run.
 */
async function startJournal(journal: JournalWriter, table: ExportTable, init: NewExport | undefined, interrupted: boolean): Promise<void> {
  if (interrupted) journal.append({ type: 'state', state: 'paused', at: new Date().toISOString(), interrupted: true })
  if (!table.header && init) {
    const header: ExportHeaderEvent = { type: 'export', version: 1, id: randomUUID(), createdAt: new Date().toISOString(), ...init }
    table.apply(header)
    journal.append(header)
  } else if (init && table.header) {
    const options = keepNaming(table.header.options, init.options)
    table.header = { ...table.header, options }
    journal.append({ type: 'options', options })
  }
  await journal.flush()
}

/**
 * Replays the journal, refuses an `init` that does not belong here, and compacts when worth it.
 * Undefined for a journal with no event at all (a process killed at its first write, a disk that
 * filled before it): that is no export, and a new one starts there. Files already in the folder
 * are then what they are to any download into a folder without a journal: checked, and taken
 * when they are the recording.
 */
async function replayExisting(outDir: string, init: NewExport | undefined): Promise<{ table: ExportTable; replay: ReplayResult; interrupted: boolean; lastRun: StateEvent['state'] | undefined } | undefined> {
  let table = new ExportTable()
  let last: StateEvent | undefined
  let replay = await replayJournal(outDir, (e) => {
    table.apply(e)
    if (e.type === 'state') last = e
  })
  const interrupted = last?.state === 'running'
  const header = table.header
  if (!header) {
    if (init && replay.events === 0 && replay.damaged.length <= 1) {
      await rewriteJournal(outDir, [])
      return undefined
    }
    throw noHeader(outDir)
  }
  if (init) refuseOtherSource(outDir, header, init.source)
  const regenerated = init !== undefined && !sameGeneration(header.source, init.source)
  if (regenerated) refuseOtherGeneration(outDir, header, init.source, table.counts.done)
  if (init && (regenerated || !sameConnection(header, init))) {
    refuseOtherInstance(outDir, header, init, table.counts.done)
    if (table.counts.done === 0) {
      // Nothing was downloaded with the old settings (a wrong instance, say): the folder is not bound to them.
      await rewriteJournal(outDir, rebound(table, init))
      table = new ExportTable()
      replay = await replayJournal(outDir, (e) => table.apply(e))
      return { table, replay, interrupted, lastRun: last?.state }
    }
  }
  // Retries and superseded lines pile up over many resumes; compaction keeps replay fast.
  const minimal = table.size + table.size / 1000 + 16
  if (replay.events > 2 * minimal || replay.damaged.length > 0) await rewriteJournal(outDir, compactedJournal(table))
  return { table, replay, interrupted, lastRun: last?.state }
}

/** True for a missing folder or one with nothing in it. */
async function holdsOnlyState(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).every((entry) => entry === STATE_DIR)
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT'
  }
}

/**
 * Files of one generation are not another's to resume (another API, other names): once some are
 * here, the folder is that generation's.
 */
function refuseOtherGeneration(outDir: string, header: ExportHeaderEvent, source: SourceInfo, done: number): void {
  if (done === 0) return
  throw new ExportConflictError(`${outDir} already holds a ${generationName(header.source)} export with ${done} verified files; choose another folder for a ${generationName(source)} export`)
}

/** The listing follows the header's source: another kind or range here would be ignored. */
function refuseOtherSource(outDir: string, header: ExportHeaderEvent, source: SourceInfo): void {
  if ((isListedSource(source) || isListedSource(header.source)) && !sameSource(withGenerationOf(source, header.source), header.source)) {
    throw new ExportConflictError(sourceConflict(outDir, header.source, source))
  }
}

/** A journal with lines but no header: not an export a run may join or start over without the user. */
function noHeader(outDir: string): ExportConflictError {
  return new ExportConflictError(`${outDir}: the export journal has no header line; move .ccc-recordings aside to start afresh`)
}

function refuseOtherInstance(outDir: string, header: ExportHeaderEvent, init: NewExport, done: number): void {
  if (done === 0 || init.instanceId === header.instanceId) return
  throw new ExportConflictError(`${outDir} already holds an export for instance ${header.instanceId} with ${done} verified files; choose another folder for instance ${init.instanceId}`)
}

/**
 * What a dry run into a folder that holds an export must plan by, as the real run (openLocked)
 * would: a damaged journal, another source, generation or instance refused the same way; the
 * folder's own naming kept, unless nothing is verified and the export would be rebound to the new
 * settings. Read without opening the export for writing (a dry run writes nothing of it).
 */
export async function dryRunInto(outDir: string, init: NewExport): Promise<{ readonly options: ExportOptions; readonly namingKept?: string }> {
  const { options } = init
  if (!(await journalExists(outDir))) return { options }
  const header = await readExportHeader(outDir).catch(() => undefined)
  if (!header) {
    if (await journalIsBlank(outDir)) return { options }
    throw noHeader(outDir)
  }
  refuseOtherSource(outDir, header, init.source)
  const regenerated = !sameGeneration(header.source, init.source)
  if (regenerated || !sameConnection(header, init)) {
    const table = new ExportTable()
    await replayJournal(outDir, (e) => table.apply(e))
    const done = table.counts.done
    if (regenerated) refuseOtherGeneration(outDir, header, init.source, done)
    refuseOtherInstance(outDir, header, init, done)
    // Nothing verified: the run rebinds the folder to this run's settings, its naming with them.
    if (done === 0) return { options }
  }
  const kept = keepNaming(header.options, options)
  return sameNaming(options, kept) ? { options: kept } : { options: kept, namingKept: describeNaming(kept) }
}

/**
 * A rerun's options, but the folder's naming: its files are named already (and a names list's
 * planned paths journalled), so another template or layout would split one export between two
 * schemes. Exports.start tells the caller when it kept them.
 */
export function keepNaming(current: ExportOptions, next: ExportOptions): ExportOptions {
  const { nameTemplate, timeZone, ...rest } = next
  return {
    ...rest,
    layout: current.layout,
    ...(current.nameTemplate === undefined ? {} : { nameTemplate: current.nameTemplate }),
    ...(current.timeZone === undefined ? {} : { timeZone: current.timeZone }),
  }
}

/** How an export names its files, for a message. */
export function describeNaming(o: ExportOptions): string {
  const how = o.nameTemplate === undefined ? `the ${o.layout} layout` : `the template ${o.nameTemplate}`
  return o.timeZone === undefined ? how : `${how} in ${o.timeZone}`
}

/** Whether two options name files alike. */
export function sameNaming(a: ExportOptions, b: ExportOptions): boolean {
  return describeNaming(a) === describeNaming(b)
}
