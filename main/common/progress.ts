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
}

export function emptyCounts(): Record<JobKind, number> & { total: number } {
  return { queued: 0, resolving: 0, downloading: 0, paused: 0, done: 0, failed: 0, skipped: 0, total: 0 }
}
