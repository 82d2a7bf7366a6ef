/**
 * CCC deletes recordings past the retention the user set in its console (by age), for good. One
 * rule, for the CLI's `status` of a synced folder and for the app (issue 18 item 4): how many days
 * the oldest call still has, and whether that is close enough to say so.
 */

const DAY = 24 * 60 * 60 * 1000

/** The app warns about a range whose oldest call is this close to deletion: a week to get an export run. */
export const RANGE_WARN_DAYS = 7
/**
 * `status` of a synced folder warns only this close: a nightly sync's next window starts about a
 * day back by design, so a week's threshold would always fire for a short retention; two days
 * means nights were missed.
 */
export const SYNC_WARN_DAYS = 2

export interface RetentionWarning {
  readonly retentionDays: number
  /**
   * Days until CCC deletes the oldest call, floored to one decimal (two under a tenth, and never 0
   * while some time is left); 0 or less: past the horizon.
   */
  readonly daysLeft: number
}

/** A warning when the call at `oldest` (epoch ms) is within `withinDays` of the retention horizon; else undefined. */
export function retentionWarning(oldest: number, retentionDays: number | undefined, now: number, withinDays: number): RetentionWarning | undefined {
  if (retentionDays === undefined) return undefined
  const daysLeft = retentionDays - (now - oldest) / DAY
  if (daysLeft > withinDays) return undefined
  // 22 minutes left is not "past": the user may still run the export in time.
  const shown = daysLeft >= 0.1 || daysLeft <= 0 ? Math.floor(daysLeft * 10) / 10 : Math.max(0.01, Math.floor(daysLeft * 100) / 100)
  return { retentionDays, daysLeft: shown }
}
