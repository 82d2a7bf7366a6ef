import type { RangeSource } from '../import/sources.ts'
import type { ListingCursor } from './journal-events.ts'
import { Found, type ListingContext, Steps } from './listing-step.ts'

/**
 * A date range walked window by window, page by page, for either API generation: each page's
 * recordings go to the export and its cursor to the journal before the next request, so a killed
 * export resumes at the page it was on. How a page is asked for and when a window ends is the
 * generation's; so is what a call's recordings are.
 */

export type RangeCursor = Extract<ListingCursor, { at: number }>

export interface RangePage<Call> {
  readonly records: readonly Call[]
  /** The end (exclusive) of the window the page is of. */
  readonly stop: number
  /** Where the walk goes on: the window's next page, or the next window. */
  readonly next: RangeCursor
}

/** The calls of one page that are in its window, and how many were not. */
export interface InWindow<Call> {
  readonly calls: readonly Call[]
  readonly at: number
  readonly stop: number
  readonly outside: number
}

export interface RangePages<Call> {
  page(cursor: RangeCursor, to: number): Promise<RangePage<Call>>
  take(page: InWindow<Call>, found: Found): Promise<void> | void
}

/** The source's call filters, as both generations' queries name them. */
export function callFilters(source: RangeSource): { phoneNumber?: string; contactType?: string; contactDisposition?: string } {
  return {
    ...(source.phone ? { phoneNumber: source.phone } : {}),
    ...(source.contactType ? { contactType: source.contactType } : {}),
    ...(source.disposition ? { contactDisposition: source.disposition } : {}),
  }
}

export async function walkRange<Call extends { readonly startTime: number | null }>(ctx: ListingContext, source: RangeSource, pages: RangePages<Call>): Promise<void> {
  const to = Date.parse(source.to)
  const saved = ctx.state.next
  let cursor: RangeCursor = saved && 'at' in saved ? saved : { at: Date.parse(source.from), page: 1 }
  const steps = new Steps(ctx)
  while (cursor.at < to) {
    const { at } = cursor
    const { records, stop, next } = await pages.page(cursor, to)
    // The server filters by time already; a call it returns from outside the window (a boundary
    // counted on both sides, a clock in another zone) would otherwise land in the export twice
    // or unasked for. The window's end is exclusive, as the range's is.
    const calls = records.filter((c) => c.startTime === null || (c.startTime >= at && c.startTime < stop))
    const found = new Found(ctx)
    await pages.take({ calls, at, stop, outside: records.length - calls.length }, found)
    await steps.commit(next, 1, found)
    cursor = next
  }
}
