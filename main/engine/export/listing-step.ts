import type { RecordingMeta } from '../calls/call.ts'
import { filterReason, removedBy } from '../calls/filters.ts'
import type { RpcCaller } from '../ccc/list-recordings.ts'
import type { Logger } from '../log.ts'
import type { ApiPolicy } from './api-retry.ts'
import type { ListedEvent, ListingCursor, SourceInfo } from './journal-events.ts'
import type { ListingState } from './listing-state.ts'

/** What a listing (either API generation) needs of the export it runs in. */
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

/** What one listing step found: handed to the export in one go, with the step's cursor. */
export class Found {
  readonly names: string[] = []
  readonly starts: (number | null)[] = []
  readonly metas: RecordingMeta[] = []
  unrecorded = 0

  constructor(private readonly ctx: ListingContext) {}

  /** A recording, unless the source's filter leaves it out: then a skipped row saying which filter, so the report counts it. */
  keep(name: string, meta: RecordingMeta, start: number | null): void {
    const filter = this.ctx.source.kind === 'names' ? undefined : this.ctx.source.filter
    const by = filter ? removedBy(meta, filter) : undefined
    if (by !== undefined) {
      this.ctx.note(name, filterReason(by))
      return
    }
    this.names.push(name)
    this.starts.push(start)
    this.metas.push(meta)
  }

  /** A call or contact without a recording: not dropped but a skipped row, so every count shows it. */
  unrecordedRow(key: string, reason: string): void {
    this.ctx.note(key, reason)
    this.unrecorded++
  }
}

/** The journal's counts, cumulative from the journal's own, carried from step to step. */
export class Steps {
  private pages: number
  private found: number
  private unrecorded: number

  constructor(private readonly ctx: ListingContext) {
    this.pages = ctx.state.pages
    this.found = ctx.state.found
    this.unrecorded = ctx.state.unrecorded
  }

  /** Hands the step's names to the export, then journals the cursor past them, durable before the next request. */
  async commit(next: ListingCursor, pages: number, found: Found): Promise<void> {
    this.pages += pages
    this.found += found.names.length
    this.unrecorded += found.unrecorded
    if (found.names.length > 0) this.ctx.add(found.names, found.starts, found.metas)
    await this.ctx.commit({ type: 'listed', next, pages: this.pages, found: this.found, unrecorded: this.unrecorded })
  }
}
