import { localStamp } from '../common/format.ts'
import { type RetentionWarning, retentionWarning, SYNC_WARN_DAYS } from '../common/retention.ts'
import { terminalSafe } from '../common/terminal-text.ts'
import { checkMark, readSyncLast, readSyncSettings, type SyncLast, SyncSettingsError } from '../engine/sync/sync-settings.ts'
import type { ExportTable } from '../engine/export/export-table.ts'
import { nextSyncWindow } from '../engine/sync/sync-run.ts'

export interface SyncStatus {
  readonly since: string
  readonly mark: string | null
  readonly next: { readonly from: string; readonly to: string }
  readonly last?: SyncLast
  /** Days until CCC's retention (as the user stated it) deletes the oldest call the next run lists; only when 2 or fewer. */
  readonly retentionWarning?: RetentionWarning
}

/**
 * A synced folder's mark, the window a run now would list, and the last run; undefined for a plain
 * export. With the export's rows, the window reaches back as the run's will, to a CCC 2.0 call
 * still not ready (sync-run.ts), and the retention warning judges that call.
 */
export async function readSyncStatus(dir: string, now: number, table?: ExportTable): Promise<SyncStatus | undefined> {
  const settings = await readSyncSettings(dir)
  if (!settings) return undefined
  checkMark(dir, settings, now)
  const w = nextSyncWindow(settings, now, table)
  const last = await readSyncLast(dir)
  const iso = (ms: number) => new Date(ms).toISOString()
  const warning = retentionWarning(w.from, settings.retentionDays, now, SYNC_WARN_DAYS)
  const warn = warning ? { retentionWarning: warning } : {}
  return { since: settings.since, mark: settings.mark, next: { from: iso(w.from), to: iso(w.to) }, ...(last ? { last } : {}), ...warn }
}

/** A sync.json that cannot be read: which file, and what is wrong with it. */
export interface SyncDamaged {
  readonly file: string
  readonly problem: string
}

/**
 * For `status`: a damaged sync.json is said, not thrown. The export's own state is in its journal,
 * and the moment a sync cannot run is when the user most needs to see it.
 */
export async function readSyncStatusOrDamage(dir: string, now: number, table?: ExportTable): Promise<{ readonly sync?: SyncStatus; readonly damaged?: SyncDamaged }> {
  try {
    const sync = await readSyncStatus(dir, now, table)
    return sync ? { sync } : {}
  } catch (e) {
    if (e instanceof SyncSettingsError) return { damaged: { file: e.file, problem: e.problem } }
    throw e
  }
}

export function syncDamagedLine(d: SyncDamaged): string {
  // The problem quotes the parser, which may quote the file: one field, made safe.
  return `Sync: damaged settings, ${terminalSafe(d.file)} ${terminalSafe(d.problem)}; sync will not run until it is fixed or deleted (the export itself is kept)`
}

export function syncLines(s: SyncStatus): string[] {
  // Local time, as the listing's line above it and the names are (--json keeps the ISO times).
  const lines = [
    `Sync: since ${localStamp(s.since)}; ${s.mark ? `complete up to ${localStamp(s.mark)}` : 'no window complete yet'}`,
    `Next sync lists ${localStamp(s.next.from)} to ${localStamp(s.next.to)} (the end moves on with the clock)`,
  ]
  const r = s.retentionWarning
  if (r) {
    lines.push(`WARNING: the oldest calls the next sync lists are ${r.daysLeft <= 0 ? 'past' : `${r.daysLeft} day${r.daysLeft === 1 ? '' : 's'} from`} CCC's ${r.retentionDays}-day retention: run sync now (ccc-recordings sync <dir>)`)
  }
  const l = s.last
  if (l) {
    const how = l.markAdvanced ? 'window complete' : 'window not complete: listed again next run'
    lines.push(`Last sync: ${localStamp(l.at)}, ${l.state}, exit ${l.exitCode}, ${how}; ${l.counts.done} verified, ${l.counts.failed} failed of ${l.counts.total}`)
  }
  return lines
}
