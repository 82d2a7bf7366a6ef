import { isCccError } from '../../common/errors.ts'
import { callFromDetail, type RecordingMeta, recordingMeta } from '../calls/call.ts'
import { filterReason, removedBy } from '../calls/filters.ts'
import { type CallDetailRecord, listCallDetailRecords, MAX_PAGE_SIZE, MAX_RANGE_MS } from '../ccc/list-call-details.ts'
import { listRecordingsByContactId, type RecordingInfo, type RpcCaller } from '../ccc/list-recordings.ts'
import type { Logger } from '../log.ts'
import { type ApiPolicy, withApiRetry } from './api-retry.ts'
import type { ListedEvent, ListingCursor, SourceInfo } from './journal-events.ts'
import type { ListingState } from './listing-state.ts'

/**
 * Listing as part of an export: contact IDs resolved to their recordings, or a date range walked
 * in consecutive 7-day windows, 100 calls a page, stopping on a short page (TotalCount is only
 * filled on page 1: ccc-api.md §3). Each step hands its names to the export and journals a
 * cursor, durable before the next request, so a killed export resumes where it was.
 *
 * A contact with no recording, and a call without one, are not dropped: each becomes a skipped
 * row (`contact/<id>` or `call/<id>`, names no recording can have since they hold a `/`), so the
 * counts, `status`, the app and report.csv all show them with the reason.
 */

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
  /** Something listed that is not a file to download: a skipped row with the reason. */
  note(key: string, reason: string): void
  /** Journals the step and makes it durable. */
  commit(event: ListedEvent): Promise<void>
}

export const PAGE_SIZE = MAX_PAGE_SIZE
const CONTACT_CONCURRENCY = 4

/** Row names for what was listed but has no recording. */
export const contactNote = (contactId: string): string => `contact/${contactId}`
export const callNote = (call: CallDetailRecord): string => `call/${call.contactId || `unknown-${call.startTime ?? 'time'}`}`

/** True when nothing is left to list (always for a names export). */
export function listingDone(source: SourceInfo, state: ListingState): boolean {
  const next = state.next
  if (source.kind === 'contacts') return (next && 'contact' in next ? next.contact : 0) >= state.contacts.length
  if (source.kind === 'range') return next !== undefined && 'at' in next && next.at >= Date.parse(source.to)
  return true
}

/** Lists until done; rejects with the CccError that stopped it, or the abort. */
export async function runListing(ctx: ListingContext): Promise<void> {
  if (ctx.source.kind === 'contacts') return listContacts(ctx)
  if (ctx.source.kind === 'range') return listRange(ctx, ctx.source)
}

/** Counts carried from step to step, starting from the journal's. */
class Tally {
  pages: number
  found: number
  unrecorded: number
  constructor(state: ListingState) {
    this.pages = state.pages
    this.found = state.found
    this.unrecorded = state.unrecorded
  }
  event(next: ListingCursor): ListedEvent {
    return { type: 'listed', next, pages: this.pages, found: this.found, unrecorded: this.unrecorded }
  }
}

async function listRange(ctx: ListingContext, source: Extract<SourceInfo, { kind: 'range' }>): Promise<void> {
  const from = Date.parse(source.from)
  const to = Date.parse(source.to)
  const tally = new Tally(ctx.state)
  const saved = ctx.state.next
  let at = saved && 'at' in saved ? saved.at : from
  let page = saved && 'at' in saved ? saved.page : 1
  while (at < to) {
    const stop = Math.min(at + MAX_RANGE_MS, to)
    const query = {
      startTime: at,
      stopTime: stop,
      pageNumber: page,
      pageSize: PAGE_SIZE,
      ...(source.phone ? { phoneNumber: source.phone } : {}),
      ...(source.contactType ? { contactType: source.contactType } : {}),
      ...(source.disposition ? { contactDisposition: source.disposition } : {}),
    }
    const reply = await withApiRetry(ctx.api, (signal) => listCallDetailRecords(ctx.rpc, ctx.instanceId, query, { signal }), ctx.signal)
    const names: string[] = []
    const starts: (number | null)[] = []
    const metas: RecordingMeta[] = []
    let outside = 0
    for (const call of reply.records) {
      // The server filters by time already; a call it returns from outside the window (a boundary
      // counted on both sides, a clock in another zone) would otherwise land in the export twice
      // or unasked for. The window's end is exclusive, as the range's is.
      if (call.startTime !== null && (call.startTime < at || call.startTime >= stop)) {
        outside++
        continue
      }
      if (call.recordings.length === 0) {
        ctx.note(callNote(call), callReason(call))
        tally.unrecorded++
        continue
      }
      for (const r of callFromDetail(call).recordings) {
        if (leftOut(ctx, r.fileName, r.meta)) continue
        names.push(r.fileName)
        starts.push(r.meta.start ?? call.startTime)
        metas.push(r.meta)
      }
    }
    if (outside > 0) ctx.log.debug(`ListCallDetailRecords: ${outside} call(s) outside ${new Date(at).toISOString()}..${new Date(stop).toISOString()} left out`)
    // Short or empty: the window is done (never TotalCount, which only page 1 carries).
    const next = reply.records.length < PAGE_SIZE ? { at: stop, page: 1 } : { at, page: page + 1 }
    tally.pages++
    tally.found += names.length
    if (names.length > 0) ctx.add(names, starts, metas)
    await ctx.commit(tally.event(next))
    at = next.at
    page = next.page
  }
}

