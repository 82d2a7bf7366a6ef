import { dirname } from 'node:path'
import type { ErrorData } from '../../common/errors.ts'
import { JOURNAL_BATCH } from '../../common/export-options.ts'
import type { JobKind } from '../../common/job.ts'
import type { RecordingMeta } from '../calls/call.ts'
import type { MetaStore } from '../calls/meta-store.ts'
import { contactsAgainEvent } from './contact-walk.ts'
import type { CodeFilter, ExportTable, FileEntry } from './export-table.ts'
import type { JournalWriter } from './journal-writer.ts'
import { type ExportOptions, failEvent, type ListedEvent, type SourceEvent } from './journal-events.ts'
import { awaitsRecording, failedWith, looksUpAgain } from './listing-step.ts'
import type { PendingFolders } from './pending-folders.ts'
import type { RunState } from './state.ts'

/** The states a file passes through in memory only: a crash in them means "not done yet". */
export type Transient = Extract<JobKind, 'queued' | 'resolving' | 'downloading' | 'paused'>

export interface AddExtra {
  /** Where a naming template puts each file; null where the layout decides. */
  readonly paths?: readonly (string | null)[]
  readonly metas?: readonly (RecordingMeta | undefined)[]
}

/** A file that passed its checks, as the ledger records it. */
export interface VerifiedFile {
  readonly dest: string
  readonly path: string
  readonly bytes: number
  readonly crc64: string | undefined
  readonly sha256?: string | undefined
  readonly verifiedBy?: string | undefined
  /** When it was verified (ms). */
  readonly at: number
}

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
    /** Where each recording's call metadata and SHA-256 go (absent in tests of the bookkeeping alone). */
    private readonly meta?: MetaStore,
  ) {}

  /**
   * Adds names not already in the export (a name twice in `names` counts once), journalled in
   * batches, each with its start time, its planned path and its call's metadata where known;
   * returns how many were new.
   */
  add(names: readonly string[], startTimes?: readonly (number | null)[], extra: AddExtra = {}): number {
    const { paths, metas } = extra
    let batch: string[] = []
    let starts: (number | null)[] = []
    let planned: (string | null)[] = []
    let added = 0
    const write = () => {
      this.journal.append({ type: 'add', names: batch, ...(startTimes ? { startTimes: starts } : {}), ...(paths ? { paths: planned } : {}) })
      batch = []
      starts = []
      planned = []
    }
    for (let i = 0; i < names.length; i++) {
      const start = startTimes?.[i] ?? null
      const path = paths?.[i] ?? null
      if (!this.table.addOne(names[i]!, start, path)) continue
      const meta = metas?.[i]
      if (meta && this.meta) this.meta.recording(names[i]!, meta)
      batch.push(names[i]!)
      starts.push(start)
      planned.push(path)
      added++
      if (batch.length === JOURNAL_BATCH) write()
    }
    if (batch.length > 0) write()
    this.events.changed()
    return added
  }

  /**
   * Adds contact IDs not already in the export; returns how many were new. Some given again (the
   * same list run again): the contacts whose call was not ready are looked up again, as a date
   * range run again is listed again (ccc-api.md §7).
   */
  addContacts(ids: readonly string[]): number {
    const { listing } = this.table
    const fresh = listing.addContacts(ids)
    for (let i = 0; i < fresh.length; i += JOURNAL_BATCH) this.journal.append({ type: 'contacts', ids: fresh.slice(i, i + JOURNAL_BATCH) })
    const givenAgain = new Set(ids).size > fresh.length
    const again = givenAgain ? contactsAgainEvent(listing, (id) => looksUpAgain(this.table, id), (id) => looksUpAgain(this.table, id), (id) => awaitsRecording(this.table, id)) : undefined
    if (again) this.listing(again)
    this.events.changed()
    return fresh.length
  }

  /** A step in memory only (not journalled: replay turns all of them back into "to do"). */
  mark(entry: FileEntry, state: Transient): void {
    this.table.setState(entry, state)
    this.events.changed()
  }

  /** A file found in archive storage, its restore asked for: journalled, so a resume keeps waiting for it. */
  restoring(name: string, entry: FileEntry, atMs: number): void {
    this.table.setState(entry, 'restoring')
    this.journal.append({ type: 'restore', names: [name], at: new Date(atMs).toISOString() })
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
  done(name: string, entry: FileEntry, file: VerifiedFile): void {
    // Usually the name itself (flat layout): keep the one string the table already holds.
    const path = file.path === name ? name : file.path
    const by = file.verifiedBy === 'md5' || file.verifiedBy === 'length' ? file.verifiedBy : undefined
    this.table.done(entry, file.bytes, path, file.crc64, by)
    this.folders.add(dirname(file.dest))
    this.journal.append({ type: 'done', name, bytes: file.bytes, path, attempts: entry.attempts, ...(file.crc64 ? { crc64: file.crc64 } : {}), ...(by ? { by } : {}) })
    this.meta?.done(name, { at: new Date(file.at).toISOString(), ...(file.sha256 ? { sha256: file.sha256 } : {}), ...(file.verifiedBy ? { by: file.verifiedBy } : {}) })
    this.events.fileDone()
    this.events.changed()
  }

  fail(name: string, entry: FileEntry, error: ErrorData): void {
    this.table.fail(entry, error)
    this.journal.append(failEvent(name, error, entry.attempts))
    this.events.changed()
  }

  /**
   * A listing's row whose lookup failed (ListingContext.refuse): failed under its code, added
   * when new; false when it already was, for the same reason.
   */
  failRow(key: string, error: ErrorData): boolean {
    let entry = this.table.files.get(key)
    if (entry?.state === 'failed' && entry.error?.code === error.code && entry.error.message === error.message) return false
    if (!entry) {
      this.add([key])
      entry = this.table.files.get(key)!
    }
    this.fail(key, entry, error)
    return true
  }

  /**
   * Something listed that is not a file to download, kept as a skipped row; false when it already
   * was, for the same reason (another reason replaces the old: a call still not ready, listed
   * again from contact IDs, no longer says to run a range again).
   */
  skip(key: string, reason: string, start?: number | null): boolean {
    let entry = this.table.files.get(key)
    if (entry?.state === 'skipped' && entry.error?.message === reason) return false
    if (!entry) {
      this.add([key], start == null ? undefined : [start])
      entry = this.table.files.get(key)!
    }
    this.table.skip(entry, reason)
    this.journal.append({ type: 'skip', name: key, reason })
    this.events.changed()
    return true
  }

  /** Skipped rows that stand for nothing now (calls' placeholders, their recordings listed): gone from the table, journalled; returns how many. */
  drop(keys: readonly string[]): number {
    const gone = keys.filter((key) => this.table.drop(key))
    for (let i = 0; i < gone.length; i += JOURNAL_BATCH) this.journal.append({ type: 'drop', names: gone.slice(i, i + JOURNAL_BATCH) })
    if (gone.length > 0) this.events.changed()
    return gone.length
  }

  /** Names a filter left out before, asked for again: queued, journalled as a retry; returns how many. */
  takeBack(names: readonly string[]): number {
    const back = this.table.requeueLeftOut(names)
    for (let i = 0; i < back.length; i += JOURNAL_BATCH) this.journal.append({ type: 'retry', names: back.slice(i, i + JOURNAL_BATCH) })
    if (back.length > 0) this.events.changed()
    return back.length
  }

  /** Failed files with `code`, or whose code passes it (all failed files without one) back to the queue; returns how many. */
  retry(code?: CodeFilter): number {
    const names = this.table.requeue(code)
    for (let i = 0; i < names.length; i += JOURNAL_BATCH) this.journal.append({ type: 'retry', names: names.slice(i, i + JOURNAL_BATCH) })
    this.events.changed()
    return names.length
  }

  /**
   * Contacts whose lookup failed with a code `matches` passes looked up again: the listing's
   * cursor moves back to the first of them, and the walk takes every contact it would look up
   * again from there (listing-step.ts looksUpAgain). Returns how many failed lookups that retries.
   */
  lookUpAgain(matches: (code: string) => boolean): number {
    const picked = (id: string): boolean => failedWith(this.table, id, matches)
    const again = contactsAgainEvent(this.table.listing, picked, (id) => looksUpAgain(this.table, id), (id) => awaitsRecording(this.table, id))
    if (!again) return 0
    this.listing(again)
    return this.table.listing.contacts.filter(picked).length
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

  /** A listing restarted, or its range moved on to a later end (`relist`): journalled, so a resume lists the same. */
  relisted(steps: readonly (SourceEvent | ListedEvent)[]): void {
    for (const step of steps) {
      this.table.apply(step)
      this.journal.append(step)
    }
    this.events.changed()
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

  async flush(): Promise<void> {
    await this.journal.flush()
    // The journal flushes it first when it has lines of its own; this covers a flush without.
    await this.meta?.flush()
  }

  async close(): Promise<void> {
    try {
      await this.journal.close()
    } finally {
      await this.meta?.close()
    }
  }
}
