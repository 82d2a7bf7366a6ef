import { dirname } from 'node:path'
import type { ErrorData } from '../../common/errors.ts'
import { JOURNAL_BATCH } from '../../common/export-options.ts'
import type { JobKind } from '../../common/job.ts'
import type { ExportTable, FileEntry } from './export-table.ts'
import type { JournalWriter } from './journal.ts'
import { type ExportOptions, failEvent, type ListedEvent } from './journal-events.ts'
import type { PendingFolders } from './pending-folders.ts'
import type { RunState } from './state.ts'

/** The states a file passes through in memory only: a crash in them means "not done yet". */
export type Transient = Extract<JobKind, 'queued' | 'resolving' | 'downloading' | 'paused'>

/** What the ledger tells when anything changed (progress is batched by the listener). */
export interface LedgerEvents {
  changed(): void
  fileDone(): void
}

/**
 * The one path of every change to an export: the table, the journal and the change notice move
 * together in one call, so no caller can update one and forget another (rclone's accounting
 * idea: one call per transfer's bookkeeping).
 */
export class Ledger {
  constructor(
    readonly table: ExportTable,
    private readonly journal: JournalWriter,
    private readonly folders: PendingFolders,
    private readonly events: LedgerEvents,
  ) {}

  /** Adds names not already in the export (a name twice in `names` counts once), journalled in batches; returns how many were new. */
  add(names: readonly string[], startTimes?: readonly (number | null)[]): number {
    let batch: string[] = []
    let starts: (number | null)[] = []
    let added = 0
    const write = () => {
      this.journal.append(startTimes ? { type: 'add', names: batch, startTimes: starts } : { type: 'add', names: batch })
      batch = []
      starts = []
    }
    for (let i = 0; i < names.length; i++) {
      const start = startTimes?.[i] ?? null
      if (this.table.add([names[i]!], [start]) === 0) continue
      batch.push(names[i]!)
      starts.push(start)
      added++
      if (batch.length === JOURNAL_BATCH) write()
    }
    if (batch.length > 0) write()
    this.events.changed()
    return added
  }

  addContacts(ids: readonly string[]): number {
    const fresh = this.table.listing.addContacts(ids)
    for (let i = 0; i < fresh.length; i += JOURNAL_BATCH) this.journal.append({ type: 'contacts', ids: fresh.slice(i, i + JOURNAL_BATCH) })
    this.events.changed()
    return fresh.length
  }

  /** A step in memory only (not journalled: replay turns all of them back into "to do"). */
  mark(entry: FileEntry, state: Transient): void {
    this.table.setState(entry, state)
    this.events.changed()
  }

  /** Where a transfer that was interrupted leaves its file: paused when a `.part` holds bytes. */
  park(entry: FileEntry): void {
    this.mark(entry, entry.bytes > 0 ? 'paused' : 'queued')
  }

  /** The `.part` now holds `bytesInPart` (less than before when a transfer restarted from zero). */
  partBytes(entry: FileEntry, bytesInPart: number): void {
    this.table.addPartBytes(entry, bytesInPart - entry.bytes)
    this.events.changed()
  }

  /** A verified file in place at `dest` (`path` relative to the export). Its folder is synced before the line is written. */
  done(name: string, entry: FileEntry, file: { dest: string; path: string; bytes: number; crc64: string | undefined }): void {
    // Usually the name itself (flat layout): keep the one string the table already holds.
    const path = file.path === name ? name : file.path
    this.table.done(entry, file.bytes, path, file.crc64)
    this.folders.add(dirname(file.dest))
    this.journal.append({ type: 'done', name, bytes: file.bytes, path, attempts: entry.attempts, ...(file.crc64 ? { crc64: file.crc64 } : {}) })
    this.events.fileDone()
    this.events.changed()
  }

  fail(name: string, entry: FileEntry, error: ErrorData): void {
    this.table.fail(entry, error)
    this.journal.append(failEvent(name, error, entry.attempts))
    this.events.changed()
  }

  /** Something listed that is not a file to download, kept as a skipped row; false when it already was. */
  skip(key: string, reason: string): boolean {
    let entry = this.table.files.get(key)
    if (entry?.state === 'skipped') return false
    if (!entry) {
      this.add([key])
      entry = this.table.files.get(key)!
    }
    this.table.skip(entry, reason)
    this.journal.append({ type: 'skip', name: key, reason })
    this.events.changed()
    return true
  }

  /** Failed files with `code`, or whose code passes it (all failed files without one) back to the queue; returns how many. */
  retry(code?: string | ((code: string) => boolean)): number {
    const names = this.table.requeue(code)
    for (let i = 0; i < names.length; i += JOURNAL_BATCH) this.journal.append({ type: 'retry', names: names.slice(i, i + JOURNAL_BATCH) })
    this.events.changed()
    return names.length
  }

  /** A listing step (a page answered, or the cursor moved back for a relist). */
  listing(event: ListedEvent): void {
    this.table.listing.apply(event)
    this.journal.append(event)
    this.events.changed()
  }

  /** A listing step, durable before the next page is asked for: a kill costs one page at most. */
  async listed(event: ListedEvent): Promise<void> {
    this.listing(event)
    await this.journal.flush()
  }

  options(options: ExportOptions): void {
    if (this.table.header) this.table.header = { ...this.table.header, options }
    this.journal.append({ type: 'options', options })
  }

  /** A run starting or settling; the steps between are not journalled (replay cannot be in them). */
  state(state: RunState, atMs: number): void {
    if (state.kind !== 'running' && state.kind !== 'paused' && state.kind !== 'finished' && state.kind !== 'stopped' && state.kind !== 'cancelled') return
    const reason = state.kind === 'paused' || state.kind === 'stopped' ? state.reason : undefined
    this.journal.append({ type: 'state', state: state.kind, at: new Date(atMs).toISOString(), ...(reason ? { reason } : {}) })
  }

  flush(): Promise<void> {
    return this.journal.flush()
  }

  close(): Promise<void> {
    return this.journal.close()
  }
}
