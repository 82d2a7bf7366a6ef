import type { RangeCount } from '../../common/api.ts'
import type { ExportOptions } from '../../common/export-options.ts'
import { callFromDetail, type RecordingMeta } from '../../engine/calls/call.ts'
import { BYTES_PER_SECOND, listInMemory, planNames } from '../../engine/calls/dry-run.ts'
import { type CallFilter, removedBy } from '../../engine/calls/filters.ts'
import { callMetaV2 } from '../../engine/ccc/v2/meta.ts'
import { listCallDetailRecords, MAX_RANGE_MS } from '../../engine/ccc/list-call-details.ts'
import type { RpcCaller } from '../../engine/ccc/list-shape.ts'
import type { SourceInfo } from '../../engine/export/journal-events.ts'
import { callFilters } from '../../engine/export/range-walk.ts'
import { listCallRecordsV2 } from '../../engine/ccc/v2/call-records.ts'

type Counted = Omit<RangeCount, 'sample'>

const UNCOUNTED: Counted = { calls: null, estimatedBytes: null }

/** Windows counted before Start: a quarter's worth of requests, not a year's. */
export const COUNTED_WINDOWS = 14

/**
 * How many calls a date range holds, before anything starts (issue 13 item 6): page 1 of each
 * 7-day window carries TotalCount, so a month costs five small requests. The bytes are estimated
 * from the durations page 1 gave, as the dry run does. A range of more windows is not counted.
 */
export async function countRange(rpc: RpcCaller, instanceId: string, source: SourceInfo): Promise<Counted> {
  if (source.kind !== 'range') return UNCOUNTED
  const from = Date.parse(source.from)
  const to = Date.parse(source.to)
  if (Math.ceil((to - from) / MAX_RANGE_MS) > COUNTED_WINDOWS) return UNCOUNTED
  let calls = 0
  let bytes = 0
  let sampled = false
  for (let at = from; at < to; at += MAX_RANGE_MS) {
    const page = await listCallDetailRecords(rpc, instanceId, {
      startTime: at,
      stopTime: Math.min(at + MAX_RANGE_MS, to),
      pageNumber: 1,
      pageSize: 100,
      ...callFilters(source),
    })
    const total = page.totalCount ?? page.records.length
    calls += total
    // The recordings the filter keeps among page 1's calls, scaled to all the window's calls.
    const metas = page.records.flatMap((r) => callFromDetail(r).recordings.map((rec) => rec.meta))
    const seconds = keptSeconds(metas, source.filter)
    if (seconds !== null && page.records.length > 0) {
      bytes += (seconds / page.records.length) * total * BYTES_PER_SECOND
      sampled = true
    }
  }
  return { calls, estimatedBytes: sampled ? Math.round(bytes) : null }
}

/**
 * The same for a CCC 2.0 profile (issue 14): 2020-07-01's ListCallDetailRecords documents no
 * 7-day bound, so one page of the whole range carries its TotalCount; the bytes from the
 * recording durations of that page's calls.
 */
export async function countRangeV2(rpc: RpcCaller, instanceId: string, source: SourceInfo): Promise<Counted> {
  if (source.kind !== 'range') return UNCOUNTED
  const page = await listCallRecordsV2(rpc, instanceId, {
    startTime: Date.parse(source.from),
    endTime: Date.parse(source.to),
    pageNumber: 1,
    pageSize: 100,
    ...callFilters(source),
  })
  const calls = page.totalCount ?? page.records.length
  const seconds = keptSeconds(
    page.records.filter((r) => (r.recordingDuration ?? 0) > 0).map((r) => ({ ...callMetaV2(r), duration: r.recordingDuration ?? undefined })),
    source.filter,
  )
  return { calls, estimatedBytes: seconds === null || page.records.length === 0 ? null : Math.round((seconds / page.records.length) * calls * BYTES_PER_SECOND) }
}

/**
 * Seconds of the recordings `filter` keeps: 0 when it keeps none (nothing to download is an
 * estimate too), null when some are kept but none says how long it is.
 */
function keptSeconds(metas: readonly RecordingMeta[], filter: CallFilter | undefined): number | null {
  let seconds = 0
  let kept = 0
  let timed = 0
  for (const meta of metas) {
    if (filter && removedBy(meta, filter) !== undefined) continue
    kept++
    const d = meta.duration ?? meta.callDuration
    if (d === undefined) continue
    seconds += d
    timed++
  }
  return kept > 0 && timed === 0 ? null : seconds
}

/** How many local names the preview of a range shows. */
export const RANGE_NAMES_PREVIEWED = 5

/** Pages a preview lists at most for them: a filter that keeps few calls shows fewer names, not a wait. */
const SAMPLED_PAGES = 3

/**
 * The first recordings of a range as the export would list and name them: the real listing of
 * either generation (the filter applied as it applies it), stopped once it has enough.
 */
export async function sampleRange(rpc: RpcCaller, instanceId: string, source: SourceInfo, options: ExportOptions, signal?: AbortSignal): Promise<string[]> {
  if (source.kind !== 'range') return []
  const listed = await listInMemory(source, [], rpc, instanceId, { limit: RANGE_NAMES_PREVIEWED, maxPages: SAMPLED_PAGES, ...(signal ? { signal } : {}) })
  return planNames(options, listed).recordings.map((r) => r.localPath || r.fileName)
}
