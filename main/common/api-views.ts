/**
 * What the pages show of an export folder beyond its progress: a row of the file list, a
 * History entry's nightly sync, a folder's verify. Plain shapes the main side fills; api.ts
 * names the methods that return them.
 */
import type { ApiVersion } from './api-version.ts'
import type { ErrorData } from './errors.ts'
import type { ExportOrigin } from './export-name.ts'
import type { JobKind } from './job.ts'
import type { NameProblem } from './name-problems.ts'

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
  /** Files checked against the journal because the manifest, written at a pause or the end, did not list them yet (a crash). */
  readonly sinceManifest?: number
  /** The folder had no manifest yet (the export stopped before writing its first): every file was checked against the journal. */
  readonly noManifest?: true
  /** The export's own files it had not recorded as verified when it stopped (resume checks them). */
  readonly unrecorded?: number
  /** Recordings a stopped export has still to download: the folder is not the whole archive yet. */
  readonly toDo?: number
  /** A stopped export's listing had not reached its end: calls it has not seen are not in the folder either. */
  readonly listingUnfinished?: true
  readonly problems: readonly { readonly kind: 'missing' | 'changed' | 'unexpected' | 'unrecorded' | 'damaged'; readonly path: string }[]
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

/** What the renderer may know of a profile: never the secret, and the key ID masked. */
export interface ProfileSummary {
  readonly name: string
  readonly region: string
  readonly instanceId: string
  readonly accessKeyIdMasked: string
  readonly endpoint?: string
  readonly outputDir?: string
  readonly retentionDays?: number
  /** The instance's API generation, when the profile says (issue 14); absent means 1.0. */
  readonly apiVersion?: ApiVersion
  /** STS credentials: a security token is in the keychain beside the secret (never sent back). */
  readonly hasSecurityToken?: boolean
  readonly isDefault: boolean
}

export interface InvalidRow {
  readonly row: number
  readonly value: string
  readonly problem: NameProblem
}

export interface ImportPreview {
  /** Refers to the parsed list kept on the main side, so a million names cross IPC once. */
  readonly token: string
  readonly sourceName: string
  readonly rows: number
  readonly names: number
  readonly duplicates: number
  readonly blank: number
  /** The first invalid rows (a preview, not the whole list); `invalidCount` says how many there are. */
  readonly invalid: readonly InvalidRow[]
  readonly invalidCount: number
  readonly encoding?: string
  readonly column?: string
  readonly sample: readonly string[]
  /** What the list is, for a title in the page's language (the file, the range, a paste). */
  readonly origin?: ExportOrigin
  /** A file's first rows and the column read, for the picker; `ask` when no known header named it. */
  readonly columns?: ColumnPreview
  /**
   * A names list whose every name is `<contactId>.wav` or `.mkv`: a CCC 2.0 profile can use it as
   * it is (issue 14 item 2); any other names list is a 1.0 notion.
   */
  readonly contactNames?: boolean
}

export interface ColumnPreview {
  readonly rows: readonly (readonly string[])[]
  readonly index: number
  readonly header: boolean
  readonly ask: boolean
}

/**
 * A date range's calls before Start: from TotalCount, null when not counted (a long range); the
 * bytes estimated from the calls sampled, as the filter leaves them; and the first recordings'
 * local names as the template renders them (issue 13 item 6), none when the range has none.
 */
export interface RangeCount {
  readonly calls: number | null
  readonly estimatedBytes: number | null
  readonly sample: readonly string[]
}

export interface AppInfo {
  readonly version: string
  readonly platform: string
  /** The OS language, for `language: 'system'`. */
  readonly systemLocale: string
}
