import { lstatSync } from 'node:fs'
import { join } from 'node:path'
import type { ExportTable } from './export-table.ts'
import type { RecheckEvent } from './journal-events.ts'

/**
 * What the check found: how many files the journal calls done are not on disk as journalled.
 * Counts only: the names go to the journal as they are found (`recheckDoneFiles`), where a list
 * of a million missing names, and the recheck events holding them, cost about 100 MB.
 */
export interface DiskCheck {
  /** Gone, or no longer a regular file. */
  readonly missing: number
  /** Another size than the journalled one. */
  readonly changed: number
}

export type RecheckReason = keyof DiskCheck

/** How many files a check found, by reason. */
export type RecheckCount = DiskCheck

/** Stats between two yields to the event loop: a few milliseconds, so the app's window never stalls. */
const SLICE = 1000

/**
 * Checks every file the table calls done with one `lstat`: it exists, is a regular file (not a
 * symlink planted in its place) and has the journalled size. Cheap, and catches a deleted,
 * truncated or replaced file; a same-size change is what a full verify (SHA-256) is for.
 *
 * Synchronous stats in slices, not async ones: each async stat is a trip through libuv's thread
 * pool, and measured on 100,000 files the trips cost two to three times the stats (0.5 s against
 * 1.3 s); yielding between slices keeps the process answering meanwhile.
 *
 * Each file found is told by its index, in the order files were added (so the journal lines come
 * out the same for the same check); nothing is kept per file. `found` may return a promise (a
 * journal flush), which is awaited before the scan goes on.
 */
export async function scanDoneFiles(outDir: string, table: ExportTable, found: (index: number, reason: RecheckReason) => void | Promise<void>): Promise<void> {
  const files = table.files
  let inSlice = 0
  for (let i = 0; i < files.size; i++) {
    const entry = files.at(i)
    if (entry.state !== 'done') continue
    const seen = sizeOf(join(outDir, entry.path ?? files.nameAt(i)))
    const told = seen === undefined ? found(i, 'missing') : seen !== entry.bytes ? found(i, 'changed') : undefined
    if (told) await told
    if (++inSlice === SLICE) {
      inSlice = 0
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
  }
}

function sizeOf(path: string): number | undefined {
  try {
    const s = lstatSync(path, { throwIfNoEntry: false })
    return s?.isFile() ? s.size : undefined
  } catch {
    // ENOTDIR (a folder of the by-date layout replaced by a file), EACCES: not there as journalled.
    return undefined
  }
}

/** Where a check's recheck lines go: the export's journal, in memory until flushed. */
export interface RecheckSink {
  append(event: RecheckEvent): void
  flush(): Promise<void>
}

/**
 * Recheck lines between two awaited flushes: about 300 KB of names, so the journal's unwritten
 * lines stay bounded whatever the number of files found.
 */
const BATCHES_PER_FLUSH = 8

/**
 * The check as opening an export does it: every file found goes back to the queue, and its name
 * to a `recheck` line of `batch` names for its reason. Lines are appended as they fill (the
 * missing and changed ones each in order; the partial last ones at the end, missing first) and
 * flushed every few lines; the caller flushes the rest. Returns the counts.
 */
export async function recheckDoneFiles(outDir: string, table: ExportTable, journal: RecheckSink, batch: number): Promise<DiskCheck> {
  const pending: Record<RecheckReason, string[]> = { missing: [], changed: [] }
  const counts = { missing: 0, changed: 0 }
  let unflushed = 0
  const write = (reason: RecheckReason): void => {
    journal.append({ type: 'recheck', names: pending[reason], reason })
    pending[reason] = []
    unflushed++
  }
  await scanDoneFiles(outDir, table, (index, reason) => {
    counts[reason]++
    pending[reason].push(table.files.nameAt(index))
    table.recheck(table.files.at(index))
    if (pending[reason].length < batch) return
    write(reason)
    if (unflushed < BATCHES_PER_FLUSH) return
    unflushed = 0
    return journal.flush()
  })
  for (const reason of ['missing', 'changed'] as const) if (pending[reason].length > 0) write(reason)
  return counts
}

export function recheckCount(check: DiskCheck | undefined): RecheckCount {
  return { missing: check?.missing ?? 0, changed: check?.changed ?? 0 }
}
