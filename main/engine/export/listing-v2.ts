import { DEFAULT_RECORDING_KIND, type RecordingKind } from '../../common/api-version.ts'
import { isCccError } from '../../common/errors.ts'
import type { RecordingMeta } from '../calls/call.ts'
import { filterReason, removedBy } from '../calls/filters.ts'
import { type CallRecordV2, getCallRecordV2, listCallRecordsV2, V2_MAX_PAGE_NUMBER, V2_MAX_PAGE_SIZE, V2_MAX_ROWS } from '../ccc/v2/call-records.ts'
import { callMetaV2, legMetaV2 } from '../ccc/v2/meta.ts'
import { monoName, multiChannelName, rememberLeg } from '../ccc/v2/names.ts'
import { listMonoRecordings } from '../ccc/v2/recordings.ts'
import { withApiRetry } from './api-retry.ts'
import type { ListedEvent, ListingCursor, SourceInfo } from './journal-events.ts'
import type { ListingContext } from './listing.ts'

/**
 * The listing of a CCC 2.0 export (issue 14 item 2), the same contract as listing.ts: each step
 * hands its names to the export and journals a cursor before the next request.
 *
 * A date range is walked in windows of at most WINDOW_MS; ListCallDetailRecords reaches at most
 * 10,000 rows of a query (PageNumber and PageSize are each capped at 100), so a window whose
 * TotalCount says more is halved on its first page until it holds no more. Its end is journalled
 * with the cursor (`until`), so a resumed walk pages the same window.
 *
 * A call whose recording is not ready yet (RecordingReady false) is a skipped row; a run of the
 * same range again (relist) finds it ready and adds it under its own name.
 */

/** The widest window asked at once; the docs give 2.0 no limit we could find, 1.0 has 7 days. */
export const WINDOW_MS = 7 * 24 * 60 * 60 * 1000
const LOOKUPS_AT_ONCE = 4

interface Found {
  names: string[]
  starts: (number | null)[]
  metas: RecordingMeta[]
  unrecorded: number
}

const callKey = (contactId: string): string => `call/${contactId}`
const contactKey = (contactId: string): string => `contact/${contactId}`

export async function runListingV2(ctx: ListingContext): Promise<void> {
  if (ctx.source.kind === 'contacts') return listContactsV2(ctx)
  if (ctx.source.kind === 'range') return listRangeV2(ctx, ctx.source)
}

function event(next: ListingCursor, pages: number, found: Found, before: { found: number; unrecorded: number }): ListedEvent {
  return { type: 'listed', next, pages, found: before.found + found.names.length, unrecorded: before.unrecorded + found.unrecorded }
}

async function listRangeV2(ctx: ListingContext, source: Extract<SourceInfo, { kind: 'range' }>): Promise<void> {
  const to = Date.parse(source.to)
  const saved = ctx.state.next
  let cursor = saved && 'at' in saved ? saved : { at: Date.parse(source.from), page: 1 }
  let pages = ctx.state.pages
  const totals = { found: ctx.state.found, unrecorded: ctx.state.unrecorded }
  while (cursor.at < to) {
    const { at, page } = cursor
    let stop = cursor.until ?? Math.min(at + WINDOW_MS, to)
    let reply = await queryPage(ctx, source, at, stop, page)
    // Only on a first page: a window being paged keeps the end it was journalled with.
    while (page === 1 && (reply.totalCount ?? 0) > V2_MAX_ROWS && stop - at > 1) {
      stop = at + Math.floor((stop - at) / 2)
      reply = await queryPage(ctx, source, at, stop, 1)
    }
    if (page === 1 && (reply.totalCount ?? 0) > V2_MAX_ROWS) ctx.log.warn(`ListCallDetailRecords: more than ${V2_MAX_ROWS} calls in one millisecond at ${new Date(at).toISOString()}; only the first are listed`)
    // The server filters by time already; a call outside the window (end exclusive) would land twice.
    const calls = reply.records.filter((c) => c.startTime === null || (c.startTime >= at && c.startTime < stop))
    const found = await recordingsOf(ctx, calls)
    const last = reply.records.length < V2_MAX_PAGE_SIZE || page >= V2_MAX_PAGE_NUMBER
    const next: ListingCursor = last ? { at: stop, page: 1 } : { at, page: page + 1, until: stop }
    pages++
    if (found.names.length > 0) ctx.add(found.names, found.starts, found.metas)
    const step = event(next, pages, found, totals)
    await ctx.commit(step)
    totals.found = step.found
    totals.unrecorded = step.unrecorded
    cursor = next as typeof cursor
  }
}

