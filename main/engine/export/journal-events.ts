import type { ApiVersion, RecordingKind } from '../../common/api-version.ts'
import type { ErrorData } from '../../common/errors.ts'
import type { ExportOptions } from '../../common/export-options.ts'
import type { CallFilter } from '../calls/filters.ts'

export type { ExportOptions, Layout } from '../../common/export-options.ts'

/**
 * The journal's events (architecture.md, "Journal (contract)"): one JSON object a line in
 * `<out>/.ccc-recordings/journal.jsonl`. Plain data, so other tools can read an export's history.
 */


/**
 * The API generation an export speaks (issue 14): absent in journals from before 2.0, which are
 * 1.0. `recording` is the 2.0 recording kind (mono when absent).
 */
export interface SourceApi {
  readonly api?: ApiVersion
  readonly recording?: RecordingKind
}

export type SourceInfo = SourceApi &
  (
  | { readonly kind: 'names'; readonly file?: string }
  | { readonly kind: 'contacts'; readonly file?: string; readonly filter?: CallFilter }
  | {
      readonly kind: 'range'
      readonly from: string
      readonly to: string
      readonly phone?: string
      readonly contactType?: string
      readonly disposition?: string
      /** What the API cannot filter (agent, skill group, durations), applied to the listed calls. */
      readonly filter?: CallFilter
    }
  )

export interface ExportHeaderEvent {
  readonly type: 'export'
  readonly version: 1
  readonly id: string
  readonly createdAt: string
  readonly instanceId: string
  readonly region?: string
  readonly endpoint?: string
  readonly profile?: string
  readonly source: SourceInfo
  readonly options: ExportOptions
}

/** Names are added in batches: a million one-name lines would make replay slow for nothing. */
export interface AddEvent {
  readonly type: 'add'
  readonly names: readonly string[]
  /** CCC start times (ms) where a listing gave them, for the by-date layout; null where unknown. */
  readonly startTimes?: readonly (number | null)[]
  /**
   * Where a naming template puts each file (relative, `/` between folders), before the namer makes
   * it unique; null where the layout decides. Rendered once, from metadata a resume does not hold.
   */
  readonly paths?: readonly (string | null)[]
}

export interface DoneEvent {
  readonly type: 'done'
  readonly name: string
  readonly bytes: number
  readonly crc64?: string
  /** Relative to the output folder, with `/` separators. */
  readonly path: string
  readonly attempts?: number
  /** What proved the file when not OSS's CRC-64: 'md5', or 'length' (no checksum came; issue 17). */
  readonly by?: string
}

export interface FailEvent {
  readonly type: 'fail'
  readonly name: string
  readonly code: string
  readonly message: string
  readonly status?: number
  readonly requestId?: string
  readonly attempts: number
}

export interface SkipEvent {
  readonly type: 'skip'
  readonly name: string
  readonly reason: string
}

/**
 * Skipped rows that stand for nothing any more: a call's placeholder (`call/<contactId>`, its
 * recording not ready yet, or none) once a listing found the call's recording. They leave the
 * table, its counts and report.csv. Builds older than this event ignore it and keep the rows.
 */
export interface DropEvent {
  readonly type: 'drop'
  readonly names: readonly string[]
}

/** "Retry this group": failed files go back to the queue. */
export interface RetryEvent {
  readonly type: 'retry'
  readonly names: readonly string[]
}

/**
 * Files the journal called done that were not on disk as journalled when the export was opened:
 * `missing` (gone, or not a regular file) or `changed` (another size). They go back to the queue
 * and are downloaded again. Builds older than this event ignore it (and trust the old `done`).
 */
export interface RecheckEvent {
  readonly type: 'recheck'
  readonly names: readonly string[]
  readonly reason: 'missing' | 'changed'
}

/**
 * Files found in archive storage, whose restore was asked for (RestoreArchivedRecordings, issue 14
 * item 4): `restoring` until a later `done`, `fail` or `skip` line. A resume asks for their restore
 * again (the call is idempotent) before downloading them. Builds older than this event ignore it
 * and see the files as queued.
 */
export interface RestoreEvent {
  readonly type: 'restore'
  readonly names: readonly string[]
  readonly at?: string
}

export interface StateEvent {
  readonly type: 'state'
  readonly state: 'running' | 'paused' | 'finished' | 'stopped' | 'cancelled'
  readonly at: string
  readonly reason?: ErrorData
  /**
   * `paused` because the process running the export died (a crash, a kill, a power cut): written
   * by the next process to open the folder, in place of the `running` it found last.
   */
  readonly interrupted?: true
}

export interface OptionsEvent {
  readonly type: 'options'
  readonly options: ExportOptions
}

/**
 * A date range moved on to a later end (`ccc-recordings sync`): the header's source from here on.
 * Only the range's `to` may differ; builds older than this event ignore it and see the old range.
 */
export interface SourceEvent {
  readonly type: 'source'
  readonly source: SourceInfo
}

/** The contact IDs of a `contacts` export, in batches, in the order they are listed. */
export interface ContactsEvent {
  readonly type: 'contacts'
  readonly ids: readonly string[]
}

/**
 * Where a listing goes on: the index of the next contact ID, or the next page of the 7-day window
 * that starts at `at` (epoch ms; the window's end follows from the source's range).
 */
/**
 * `until`: a 2.0 window's end (exclusive), narrowed until the window holds at most 10,000 calls.
 * `again`: the contacts before it were listed already, and the same IDs were given again: of
 * those, only the ones whose call was not ready are looked up (contact-walk.ts). Builds older
 * than it look them all up again.
 */
export type ListingCursor = { readonly contact: number; readonly again?: number } | { readonly at: number; readonly page: number; readonly until?: number }

/**
 * One listing step, written after the `add` (and `skip`) lines of what it found and made durable
 * before the next request, so a killed export resumes at `next` instead of listing again from the
 * start. Counts are cumulative: pages (or contacts) answered, recordings found, and contacts or
 * calls that had no recording (each of those is also a skipped row, see listing.ts).
 */
export interface ListedEvent {
  readonly type: 'listed'
  readonly next: ListingCursor
  readonly pages: number
  readonly found: number
  readonly unrecorded: number
}

export type JournalEvent =
  | ExportHeaderEvent
  | AddEvent
  | DoneEvent
  | FailEvent
  | SkipEvent
  | DropEvent
  | RetryEvent
  | RecheckEvent
  | RestoreEvent
  | StateEvent
  | OptionsEvent
  | SourceEvent
  | ContactsEvent
  | ListedEvent

export function failEvent(name: string, error: ErrorData, attempts: number): FailEvent {
  return {
    type: 'fail',
    name,
    code: error.code,
    message: error.message,
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
    attempts,
  }
}
