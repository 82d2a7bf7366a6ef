import type { ErrorData } from '../../common/errors.ts'
import { emptyCounts, type FailureGroup } from '../../common/progress.ts'
import { isListingRow } from './listing-rows.ts'
import { FILTERED } from '../calls/filters.ts'
import type { FileEntry } from './file-columns.ts'

/**
 * What an export table counts, kept up to date as rows come, go and change state, so progress
 * costs the same for ten files or a million: the rows in each state, the failures by code, the
 * bytes verified and in `.part` files, and the skipped rows a listing's counts are made of. A row
 * leaves its tally before it changes and enters the new one after, whatever the change.
 */
export class TableTallies {
  readonly counts = emptyCounts()
  private readonly failureGroups = new Map<string, { count: number; sample: string }>()
  private doneBytes = 0
  private partBytes = 0
  /** Skipped rows of calls or contacts without a recording (`call/<id>`, `contact/<id>`: no recording's name holds a `/`). */
  private placeholderRows = 0
  /** Skipped rows a filter left out. */
  private leftOutRows = 0
  /** Failed rows of calls or contacts whose lookup failed: no recordings found either. */
  private refusedRows = 0

  constructor(private readonly nameAt: (index: number) => string) {}

  get bytes(): number {
    return this.doneBytes + this.partBytes
  }

  /**
   * What a listing found, from the rows themselves: its recordings (those a filter left out
   * aside), and the calls or contacts without one. The journal's own counts add up what each
   * step found, so overlapping windows, a relist, or a journal older builds wrote count some twice.
   */
  get listed(): { readonly found: number; readonly unrecorded: number; readonly leftOut: number } {
    return { found: this.counts.total - this.placeholderRows - this.leftOutRows - this.refusedRows, unrecorded: this.placeholderRows, leftOut: this.leftOutRows }
  }

  failures(): FailureGroup[] {
    return [...this.failureGroups]
      .map(([code, g]) => ({ code, count: g.count, sample: g.sample }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
  }

  /** A new row (or a dropped one back), queued. */
  added(): void {
    this.counts.queued++
    this.counts.total++
  }

  /** A row gone from the table, after it left its state's tally. */
  removed(): void {
    this.counts.total--
  }

  /** Bytes that reached a `.part` file, or left it. */
  partBytesChanged(delta: number): void {
    this.partBytes += delta
  }

  /** The row as it is now, counted. */
  enter(entry: FileEntry): void {
    this.count(entry, 1)
  }

  /** The row as it is now, no longer counted: before it changes. */
  leave(entry: FileEntry): void {
    this.count(entry, -1)
  }

  // Once per state change, a million times in a replay: the entry is a view on columns, read once.
  private count(entry: FileEntry, by: 1 | -1): void {
    const state = entry.state
    this.counts[state] += by
    if (state === 'done') {
      const bytes = by * entry.bytes
      this.doneBytes += bytes
      this.partBytes -= bytes
    } else if (state === 'failed') {
      const error = entry.error
      if (error) this.countFailure(error, by)
      if (isListingRow(this.nameAt(entry.index))) this.refusedRows += by
    } else if (state === 'skipped') {
      // A call's row the filter left out (not ready yet, and not the agent asked for) is the filter's, not a call without a recording.
      if (isLeftOut(entry)) this.leftOutRows += by
      else if (this.nameAt(entry.index).includes('/')) this.placeholderRows += by
    }
  }

  private countFailure(error: ErrorData, by: 1 | -1): void {
    const group = this.failureGroups.get(error.code)
    if (by < 0) {
      if (group && --group.count === 0) this.failureGroups.delete(error.code)
    } else if (group) group.count++
    else this.failureGroups.set(error.code, { count: 1, sample: error.message })
  }
}

/** Skipped because a filter left it out (not a call without a recording, which stays skipped). */
export function isLeftOut(entry: FileEntry): boolean {
  return entry.state === 'skipped' && entry.error?.message.startsWith(FILTERED) === true
}
