import type { Clock } from '../../engine/clock.ts'
import type { Exports } from '../../engine/export/exports.ts'
import { listSchedules } from '../../engine/schedule/schedules.ts'

/** How long before a folder's nightly job the app lets go of it. */
export const LEAD_MINUTES = 5

/** Minutes from the local wall-clock time at `now` until `at` ("02:00") next comes round. */
export function minutesUntil(at: string, now: number): number {
  const [h, m] = at.split(':').map(Number)
  const d = new Date(now)
  return ((h ?? 0) * 60 + (m ?? 0) - (d.getHours() * 60 + d.getMinutes()) + 1440) % 1440
}

/**
 * The app keeps an export it ran, resumed or listed open, and an open export holds its folder's
 * lock; a nightly `sync` of that folder (issue 18) would find it in use and stop. So a few
 * minutes before each scheduled job, the app closes its idle hold on that folder (one still
 * running is left: the job then waits for another night, as its log says). Checked at each
 * minute's turn on the injected clock. Returns the stop.
 */
export function releaseBeforeNights(configDir: string, exports: Pick<Exports, 'release'>, clock: Clock): () => void {
  const abort = new AbortController()
  const loop = async (): Promise<void> => {
    while (!abort.signal.aborted) {
      await clock.sleep(60_000 - (clock.now() % 60_000), abort.signal)
      if (abort.signal.aborted) return
      const entries = await listSchedules(configDir).catch(() => [])
      for (const e of entries) if (minutesUntil(e.at, clock.now()) <= LEAD_MINUTES) await exports.release(e.dir)
    }
  }
  loop().catch(() => undefined)
  return () => abort.abort()
}
