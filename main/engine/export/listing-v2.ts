import { DEFAULT_RECORDING_KIND, type RecordingKind } from '../../common/api-version.ts'
import { type CallRecordV2, getCallRecordV2, listCallRecordsV2, V2_MAX_PAGE_NUMBER, V2_MAX_PAGE_SIZE, V2_MAX_ROWS } from '../ccc/v2/call-records.ts'
import { callMetaV2, legMetaV2 } from '../ccc/v2/meta.ts'
import { monoName, multiChannelName, rememberLeg } from '../ccc/v2/names.ts'
import type { CccError } from '../../common/errors.ts'
import { listMonoRecordings, type RecordingLeg } from '../ccc/v2/recordings.ts'
import { withApiRetry } from './api-retry.ts'
import { walkContacts } from './contact-walk.ts'
import { type Found, type ListingContext, NOT_READY, NOTHING_RECORDED, refusedAlone } from './listing-step.ts'
import { callKey, contactNote } from './listing-rows.ts'
import type { RangeSource } from '../import/sources.ts'
import { callFilters, type RangeCursor, walkRange } from './range-walk.ts'

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
 * same range or contact IDs again finds it ready, adds it under its own name, and drops the row.
 */

/** The widest window asked at once; the docs give 2.0 no limit we could find, 1.0 has 7 days. */
export const WINDOW_MS = 7 * 24 * 60 * 60 * 1000
const LOOKUPS_AT_ONCE = 4

export async function runListingV2(ctx: ListingContext): Promise<void> {
  if (ctx.source.kind === 'contacts') return listContactsV2(ctx)
  if (ctx.source.kind === 'range') return listRangeV2(ctx, ctx.source)
}

function listRangeV2(ctx: ListingContext, source: RangeSource): Promise<void> {
  return walkRange<CallRecordV2>(ctx, source, {
    async page(cursor, to) {
      const { at, page } = cursor
      let stop = cursor.until ?? Math.min(at + WINDOW_MS, to)
      let reply = await queryPage(ctx, source, at, stop, page)
      // Only on a first page: a window being paged keeps the end it was journalled with.
      while (page === 1 && (reply.totalCount ?? 0) > V2_MAX_ROWS && stop - at > 1) {
        stop = at + Math.floor((stop - at) / 2)
        reply = await queryPage(ctx, source, at, stop, 1)
      }
      if (page === 1 && (reply.totalCount ?? 0) > V2_MAX_ROWS) ctx.log.warn(`ListCallDetailRecords: more than ${V2_MAX_ROWS} calls in one millisecond at ${new Date(at).toISOString()}; only the first are listed`)
      const last = reply.records.length < V2_MAX_PAGE_SIZE || page >= V2_MAX_PAGE_NUMBER
      const next: RangeCursor = last ? { at: stop, page: 1 } : { at, page: page + 1, until: stop }
      return { records: reply.records, stop, next }
    },
    take: ({ calls }, found) => recordingsOf(ctx, calls, found),
  })
}

function queryPage(ctx: ListingContext, source: RangeSource, at: number, stop: number, page: number) {
  // The API's EndTime is inclusive; the window's end is not.
  const query = { startTime: at, endTime: stop - 1, pageNumber: page, pageSize: V2_MAX_PAGE_SIZE, ...callFilters(source) }
  return withApiRetry(ctx.api, (signal) => listCallRecordsV2(ctx.rpc, ctx.instanceId, query, { signal }), ctx.signal)
}

/** The recordings of listed calls, in order; per-agent legs are looked up a few calls at a time. */
async function recordingsOf(ctx: ListingContext, calls: readonly CallRecordV2[], found: Found): Promise<void> {
  const kind: RecordingKind = ctx.source.recording ?? DEFAULT_RECORDING_KIND
  const runAgain = ctx.source.kind === 'contacts' ? 'the same contact IDs' : 'the same range'
  const ready = calls.filter((call) => {
    if (call.recordingReady) return true
    // Nothing recorded so far: an unanswered or abandoned call, most likely, but CCC may also say 0
    // until the recording is processed, so it is still looked up again (awaitsRecording).
    const why =
      call.recordingDuration === 0
        ? `call ${call.contactId}: ${NOTHING_RECORDED}, so most likely it was not answered; if it was, ${NOT_READY}: run ${runAgain} again later to check`
        : `call ${call.contactId}: ${NOT_READY}; run ${runAgain} again later to fetch it`
    found.notReady(callKey(call.contactId), callMetaV2(call), why, call.startTime)
    return false
  })
  if (kind !== 'per-agent') {
    for (const call of ready) {
      found.keep(kind === 'multichannel' ? multiChannelName(call.contactId) : monoName(call.contactId), callMetaV2(call), call.startTime)
      found.replaces(callKey(call.contactId))
    }
    return
  }
  for (let i = 0; i < ready.length; i += LOOKUPS_AT_ONCE) {
    const chunk = ready.slice(i, i + LOOKUPS_AT_ONCE)
    const legs = await legsOf(ctx, chunk)
    chunk.forEach((call, j) => {
      const key = callKey(call.contactId)
      const answer = legs[j]!
      if ('refused' in answer) found.refusedRow(key, answer.refused, `ListMonoRecordings failed for call ${call.contactId}: ${answer.refused.code}: ${answer.refused.message}`)
      else if (answer.legs.length === 0) found.unrecordedRow(key, `call ${call.contactId} has no recording`)
      else {
        for (const leg of answer.legs) {
          rememberLeg(leg.fileName, call.contactId)
          found.keep(leg.fileName, legMetaV2(call, leg), leg.startTime ?? call.startTime)
        }
        found.replaces(key)
      }
    })
  }
}

/**
 * The legs of a few calls, asked at once. A call the service refuses alone (a malformed contact
 * ID, say) is that call's answer, as a refused contact is (contact-walk.ts); anything else stops
 * the listing, once every call of the chunk has its answer, the page to be listed again.
 */
async function legsOf(ctx: ListingContext, calls: readonly CallRecordV2[]): Promise<({ legs: RecordingLeg[] } | { refused: CccError })[]> {
  const answers = await Promise.all(
    calls.map((call) =>
      withApiRetry(ctx.api, (signal) => listMonoRecordings(ctx.rpc, ctx.instanceId, call.contactId, { signal }), ctx.signal).then(
        (legs) => ({ legs }),
        (error: unknown) => ({ error }),
      ),
    ),
  )
  return answers.map((answer) => {
    if (!('error' in answer)) return answer
    const refused = refusedAlone(answer.error, ctx.signal)
    if (!refused) throw answer.error
    return { refused }
  })
}

/** Contact IDs through GetCallDetailRecord; a refused contact is noted before the found calls' rows. */
function listContactsV2(ctx: ListingContext): Promise<void> {
  return walkContacts<CallRecordV2>(ctx, {
    action: 'GetCallDetailRecord',
    width: LOOKUPS_AT_ONCE,
    lookup: (id, signal) => getCallRecordV2(ctx.rpc, ctx.instanceId, id, { signal }),
    async take(settled, found) {
      const calls: CallRecordV2[] = []
      for (const contact of settled) {
        if ('refused' in contact) found.refusedRow(contactNote(contact.id), contact.error, contact.refused)
        else {
          calls.push(contact.value)
          // A lookup that failed before and answers now: its failed row goes.
          found.replaces(contactNote(contact.id))
        }
      }
      await recordingsOf(ctx, calls, found)
    },
  })
}
