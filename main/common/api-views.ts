/**
 * What the pages show of an export folder beyond its progress: a row of the file list, a
 * History entry's nightly sync, a folder's verify. Plain shapes the main side fills; api.ts
 * names the methods that return them.
 */
import type { ErrorData } from './errors.ts'
import type { JobKind } from './job.ts'

/**
 * A History entry's nightly sync (issue 18): whether the folder can be kept in sync, whether the
 * OS job is installed, and what its sync.json and sync-last.json say.
 */
export interface SyncInfo {
  /** Why it cannot be scheduled (not a date range, no saved profile, no command line to run); absent when it can. */
  readonly unavailable?: 'notRange' | 'noProfile' | 'noCommandLine'
  /** The installed job: its local time (02:00) and the OS's kind of job. */
  readonly scheduled?: { readonly at: string; readonly kind: string }
  /** The end of the last complete window (ISO); null before the first; absent when the folder has no sync settings. */
  readonly mark?: string | null
  /** The window a run now would list. */
  readonly next?: { readonly from: string; readonly to: string }
  readonly last?: SyncLastResult
}

/** The last sync run of a folder (`.ccc-recordings/sync-last.json`). */
export interface SyncLastResult {
  readonly at: string
  readonly exitCode: number
  readonly state: string
  readonly markAdvanced: boolean
  readonly counts: { readonly total: number; readonly done: number; readonly failed: number; readonly skipped: number }
}

/** A folder's `verify`: counts, and the first problems to show. */
export interface VerifySummary {
  readonly ok: boolean
  readonly at: string
  readonly files: number
  readonly missing: number
  readonly changed: number
  readonly unexpected: number
  readonly problems: readonly { readonly kind: 'missing' | 'changed' | 'unexpected' | 'damaged'; readonly path: string }[]
}

export interface FileRow {
  readonly name: string
  readonly state: JobKind
  readonly bytes: number
  readonly error?: ErrorData
  readonly localPath?: string
  /** The call's columns, when `export:files` was asked for them and the export knows them. */
  readonly call?: FileCall
}

/** What the file list shows of a recording's call (issue 13 item 7), each where known. */
export interface FileCall {
  readonly agent?: string
  readonly caller?: string
  readonly callee?: string
  /** Epoch ms: the call's start, else the recording's. */
  readonly start?: number
  readonly contactId?: string
}
