import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { CccError } from '../../common/errors.ts'
import type { ExportOptions } from '../../common/export-options.ts'
import type { CallFilter } from '../calls/filters.ts'
import type { Connection } from '../export/exports.ts'
import type { SourceApi } from '../export/journal-events.ts'
import { STATE_DIR } from '../export/journal.ts'
import { usableFolder } from '../export/output-folder.ts'
import { replaceFile } from '../atomic-file.ts'

export const SYNC_FILE = 'sync.json'
export const SYNC_LAST_FILE = 'sync-last.json'

/** A late RecordingReady: a call can reach CCC's records this long after it started. */
export const DEFAULT_OVERLAP_MS = 2 * 60 * 60 * 1000
/** Calls this recent may still be in progress: a window ends this long before now. */
export const DEFAULT_MARGIN_MS = 15 * 60 * 1000
export const DEFAULT_SINCE_DAYS = 7

/**
 * The range's own filters (what the API filters), as a range source carries them, with the API
 * generation it is listed with (absent: CCC 1.0, as in a journal).
 */
export interface SyncFilters extends SourceApi {
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
  /** Of `counts.failed`, those that failed in this run; the rest an earlier run reported (sync-run.ts, failedEarlier). */
  readonly failedThisRun: number
}

export const syncPath = (dir: string): string => join(dir, STATE_DIR, SYNC_FILE)
export const syncLastPath = (dir: string): string => join(dir, STATE_DIR, SYNC_LAST_FILE)

/**
 * A sync.json that is there but cannot be used: which file, and what is wrong with it. `sync`
 * refuses it (exit 2); `status` names it and still shows the export, which does not depend on it.
 */
export class SyncSettingsError extends CccError {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    // A damaged settings file is the folder's problem, found before anything runs (exit 2 in the CLI).
    super({ code: 'Export.Conflict', message: `${file} ${problem}; fix or delete it (the export itself is kept)` })
    this.name = 'SyncSettingsError'
  }
}

/** The folder's sync settings; undefined when it has none. A damaged file is an error, not a first run. */
export async function readSyncSettings(dir: string): Promise<SyncSettings | undefined> {
  const file = syncPath(dir)
  const text = await readText(dir, file)
  if (text === undefined) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (e) {
    throw new SyncSettingsError(file, `is not valid JSON (${(e as Error).message})`)
  }
  const wrong = settingsProblem(parsed)
  if (wrong) throw new SyncSettingsError(file, `is not valid sync settings (${wrong})`)
  return parsed as SyncSettings
}

const isTime = (v: unknown): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v))
const isSpan = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0

/**
 * A mark later than now: a run ended while the computer's clock was ahead, or the file was edited.
 * Each run would list the same hours before it, and call the archive complete up to a time that
 * has not come: refused, naming the field, as a damaged file is.
 */
export function checkMark(dir: string, settings: SyncSettings, now: number): void {
  if (settings.mark === null || !(Date.parse(settings.mark) > now)) return
  throw new SyncSettingsError(
    syncPath(dir),
    `has "mark" ${settings.mark}, later than now (${new Date(now).toISOString()}): a run ended while this computer's clock was ahead, or the file was edited. Set "mark" to the last time you know is archived, or to null to list again from "since"`,
  )
}

