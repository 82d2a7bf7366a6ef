/**
 * OSS's Range rules (ccc-api.md §5; OSS "如何通过HTTP Range请求分段获取OSS资源"): one range
 * `bytes=a-b`, `bytes=a-` or `bytes=-n`, inside 0..size-1, gets 206. Anything else (malformed,
 * several ranges, past the end) is ignored: 200 and the whole object, never 416, unless the
 * client sends `x-oss-range-behavior: standard`, which clamps the end and answers 416 for a
 * start past the end.
 */

export type RangePlan =
  | { readonly kind: 'whole' }
  | { readonly kind: 'partial'; readonly start: number; readonly end: number } // end inclusive
  | { readonly kind: 'unsatisfiable' } // 416, standard behaviour only

const WHOLE: RangePlan = { kind: 'whole' }
const SINGLE = /^bytes=(\d*)-(\d*)$/

export function planRange(header: string | undefined, size: number, standard = false): RangePlan {
  if (header === undefined) return WHOLE
  const m = SINGLE.exec(header.trim())
  if (!m || (m[1] === '' && m[2] === '')) return WHOLE
  const unsatisfiable: RangePlan = standard ? { kind: 'unsatisfiable' } : WHOLE
  if (m[1] === '') {
    // Suffix: the last n bytes.
    const n = Number(m[2])
    if (n === 0 || size === 0) return unsatisfiable
    if (n > size) return standard ? { kind: 'partial', start: 0, end: size - 1 } : WHOLE
    return { kind: 'partial', start: size - n, end: size - 1 }
  }
  const start = Number(m[1])
  if (start >= size) return unsatisfiable
  if (m[2] === '') return { kind: 'partial', start, end: size - 1 }
  const end = Number(m[2])
  if (end < start) return WHOLE
  if (end >= size) return standard ? { kind: 'partial', start, end: size - 1 } : WHOLE
  return { kind: 'partial', start, end }
}

/**
 * `If-Range` holds when it names the current validator: the strong ETag, or the exact
 * Last-Modified date. A weak ETag never matches.
 */
export function ifRangeHolds(ifRange: string | undefined, etag: string, lastModified: string): boolean {
  if (ifRange === undefined) return true
  const value = ifRange.trim()
  if (value.startsWith('"') || value.startsWith('W/')) return value === etag
  const date = Date.parse(value)
  return !Number.isNaN(date) && date === Date.parse(lastModified)
}
