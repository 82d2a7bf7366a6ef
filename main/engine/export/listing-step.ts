import { type CccError, type ErrorData, isCccError } from '../../common/errors.ts'
import type { RecordingMeta } from '../calls/call.ts'
import { filterReason, removedBy } from '../calls/filters.ts'
import type { RpcCaller } from '../ccc/list-recordings.ts'
import type { Logger } from '../log.ts'
import type { ApiPolicy } from './api-retry.ts'
import { decide } from './decide.ts'
import type { ExportTable } from './export-table.ts'
import type { ListedEvent, ListingCursor, SourceInfo } from './journal-events.ts'
import type { ListingState } from './listing-state.ts'
import { callKey, contactNote } from './listing-rows.ts'

/** What the row of a call whose recording is not ready yet says (CCC 2.0, RecordingReady false). */
export const NOT_READY = 'the recording is not ready yet'

/** What the row of a call not ready with nothing recorded says: most likely unanswered. */
export const NOTHING_RECORDED = '0 s recorded'

/** True when the export holds the contact's call as not ready yet: a listing of it again may find its recording. */
export function awaitsRecording(table: ExportTable, contactId: string): boolean {
  const entry = table.files.get(callKey(contactId))
  return entry?.state === 'skipped' && entry.error?.message.includes(NOT_READY) === true
}

// How builds before failed rows noted a refused lookup, as a skipped row: `<action> failed for contact <id>: <code>: …`.
const OLD_REFUSAL = /^\S+ failed for (?:contact|call) \S+: ([^\s:]+):/

/** The code the lookup of a contact (or of its call's recordings) failed with, when it did. */
export function failedLookup(table: ExportTable, contactId: string): string | undefined {
  for (const key of [contactNote(contactId), callKey(contactId)]) {
    const entry = table.files.get(key)
    if (entry?.state === 'failed') return entry.error?.code ?? ''
    // A folder an older build listed: its refusals are looked up again too.
    const old = entry?.state === 'skipped' ? OLD_REFUSAL.exec(entry.error?.message ?? '') : null
    if (old) return old[1]!
  }
  return undefined
}

/** Whether the contact's lookup failed with a code `matches` passes: what a retry of that code takes again. */
export function failedWith(table: ExportTable, contactId: string, matches: (code: string) => boolean): boolean {
  const code = failedLookup(table, contactId)
  return code !== undefined && matches(code)
}

/**
 * When the oldest call still not ready started (CCC 2.0), from `floor` on: a sync lists back to
 * it, so a call that was not ready when its window was listed is listed again after its window
 * has passed. A call with nothing recorded (most likely unanswered, and a call centre has them
 * every day) does not hold the listing back, nor does one older than `floor`. Undefined when
 * there is none, or none whose start the journal has (rows of builds before it kept none).
 */
export function oldestNotReady(table: ExportTable, floor: number): number | undefined {
  let oldest: number | undefined
  for (const [name, entry] of table.files) {
    if (entry.state !== 'skipped' || !name.startsWith(callKey(''))) continue
    const message = entry.error?.message ?? ''
    if (!message.includes(NOT_READY) || message.includes(NOTHING_RECORDED)) continue
    const start = entry.startTime
    if (start !== undefined && start >= floor && (oldest === undefined || start < oldest)) oldest = start
  }
  return oldest
}

/** A contact worth looking up again when its list is asked for again: its call not ready, or its lookup failed. */
export function looksUpAgain(table: ExportTable, contactId: string): boolean {
  return awaitsRecording(table, contactId) || failedLookup(table, contactId) !== undefined
}

/**
 * The error of one contact's or call's lookup, when it is that item's own: `decide` fails the
 * item at its first failure (the catalog's per-item codes, a malformed contact ID say), so the
 * item gets a row and the others go on. Undefined for what must stop the listing instead: an
 * abort, an export-fatal or pausing code, or trouble that passes and outlasted its retries
 * (withApiRetry had them; judged as a first failure, it is the service's, not the item's).
 */
export function refusedAlone(error: unknown, signal: AbortSignal): CccError | undefined {
  if (signal.aborted || !isCccError(error)) return undefined
  return decide(error, 1).kind === 'fail' ? error : undefined
}

