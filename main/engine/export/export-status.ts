import { localStamp } from '../../common/format.ts'
import { join } from 'node:path'
import type { ErrorData } from '../../common/errors.ts'
import type { ExportInfo, ExportState, ExportStatus } from '../../common/progress.ts'
import { type DiskCheck, type RecheckCount, recheckCount, scanDoneFiles } from './disk-check.ts'
import { readLastVerified } from '../calls/last-verified.ts'
import { ExportTable } from './export-table.ts'
import { folderInUse } from './folder-lock.ts'
import { journalExists, replayJournal } from './journal.ts'
import type { ExportHeaderEvent, StateEvent } from './journal-events.ts'
import { describeSource, isListedSource, listingDone } from './listing.ts'
import { REPORT_FILE } from './report.ts'

/** What an export is, from its header: the part of its status that never changes. */
export function exportInfo(outDir: string, header: ExportHeaderEvent | undefined): ExportInfo {
  return {
    id: outDir,
    outDir,
    createdAt: header?.createdAt ?? '',
    instanceId: header?.instanceId ?? '',
    ...(header?.profile ? { profile: header.profile } : {}),
    source: header ? describeSource(header.source) : '',
    reportPath: join(outDir, REPORT_FILE),
  }
}

export interface StatusFacts {
  readonly state: ExportState
  readonly reason?: ErrorData | undefined
  readonly interrupted?: boolean
  readonly disk?: DiskCheck | undefined
  /** What a check found, when only its counts were kept (`disk` otherwise). */
  readonly recheck?: RecheckCount | undefined
}

/** An export's status from its table (replayed, or a live runner's) and what is known of its state. */
export function statusOf(outDir: string, table: ExportTable, facts: StatusFacts): ExportStatus {
  const header = table.header
  const l = table.listing
  const recheck = facts.recheck ?? recheckCount(facts.disk)
  return {
    ...exportInfo(outDir, header),
    state: facts.state,
    ...(facts.interrupted ? { interrupted: true as const } : {}),
    ...(facts.reason ? { reason: facts.reason } : {}),
    counts: { ...table.counts },
    bytes: table.bytes,
    failures: table.failures(),
    ...(recheck.missing + recheck.changed > 0 ? { recheck } : {}),
    ...(header && isListedSource(header.source)
      ? { listing: { of: header.source.kind === 'range' ? `${localStamp(header.source.from)} to ${localStamp(header.source.to)}` : `${l.contacts.length} contact IDs`, pages: l.pages, ...table.listed, done: listingDone(header.source, l) } }
      : {}),
  }
}

/**
 * The journalled states are running, paused, finished, stopped and cancelled. The last one is
 * the export's state, with one exception: `running` when no live process has the folder open
 * means the process died or was killed mid-run. That export is `paused` (and `interrupted`):
 * nothing runs it, and resume continues it, which is what the CLI, History and Queue all say.
 * The next process to open the folder journals it so (a `paused` line marked `interrupted`), as
 * it may hold the folder a long while without running it.
 * A journal with no state yet was never run: `idle`.
 */
export function stateFrom(last: StateEvent | undefined, live: boolean, queued = 0): StatusFacts {
  if (!last) return { state: 'idle' }
  const reason = last.reason
  if ((last.state === 'running' && !live) || (last.state === 'paused' && last.interrupted)) return { state: 'paused', interrupted: true }
  // Files queued after the run finished (retried in the moment it settled, or names added to it
  // by a process that stopped before running them) are still to do: paused, so History and
  // resume take them, not finished with work left.
  if (last.state === 'finished' && queued > 0 && !live) return { state: 'paused' }
  return { state: last.state, ...(reason ? { reason } : {}) }
}

/**
 * Reads a folder's export status without opening it for writing: safe while another process runs
 * it. `live` says whether a process runs it; by default, whether a live process holds its lock.
 * Undefined when the folder holds no export.
 */
export async function readExportStatus(outDir: string, live: () => Promise<boolean> = () => folderInUse(outDir)): Promise<ExportStatus | undefined> {
  return (await readExportState(outDir, live))?.status
}

/** `readExportStatus`, with the table it replayed, for what else a caller reads from the rows (a sync's reach-back). */
export async function readExportState(outDir: string, live: () => Promise<boolean> = () => folderInUse(outDir)): Promise<{ readonly status: ExportStatus; readonly table: ExportTable } | undefined> {
  const replayed = await replayRows(outDir)
  if (!replayed) return undefined
  const { table, last } = replayed
  // Queued by the journal itself, before the disk check below requeues what it finds missing.
  const queued = table.counts.queued
  // Read-only: what is not on disk is counted as to do here, and journalled by the next open.
  const recheck = { missing: 0, changed: 0 }
  await scanDoneFiles(outDir, table, (index, reason) => {
    recheck[reason]++
    table.recheck(table.files.at(index))
  })
  const lastVerified = await readLastVerified(outDir)
  // Files the disk no longer has are work to do too: a finished export missing some reads as
  // paused, so History offers Resume and `resume` downloads them (a verify's advice).
  // And a listing moved back (failed lookups to take again) after the run that finished.
  const source = table.header?.source
  const listingLeft = source !== undefined && isListedSource(source) && !listingDone(source, table.listing) ? 1 : 0
  const toDo = queued + recheck.missing + recheck.changed + listingLeft
  const status = { ...statusOf(outDir, table, { ...stateFrom(last, await live(), toDo), recheck }), ...(lastVerified ? { lastVerified } : {}) }
  return { status, table }
}

/**
 * The export's rows as its journal has them, without `readExportState`'s look at every verified
 * file on disk: for what reads only rows (History's sync window), on an archive of a million files.
 */
export async function readExportTable(outDir: string): Promise<ExportTable | undefined> {
  return (await replayRows(outDir))?.table
}

async function replayRows(outDir: string): Promise<{ readonly table: ExportTable; readonly last: StateEvent | undefined } | undefined> {
  if (!(await journalExists(outDir))) return undefined
  const table = new ExportTable()
  let last: StateEvent | undefined
  const replay = await replayJournal(outDir, (e) => {
    table.apply(e)
    if (e.type === 'state') last = e
  })
  // A journal with no event (a process killed at its first write) is no export: the next download starts afresh.
  return replay.events === 0 ? undefined : { table, last }
}
