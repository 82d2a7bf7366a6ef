import { localStamp } from '../../common/format.ts'
import { callFromDetail, recordingMeta } from '../calls/call.ts'
import { filterLabel } from '../calls/filters.ts'
import { type CallDetailRecord, listCallDetailRecords, MAX_PAGE_SIZE, MAX_RANGE_MS } from '../ccc/list-call-details.ts'
import { listRecordingsByContactId, type RecordingInfo } from '../ccc/list-recordings.ts'
import { withApiRetry } from './api-retry.ts'
import { walkContacts } from './contact-walk.ts'
import type { SourceInfo } from './journal-events.ts'
import type { ListingContext } from './listing-step.ts'
import { contactNote } from './listing-rows.ts'
import type { ListingState } from './listing-state.ts'
import type { RangeSource } from '../import/sources.ts'
import { callFilters, walkRange } from './range-walk.ts'

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

export const PAGE_SIZE = MAX_PAGE_SIZE
const CONTACT_CONCURRENCY = 4

/** Row name for a call listed without a recording. */
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

function listRange(ctx: ListingContext, source: RangeSource): Promise<void> {
  return walkRange<CallDetailRecord>(ctx, source, {
    async page({ at, page }, to) {
      const stop = Math.min(at + MAX_RANGE_MS, to)
      const query = { startTime: at, stopTime: stop, pageNumber: page, pageSize: PAGE_SIZE, ...callFilters(source) }
      const reply = await withApiRetry(ctx.api, (signal) => listCallDetailRecords(ctx.rpc, ctx.instanceId, query, { signal }), ctx.signal)
      // Short or empty: the window is done (never TotalCount, which only page 1 carries).
      return { records: reply.records, stop, next: reply.records.length < PAGE_SIZE ? { at: stop, page: 1 } : { at, page: page + 1 } }
    },
    take({ calls, at, stop, outside }, found) {
      for (const call of calls) {
        if (call.recordings.length === 0) {
          found.unrecordedRow(callNote(call), callReason(call))
          continue
        }
        for (const r of callFromDetail(call).recordings) found.keep(r.fileName, r.meta, r.meta.start ?? call.startTime)
      }
      if (outside > 0) ctx.log.debug(`ListCallDetailRecords: ${outside} call(s) outside ${new Date(at).toISOString()}..${new Date(stop).toISOString()} left out`)
    },
  })
}

function callReason(call: CallDetailRecord): string {
  const when = call.startTime === null ? 'at an unknown time' : `at ${new Date(call.startTime).toISOString()}`
  const what = [call.contactType, call.contactDisposition].filter(Boolean).join(', ')
  return `call ${call.contactId || '(no contact ID)'} ${when}${what ? ` (${what})` : ''} has no recording`
}

function listContacts(ctx: ListingContext): Promise<void> {
  return walkContacts<RecordingInfo[]>(ctx, {
    action: 'ListRecordingsByContactId',
    width: Math.max(1, ctx.contactConcurrency ?? CONTACT_CONCURRENCY),
    lookup: (id, signal) => listRecordingsByContactId(ctx.rpc, ctx.instanceId, id, { signal }),
    take(settled, found) {
      for (const contact of settled) {
        if ('refused' in contact) found.refusedRow(contactNote(contact.id), contact.error, contact.refused)
        else if (contact.value.length === 0) found.unrecordedRow(contactNote(contact.id), `contact ${contact.id} has no recording`)
        else {
          for (const r of contact.value) found.keep(r.fileName, recordingMeta(r), r.startTime)
          // A lookup that failed before and answers now: its failed row goes.
          found.replaces(contactNote(contact.id))
        }
      }
    },
  })
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
    sameEnd(a.to, b.to) &&
    a.phone === b.phone &&
    a.contactType === b.contactType &&
    a.disposition === b.disposition &&
    JSON.stringify(a.filter ?? {}) === JSON.stringify(b.filter ?? {})
  )
}

/**
 * The app ended a day range at 23:59:59 before it sent the next day's midnight (an exclusive end,
 * as the listing walks it): a folder made then is the same range asked for now, one second
 * apart, not a second range to refuse.
 */
function sameEnd(a: string, b: string): boolean {
  if (a === b) return true
  const [early, late] = [Date.parse(a), Date.parse(b)].sort((x, y) => x - y) as [number, number]
  return late - early === 1000 && new Date(early).getUTCSeconds() === 59
}

/** For messages: what a folder's export was made from. */
export function describeSource(source: SourceInfo): string {
  switch (source.kind) {
    case 'names':
      return 'a list of file names'
    case 'contacts':
      return 'contact IDs'
    case 'range':
      return `the calls from ${localStamp(source.from)} to ${localStamp(source.to)}${filterText(source)}`
  }
}

/** A range's other conditions, so two ranges that differ only there read differently in a message. */
function filterText(source: RangeSource): string {
  const parts = filterParts(source)
  return parts.length > 0 ? ` (${parts.join(', ')})` : ''
}

/** Each condition as the user gave it: `minimum duration 60 s`, not `minDuration 60`. */
function filterParts(source: RangeSource): string[] {
  const seconds = (k: string) => k === 'minDuration' || k === 'maxDuration'
  return [
    ...(source.phone ? [`phone ${source.phone}`] : []),
    ...(source.contactType ? [`type ${source.contactType}`] : []),
    ...(source.disposition ? [`disposition ${source.disposition}`] : []),
    ...Object.entries(source.filter ?? {}).map(([k, v]) => `${filterLabel(k)} ${String(v)}${seconds(k) ? ' s' : ''}`),
  ]
}

/**
 * Why a folder refuses a listed source: the same range asked with other conditions says which
 * (a folder keeps its own, so its export stays one defined set of calls); anything else names both.
 */
export function sourceConflict(outDir: string, held: SourceInfo, asked: SourceInfo): string {
  if (held.kind === 'range' && asked.kind === 'range' && held.from === asked.from && held.to === asked.to) {
    const conditions = (s: RangeSource) => filterParts(s).join(', ') || 'no filter'
    return (
      `${outDir} already holds the calls from ${localStamp(held.from)} to ${localStamp(held.to)} with ${conditions(held)}, and this run asks for them with ${conditions(asked)}. ` +
      `A folder keeps the filters it was started with: run with those, or choose another folder for these`
    )
  }
  return `${outDir} already holds an export of ${describeSource(held)}; choose another folder for ${describeSource(asked)}`
}