/** The first field a hand edit got wrong, so the user knows where to look; undefined when none is. */
function settingsProblem(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'not a JSON object'
  const s = v as Partial<Record<keyof SyncSettings, unknown>>
  const connection = s.connection as Partial<Record<string, unknown>> | null | undefined
  const checks: [boolean, string][] = [
    [s.version === 1, '"version" is not 1'],
    [typeof connection === 'object' && connection !== null, '"connection" is not an object'],
    [typeof connection?.instanceId === 'string' && connection.instanceId.trim() !== '', '"connection.instanceId" is missing or empty'],
    ...(['region', 'endpoint', 'profile'] as const).map((k): [boolean, string] => [connection?.[k] === undefined || typeof connection[k] === 'string', `"connection.${k}" is not a string`]),
    [isTime(s.since), '"since" is not an ISO time'],
    [s.mark === null || isTime(s.mark), '"mark" is neither null nor an ISO time'],
    [isSpan(s.overlapMs), '"overlapMs" is not a number of milliseconds, 0 or more'],
    [isSpan(s.marginMs), '"marginMs" is not a number of milliseconds, 0 or more'],
    [s.retentionDays === undefined || (Number.isInteger(s.retentionDays) && (s.retentionDays as number) >= 1), '"retentionDays" is not a whole number of days, 1 or more'],
    [typeof s.filters === 'object' && s.filters !== null, '"filters" is not an object'],
    [typeof s.options === 'object' && s.options !== null, '"options" is not an object'],
  ]
  return checks.find(([ok]) => !ok)?.[1]
}

export async function writeSyncSettings(dir: string, settings: SyncSettings): Promise<void> {
  await mkdir(join(dir, STATE_DIR), { recursive: true })
  await replaceFile(syncPath(dir), [`${JSON.stringify(settings, null, 2)}\n`])
}

/**
 * The last run's record; undefined when there is none or it is damaged: it only informs `status`
 * and the app, and the next run writes it afresh, so a bad one must not stop either.
 */
export async function readSyncLast(dir: string): Promise<SyncLast | undefined> {
  const text = await readText(dir, syncLastPath(dir))
  if (text === undefined) return undefined
  let last: unknown
  try {
    last = JSON.parse(text)
  } catch {
    return undefined
  }
  if (!isSyncLast(last)) return undefined
  // A record without the skipped count (written by hand or by a tool) is otherwise whole: none skipped.
  // One from before failedThisRun counted every failure as the night's, as its exit code did.
  return { ...last, counts: { ...last.counts, skipped: last.counts.skipped ?? 0 }, failedThisRun: last.failedThisRun ?? last.counts.failed }
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

/** A record as a run writes it, but that `skipped` may be missing from one written by hand, and `failedThisRun` from an older build's. */
type StoredLast = Omit<SyncLast, 'counts' | 'failedThisRun'> & { readonly counts: Omit<SyncLast['counts'], 'skipped'> & { readonly skipped?: number }; readonly failedThisRun?: number }

function isSyncLast(v: unknown): v is StoredLast {
  if (typeof v !== 'object' || v === null) return false
  const l = v as Partial<Record<keyof SyncLast, unknown>>
  const w = l.window as Partial<Record<'from' | 'to', unknown>> | null | undefined
  const c = l.counts as Partial<Record<keyof SyncLast['counts'], unknown>> | null | undefined
  return (
    isTime(l.at) &&
    typeof w === 'object' && w !== null && isTime(w.from) && isTime(w.to) &&
    isCount(l.exitCode) &&
    typeof l.state === 'string' &&
    typeof l.markAdvanced === 'boolean' &&
    (l.mark === null || isTime(l.mark)) &&
    typeof c === 'object' && c !== null && isCount(c.total) && isCount(c.done) && isCount(c.failed) && (c.skipped === undefined || isCount(c.skipped)) &&
    (l.failedThisRun === undefined || isCount(l.failedThisRun))
  )
}

export async function writeSyncLast(dir: string, last: SyncLast): Promise<void> {
  await mkdir(join(dir, STATE_DIR), { recursive: true })
  await replaceFile(syncLastPath(dir), [`${JSON.stringify(last, null, 2)}\n`])
}

/** Undefined when absent. A folder that cannot be one (a file, no permission) is bad input, told as `download --out` tells it. */
function readText(dir: string, file: string): Promise<string | undefined> {
  return usableFolder(dir, () =>
    readFile(file, 'utf8').catch((e: unknown) => {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw e
    }),
  )
}