function queryPage(ctx: ListingContext, source: Extract<SourceInfo, { kind: 'range' }>, at: number, stop: number, page: number) {
  const query = {
    startTime: at,
    // The API's EndTime is inclusive; the window's end is not.
    endTime: stop - 1,
    pageNumber: page,
    pageSize: V2_MAX_PAGE_SIZE,
    ...(source.phone ? { phoneNumber: source.phone } : {}),
    ...(source.contactType ? { contactType: source.contactType } : {}),
    ...(source.disposition ? { contactDisposition: source.disposition } : {}),
  }
  return withApiRetry(ctx.api, (signal) => listCallRecordsV2(ctx.rpc, ctx.instanceId, query, { signal }), ctx.signal)
}

/** The recordings of listed calls, in order; per-agent legs are looked up a few calls at a time. */
async function recordingsOf(ctx: ListingContext, calls: readonly CallRecordV2[]): Promise<Found> {
  const kind: RecordingKind = ctx.source.recording ?? DEFAULT_RECORDING_KIND
  const found: Found = { names: [], starts: [], metas: [], unrecorded: 0 }
  const ready = calls.filter((call) => {
    if (call.recordingReady) return true
    ctx.note(callKey(call.contactId), `call ${call.contactId}: the recording is not ready yet; run the same range again later to fetch it`)
    found.unrecorded++
    return false
  })
  if (kind !== 'per-agent') {
    for (const call of ready) {
      const meta = callMetaV2(call)
      push(ctx, found, kind === 'multichannel' ? multiChannelName(call.contactId) : monoName(call.contactId), meta, call.startTime)
    }
    return found
  }
  for (let i = 0; i < ready.length; i += LOOKUPS_AT_ONCE) {
    const chunk = ready.slice(i, i + LOOKUPS_AT_ONCE)
    const legs = await Promise.all(chunk.map((call) => withApiRetry(ctx.api, (signal) => listMonoRecordings(ctx.rpc, ctx.instanceId, call.contactId, { signal }), ctx.signal)))
    chunk.forEach((call, j) => {
      if (legs[j]!.length === 0) {
        ctx.note(callKey(call.contactId), `call ${call.contactId} has no recording`)
        found.unrecorded++
      }
      for (const leg of legs[j]!) {
        rememberLeg(leg.fileName, call.contactId)
        push(ctx, found, leg.fileName, legMetaV2(call, leg), leg.startTime ?? call.startTime)
      }
    })
  }
  return found
}

function push(ctx: ListingContext, found: Found, name: string, meta: RecordingMeta, start: number | null): void {
  const filter = ctx.source.kind === 'names' ? undefined : ctx.source.filter
  const by = filter ? removedBy(meta, filter) : undefined
  if (by !== undefined) {
    ctx.note(name, filterReason(by))
    return
  }
  found.names.push(name)
  found.starts.push(start)
  found.metas.push(meta)
}

type Lookup = { id: string; call: CallRecordV2 } | { id: string; error: unknown }

/** Contact IDs through GetCallDetailRecord, a few at a time, the cursor passing settled ones only. */
async function listContactsV2(ctx: ListingContext): Promise<void> {
  const ids = ctx.state.contacts
  const saved = ctx.state.next
  let i = saved && 'contact' in saved ? saved.contact : 0
  let pages = ctx.state.pages
  const totals = { found: ctx.state.found, unrecorded: ctx.state.unrecorded }
  while (i < ids.length) {
    const chunk = ids.slice(i, i + LOOKUPS_AT_ONCE)
    const lookups = await Promise.all(
      chunk.map(
        (id): Promise<Lookup> =>
          withApiRetry(ctx.api, (signal) => getCallRecordV2(ctx.rpc, ctx.instanceId, id, { signal }), ctx.signal).then(
            (call) => ({ id, call }),
            (error: unknown) => ({ id, error }),
          ),
      ),
    )
    const settled: CallRecordV2[] = []
    let stopWith: unknown
    let refused = 0
    for (const lookup of lookups) {
      if ('call' in lookup) {
        settled.push(lookup.call)
        continue
      }
      const e = lookup.error
      // As in listing.ts: one refused contact is its own problem; anything else stops here.
      if (!isCccError(e) || ctx.signal.aborted || e.fatal || e.retryable || e.handling === 'pause') {
        stopWith = e
        break
      }
      ctx.note(contactKey(lookup.id), `GetCallDetailRecord failed for contact ${lookup.id}: ${e.code}: ${e.message}`)
      refused++
    }
    const found = await recordingsOf(ctx, settled)
    found.unrecorded += refused
    const done = settled.length + refused
    pages += done
    i += done
    if (found.names.length > 0) ctx.add(found.names, found.starts, found.metas)
    if (done > 0) {
      const step = event({ contact: i }, pages, found, totals)
      await ctx.commit(step)
      totals.found = step.found
      totals.unrecorded = step.unrecorded
    }
    if (stopWith !== undefined) throw stopWith
  }
}
