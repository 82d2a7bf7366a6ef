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

/** The first window's start: `--since`, else the retention horizon the user states, else a week back. */
export function firstSince(now: number, since: string | undefined, retentionDays: number | undefined): number {
  if (since !== undefined) {
    const t = Date.parse(since)
    if (Number.isNaN(t)) throw new RangeError(`"${since}" is not a time; write it like 2024-05-01 or 2024-05-01T00:00:00+08:00`)
    return t
  }
  return now - (retentionDays ?? DEFAULT_SINCE_DAYS) * DAY
}
