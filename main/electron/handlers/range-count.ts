import type { RangeCount } from '../../common/api.ts'
import { BYTES_PER_SECOND } from '../../engine/calls/dry-run.ts'
import { listCallDetailRecords, MAX_RANGE_MS } from '../../engine/ccc/list-call-details.ts'
import type { RpcCaller } from '../../engine/ccc/list-shape.ts'
import type { SourceInfo } from '../../engine/export/journal-events.ts'
import { callFilters } from '../../engine/export/range-walk.ts'
import { listCallRecordsV2 } from '../../engine/ccc/v2/call-records.ts'

/** Windows counted before Start: a quarter's worth of requests, not a year's. */
export const COUNTED_WINDOWS = 14

/**
 * How many calls a date range holds, before anything starts (issue 13 item 6): page 1 of each
 * 7-day window carries TotalCount, so a month costs five small requests. The bytes are estimated
 * from the durations page 1 gave, as the dry run does. A range of more windows is not counted.
 */
export async function countRange(rpc: RpcCaller, instanceId: string, source: SourceInfo): Promise<RangeCount> {
  if (source.kind !== 'range') return { calls: null, estimatedBytes: null }
  const from = Date.parse(source.from)
  const to = Date.parse(source.to)
  if (Math.ceil((to - from) / MAX_RANGE_MS) > COUNTED_WINDOWS) return { calls: null, estimatedBytes: null }
  let calls = 0
  let seconds = 0
  let sampled = 0
  for (let at = from; at < to; at += MAX_RANGE_MS) {
    const page = await listCallDetailRecords(rpc, instanceId, {
      startTime: at,
      stopTime: Math.min(at + MAX_RANGE_MS, to),
      pageNumber: 1,
      pageSize: 100,
      ...callFilters(source),
    })
    const recorded = page.records.filter((r) => r.recordings.length > 0)
    calls += page.totalCount ?? page.records.length
    for (const r of recorded) if (r.duration !== null) (seconds += r.duration), sampled++
  }
  // The sampled calls' mean duration, for all of them: an estimate, said as one.
  return { calls, estimatedBytes: sampled > 0 ? Math.round((seconds / sampled) * calls * BYTES_PER_SECOND) : null }
}

/**
 * The same for a CCC 2.0 profile (issue 14): 2020-07-01's ListCallDetailRecords documents no
 * 7-day bound, so one page of the whole range carries its TotalCount; the bytes from the
 * recording durations of that page's calls.
 */
export async function countRangeV2(rpc: RpcCaller, instanceId: string, source: SourceInfo): Promise<RangeCount> {
  if (source.kind !== 'range') return { calls: null, estimatedBytes: null }
  const page = await listCallRecordsV2(rpc, instanceId, {
    startTime: Date.parse(source.from),
    endTime: Date.parse(source.to),
    pageNumber: 1,
    pageSize: 100,
    ...callFilters(source),
  })
  const calls = page.totalCount ?? page.records.length
  const durations = page.records.map((r) => r.recordingDuration ?? 0).filter((d) => d > 0)
  const mean = durations.length > 0 ? durations.reduce((a, b) => a + b, 0) / durations.length : null
  return { calls, estimatedBytes: mean === null ? null : Math.round(mean * calls * BYTES_PER_SECOND) }
}