/** What a listing (either API generation) needs of the export it runs in. */
export interface ListingContext {
  readonly rpc: RpcCaller
  readonly instanceId: string
  readonly source: SourceInfo
  readonly state: ListingState
  readonly api: ApiPolicy
  readonly signal: AbortSignal
  readonly log: Logger
  /** Contacts looked up at once. */
  readonly contactConcurrency?: number
  /** New names for the export, with the start times the by-date layout files them under, and their calls' metadata. */
  add(names: readonly string[], startTimes: readonly (number | null)[], metas: readonly RecordingMeta[]): void
  /** Something listed that is not a file to download: a skipped row with the reason (and its call's start, when known). */
  note(key: string, reason: string, start?: number | null): void
  /**
   * A contact (or call) whose lookup the service refused: a failed row under its code, so the
   * export does not pass for complete; asked for again (the list again, or a retry of its code),
   * it is looked up again.
   */
  refuse(key: string, error: ErrorData): void
  /**
   * A recording the filter leaves out, with its call: a skipped row that keeps where the names
   * would put it and what its call was, for when a later listing keeps it (absent in a dry run:
   * `note` then).
   */
  leaveOut?(name: string, meta: RecordingMeta, start: number | null, reason: string): void
  /** Journals the step and makes it durable. */
  commit(event: ListedEvent): Promise<void>
  /** Skipped rows that stand for nothing now: calls' placeholders, their recordings listed (absent in a dry run). */
  drop?(keys: readonly string[]): void
  /** True when the contact's call was listed before with its recording not ready (absent in a dry run). */
  awaitsRecording?(contactId: string): boolean
}

/** What one listing step found: handed to the export in one go, with the step's cursor. */
export class Found {
  readonly names: string[] = []
  readonly starts: (number | null)[] = []
  readonly metas: RecordingMeta[] = []
  /** Rows of calls whose recordings this step found: placeholders of an earlier listing, to go. */
  readonly replaced: string[] = []
  unrecorded = 0

  constructor(private readonly ctx: ListingContext) {}

  /** A recording, unless the source's filter leaves it out: then a skipped row saying which filter, so the report counts it. */
  keep(name: string, meta: RecordingMeta, start: number | null): void {
    const by = this.leftOutBy(meta)
    if (by !== undefined) {
      if (this.ctx.leaveOut) this.ctx.leaveOut(name, meta, start, filterReason(by))
      else this.ctx.note(name, filterReason(by))
      return
    }
    this.names.push(name)
    this.starts.push(start)
    this.metas.push(meta)
  }

  /**
   * The call whose row is `key` has its recordings kept in this step: a row an earlier listing
   * left for it (not ready yet, or no recording) goes, once they are in the export.
   */
  replaces(key: string): void {
    this.replaced.push(key)
  }

  /**
   * A call whose recording is not ready yet, unless the filter leaves its recording out anyway:
   * then it is a row of that filter, and nobody is told to wait and list it again for it.
   */
  notReady(key: string, meta: RecordingMeta, reason: string, start: number | null): void {
    const by = this.leftOutBy(meta)
    if (by === undefined) return this.unrecordedRow(key, reason, start)
    this.ctx.note(key, filterReason(by), start)
  }

  private leftOutBy(meta: RecordingMeta): ReturnType<typeof removedBy> | undefined {
    const filter = this.ctx.source.kind === 'names' ? undefined : this.ctx.source.filter
    return filter ? removedBy(meta, filter) : undefined
  }

  /** A call or contact without a recording: not dropped but a skipped row, so every count shows it. */
  unrecordedRow(key: string, reason: string, start?: number | null): void {
    this.ctx.note(key, reason, start)
    this.unrecorded++
  }

  /** A contact or call whose lookup failed: a failed row (see ListingContext.refuse). */
  refusedRow(key: string, error: CccError, reason: string): void {
    this.ctx.refuse(key, { code: error.code, message: reason })
  }
}

/** Where a listing goes on, for a debug line. */
function cursorText(c: ListingCursor): string {
  if ('contact' in c) return `contact ${c.contact + 1}`
  return `page ${c.page} of the window from ${new Date(c.at).toISOString()}`
}

/** The journal's counts, cumulative from the journal's own, carried from step to step. */
export class Steps {
  private pages: number
  private found: number
  private unrecorded: number

  constructor(private readonly ctx: ListingContext) {
    this.pages = ctx.state.pages
    this.found = ctx.state.found
    this.unrecorded = ctx.state.unrecorded
  }

  /** Hands the step's names to the export, then journals the cursor past them, durable before the next request. */
  async commit(next: ListingCursor, pages: number, found: Found): Promise<void> {
    this.pages += pages
    this.found += found.names.length
    this.unrecorded += found.unrecorded
    if (found.names.length > 0) this.ctx.add(found.names, found.starts, found.metas)
    if (found.replaced.length > 0) this.ctx.drop?.(found.replaced)
    this.ctx.log.debug(`listing: ${found.names.length} recording(s) and ${found.unrecorded} without one in this step; next ${cursorText(next)} (${this.pages} pages, ${this.found} recordings so far)`)
    await this.ctx.commit({ type: 'listed', next, pages: this.pages, found: this.found, unrecorded: this.unrecorded })
  }
}
