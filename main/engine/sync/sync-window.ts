import { parseIsoTime } from '../import/sources.ts'
import { DEFAULT_SINCE_DAYS, type SyncSettings } from './sync-settings.ts'

const DAY = 24 * 60 * 60 * 1000

/** One run's listing: from (an overlap before the mark, never before `since`) to `to`, in epoch ms. */
export interface SyncWindow {
  readonly from: number
  readonly to: number
}

/**
 * The window a run at `now` lists. The first starts at `since`; each later one at the mark minus
 * the overlap, for calls whose RecordingReady came after the last run listed their time. It ends
 * `marginMs` before now, for calls still in progress, and never before the mark (a clock set back
 * must not shrink what was listed).
 */
export function nextWindow(s: Pick<SyncSettings, 'since' | 'mark' | 'overlapMs' | 'marginMs'>, now: number): SyncWindow {
  const since = Date.parse(s.since)
  const end = now - s.marginMs
  if (s.mark === null) return { from: since, to: Math.max(end, since) }
  const mark = Date.parse(s.mark)
  return { from: Math.max(since, mark - s.overlapMs), to: Math.max(end, mark) }
}

/**
 * `--since` read as `download --from` reads its start (a bare date or a time without a zone is
 * local time, and 2026-02-30 is no date), so the same words mean the same first call in both.
 * A start after now lists nothing: refused here rather than as an empty range later.
 */
export function parseSince(since: string, now: number): number {
  const t = parseIsoTime(since)
  if (t === undefined) throw new RangeError(`"${since}" is not an ISO 8601 time; write it like 2024-05-01 (local midnight) or 2024-05-01T00:00:00+08:00`)
  if (t >= now) throw new RangeError(`${new Date(t).toISOString()} is in the future (now is ${new Date(now).toISOString()}): a sync starts from a time already past`)
  return t
}

/** The first window's start: `--since`, else the retention horizon the user states, else a week back. */
export function firstSince(now: number, since: string | undefined, retentionDays: number | undefined): number {
  if (since !== undefined) return parseSince(since, now)
  return now - (retentionDays ?? DEFAULT_SINCE_DAYS) * DAY
}