/** A recording the source's filter leaves out: a skipped row saying which filter, so the report counts them. */
function leftOut(ctx: ListingContext, fileName: string, meta: RecordingMeta): boolean {
  const filter = ctx.source.kind === 'names' ? undefined : ctx.source.filter
  const by = filter ? removedBy(meta, filter) : undefined
  if (by === undefined) return false
  ctx.note(fileName, filterReason(by))
  return true
}

function callReason(call: CallDetailRecord): string {
  const when = call.startTime === null ? 'at an unknown time' : `at ${new Date(call.startTime).toISOString()}`
  const what = [call.contactType, call.contactDisposition].filter(Boolean).join(', ')
  return `call ${call.contactId || '(no contact ID)'} ${when}${what ? ` (${what})` : ''} has no recording`
}

type Lookup = { id: string; recordings: RecordingInfo[] } | { id: string; error: unknown }

async function listContacts(ctx: ListingContext): Promise<void> {
  const tally = new Tally(ctx.state)
  const ids = ctx.state.contacts
  const saved = ctx.state.next
  let i = saved && 'contact' in saved ? saved.contact : 0
  const width = Math.max(1, ctx.contactConcurrency ?? CONTACT_CONCURRENCY)
  while (i < ids.length) {
    const chunk = ids.slice(i, i + width)
    // Looked up together, taken in order: the cursor only ever passes contacts that are settled.
    const lookups = await Promise.all(
      chunk.map(
        (id): Promise<Lookup> =>
          withApiRetry(ctx.api, (signal) => listRecordingsByContactId(ctx.rpc, ctx.instanceId, id, { signal }), ctx.signal).then(
            (recordings) => ({ id, recordings }),
            (error: unknown) => ({ id, error }),
          ),
      ),
    )
    const names: string[] = []
    const starts: (number | null)[] = []
    const metas: RecordingMeta[] = []
    let stopWith: unknown
    let settled = 0
    for (const lookup of lookups) {
      if ('error' in lookup) {
        const e = lookup.error
        // One contact the service refuses (a malformed ID, say) is that contact's problem: it is
        // reported and the rest go on. Anything else (an abort, a fatal code, a service that kept
        // failing after every retry) stops the listing here, to be resumed at this contact.
        if (!isCccError(e) || ctx.signal.aborted || e.fatal || e.retryable || e.handling === 'pause') {
          stopWith = e
          break
        }
        ctx.note(contactNote(lookup.id), `ListRecordingsByContactId failed for contact ${lookup.id}: ${e.code}: ${e.message}`)
        tally.unrecorded++
      } else if (lookup.recordings.length === 0) {
        ctx.note(contactNote(lookup.id), `contact ${lookup.id} has no recording`)
        tally.unrecorded++
      } else {
        for (const r of lookup.recordings) {
          const meta = recordingMeta(r)
          if (leftOut(ctx, r.fileName, meta)) continue
          names.push(r.fileName)
          starts.push(r.startTime)
          metas.push(meta)
        }
      }
      settled++
    }
    tally.pages += settled
    tally.found += names.length
    if (names.length > 0) ctx.add(names, starts, metas)
    i += settled
    if (settled > 0) await ctx.commit(tally.event({ contact: i }))
    if (stopWith !== undefined) throw stopWith
  }
}

/** True for the sources the export lists itself (and so journals a cursor for). */
export function isListedSource(source: SourceInfo): source is Extract<SourceInfo, { kind: 'contacts' | 'range' }> {
  return source.kind === 'contacts' || source.kind === 'range'
}

/** The same range and filters: a folder holds one range, a second one goes to another folder. */
export function sameSource(a: SourceInfo, b: SourceInfo): boolean {
  // Another generation or recording kind names other files: another folder (issue 14).
  if (a.kind !== b.kind || a.api !== b.api || a.recording !== b.recording) return false
  if (a.kind !== 'range' || b.kind !== 'range') return true
  return (
    a.from === b.from &&
    a.to === b.to &&
    a.phone === b.phone &&
    a.contactType === b.contactType &&
    a.disposition === b.disposition &&
    JSON.stringify(a.filter ?? {}) === JSON.stringify(b.filter ?? {})
  )
}

/** For messages: what a folder's export was made from. */
export function describeSource(source: SourceInfo): string {
  switch (source.kind) {
    case 'names':
      return 'a list of file names'
    case 'contacts':
      return 'contact IDs'
    case 'range':
      return `the calls from ${source.from} to ${source.to}${source.phone ? ` of ${source.phone}` : ''}`
  }
}
