import type { ErrorData } from './errors.ts'
import type { JobKind } from './job.ts'

/** The life of a whole export. `stopped` is an export-fatal error; `cancelled` is the user's. */
export type ExportState = 'idle' | 'listing' | 'running' | 'pausing' | 'paused' | 'finished' | 'stopped' | 'cancelled'

export interface FailureGroup {
  readonly code: string
  readonly count: number
  /** One example message, so the group can be explained without listing every file. */
  readonly sample: string
}

/** Pushed in batches, at most about ten a second, whatever the number of files. */
export interface ExportProgress {
  readonly id: string
  readonly state: ExportState
  readonly counts: Readonly<Record<JobKind, number>> & { readonly total: number }
  /** Bytes on disk for this export: verified files plus `.part` bytes. */
  readonly bytes: number
  readonly bytesPerSecond: number
  /** Null until there is a rate to extrapolate from. */
  readonly etaSeconds: number | null
  readonly failures: readonly FailureGroup[]
  /** Why the export paused or stopped (disk full, an export-fatal code), when it did. */
  readonly reason?: ErrorData
  readonly listing?: { readonly pages: number; readonly found: number }
  /** Present while every request fails at the network level: the export waits and probes, spending no file's attempts. */
  readonly network?: { readonly waitingSince: string; readonly nextProbeAt?: string; readonly lastFailure?: string }
}

/** What an export is, fixed when it starts: enough for a page to name it and open its folder. */
export interface ExportInfo {
  /** The output folder: one export per folder, so it is the export's identity too. */
  readonly id: string
  readonly outDir: string
  readonly createdAt: string
  readonly instanceId: string
  readonly profile?: string
  /** The source in words, e.g. "a list of file names" or "the calls from … to …". */
  readonly source: string
  /** Where report.csv is (re)written each time a run stops. */
  readonly reportPath?: string
}

/**
 * One export as the CLI's `status`, the app's History and its Queue all see it (export-status.ts
 * reads it). A journal left `running` by a process that is gone is `paused` with `interrupted`:
 * nothing is running it, and resuming it continues where it was.
 */
export interface ExportStatus extends ExportInfo {
  readonly state: ExportState
  readonly interrupted?: true
  /** Why the export paused or stopped, when it did. */
  readonly reason?: ErrorData
  readonly counts: Readonly<Record<JobKind, number>> & { readonly total: number }
  readonly bytes: number
  readonly failures: readonly FailureGroup[]
  /**
   * Files the journal called verified that were not on disk as journalled when last checked (on
   * open, or by this status read): gone, or of another size. They are downloaded again.
   */
  readonly recheck?: { readonly missing: number; readonly changed: number }
  /** The folder's last `verify` (SHA-256 of every file in the manifest), when there was one. */
  readonly lastVerified?: { readonly at: string; readonly ok: boolean; readonly files: number; readonly missing: number; readonly changed: number; readonly unexpected: number; readonly unrecorded?: number }
  /** Contacts and date-range exports: how the listing went. */
  readonly listing?: {
    /** What is listed: "<from> to <to>" or "<n> contact IDs". */
    readonly of: string
    readonly pages: number
    readonly found: number
    readonly unrecorded: number
    /** Recordings listed that the export's filters left out (report.csv names the filter of each). */
    readonly leftOut: number
    /** Every window or contact listed: no more recordings are coming (false: resume goes on listing). */
    readonly done: boolean
  }
}

/** Progress as pushed to the page: with the export it is about, so the page need not look it up. */
export interface ExportUpdate extends ExportProgress {
  readonly export: ExportInfo
}

export function emptyCounts(): Record<JobKind, number> & { total: number } {
  return { queued: 0, resolving: 0, downloading: 0, paused: 0, done: 0, failed: 0, skipped: 0, restoring: 0, total: 0 }
}
