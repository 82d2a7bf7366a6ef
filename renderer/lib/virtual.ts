/** Which rows of a fixed-row-height list are worth rendering: the visible ones plus a margin. */
export interface RowRange {
  readonly start: number
  /** Exclusive. */
  readonly end: number
}

export function visibleRange(scrollTop: number, viewportHeight: number, rowHeight: number, total: number, overscan: number): RowRange {
  if (total <= 0) return { start: 0, end: 0 }
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight)
  const last = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewportHeight)) / rowHeight)
  const start = Math.min(Math.max(0, first - overscan), total - 1)
  const end = Math.min(total, Math.max(start + 1, last + overscan))
  return { start, end }
}

/** The fetch windows that cover a range; at least the first one, so an empty list still learns its total. */
export function windowsFor(range: RowRange, windowSize: number): number[] {
  const first = Math.floor(range.start / windowSize)
  const last = Math.floor((Math.max(range.end, range.start + 1) - 1) / windowSize)
  const out: number[] = []
  for (let w = first; w <= last; w++) out.push(w)
  return out
}
