import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { CccError } from '../../common/errors.ts'
import type { ExportOptions } from '../../common/export-options.ts'
import type { CallFilter } from '../calls/filters.ts'
import type { Connection } from '../export/exports.ts'
import { STATE_DIR } from '../export/journal.ts'
import { replaceFile } from '../atomic-file.ts'

export const SYNC_FILE = 'sync.json'
export const SYNC_LAST_FILE = 'sync-last.json'

/** A late RecordingReady: a call can reach CCC's records this long after it started. */
export const DEFAULT_OVERLAP_MS = 2 * 60 * 60 * 1000
/** Calls this recent may still be in progress: a window ends this long before now. */
export const DEFAULT_MARGIN_MS = 15 * 60 * 1000
export const DEFAULT_SINCE_DAYS = 7

/** The range's own filters (what the API filters), as a range source carries them. */
export interface SyncFilters {
  readonly phone?: string
  readonly contactType?: string
  readonly disposition?: string
  readonly filter?: CallFilter
}

/**
 * What an archive folder remembers of its sync (`<dir>/.ccc-recordings/sync.json`): where from,
 * what, how files are named, and the mark: the end of the last window whose listing completed.
 * No secret: the profile's is in the keychain.
 */
export interface SyncSettings {
  readonly version: 1
  readonly connection: Connection
  readonly filters: SyncFilters
  readonly options: Partial<ExportOptions>
  /** The first window's start (ISO). */
  readonly since: string
  /** The end (ISO) of the last window listed completely; null before the first. */
  readonly mark: string | null
  readonly overlapMs: number
  readonly marginMs: number
  /** CCC's retention as the user stated it (`--retention-days`): status warns before a window nears it. */
  readonly retentionDays?: number
  /** `--max-rate` as given: a rate or a timetable, applied to every run. */
  readonly maxRate?: string
}

/** What the last run did, for `status` and the app (`sync-last.json`). */
export interface SyncLast {
  readonly at: string
  readonly window: { readonly from: string; readonly to: string }
  readonly exitCode: number
  readonly state: string
  /** True when the window's listing completed and the mark moved to its end. */
  readonly markAdvanced: boolean
  readonly mark: string | null
  readonly counts: { readonly total: number; readonly done: number; readonly failed: number; readonly skipped: number }
}

export const syncPath = (dir: string): string => join(dir, STATE_DIR, SYNC_FILE)
export const syncLastPath = (dir: string): string => join(dir, STATE_DIR, SYNC_LAST_FILE)

/** The folder's sync settings; undefined when it has none. A damaged file is an error, not a first run. */
export async function readSyncSettings(dir: string): Promise<SyncSettings | undefined> {
  const text = await readJson(syncPath(dir))
  if (text === undefined) return undefined
  const s = text as Partial<SyncSettings>
  const valid =
    s.version === 1 &&
    typeof s.connection?.instanceId === 'string' &&
    typeof s.since === 'string' &&
    !Number.isNaN(Date.parse(s.since)) &&
    (s.mark === null || (typeof s.mark === 'string' && !Number.isNaN(Date.parse(s.mark)))) &&
    typeof s.overlapMs === 'number' &&
    typeof s.marginMs === 'number' &&
    typeof s.filters === 'object' &&
    typeof s.options === 'object'
  if (!valid) throw unusable(`${syncPath(dir)} is not valid sync settings; fix or delete it (the export itself is kept)`)
  return s as SyncSettings
}

export async function writeSyncSettings(dir: string, settings: SyncSettings): Promise<void> {
  await mkdir(join(dir, STATE_DIR), { recursive: true })
  await replaceFile(syncPath(dir), [`${JSON.stringify(settings, null, 2)}\n`])
}

export async function readSyncLast(dir: string): Promise<SyncLast | undefined> {
  return (await readJson(syncLastPath(dir))) as SyncLast | undefined
}

export async function writeSyncLast(dir: string, last: SyncLast): Promise<void> {
  await mkdir(join(dir, STATE_DIR), { recursive: true })
  await replaceFile(syncLastPath(dir), [`${JSON.stringify(last, null, 2)}\n`])
}

async function readJson(file: string): Promise<unknown> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw e
  }
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw unusable(`${file} is not valid JSON; fix or delete it`)
  }
}

/** A damaged settings file is the folder's problem, found before anything runs (exit 2 in the CLI). */
function unusable(message: string): CccError {
  return new CccError({ code: 'Export.Conflict', message })
}
