import { realClock } from '../engine/clock.ts'
import { followTimetable, parseMaxRate, rateAt } from '../engine/export/rate-timetable.ts'
import type { ExportRunner } from '../engine/export/runner.ts'
import { UsageError } from './exit-codes.ts'

export type MaxRate = ReturnType<typeof parseMaxRate>

/** `--max-rate`: a rate (`5MB/s`) or a timetable (`"08:00,512K 18:00,off"`), checked before anything starts. */
export function readMaxRate(text: string): MaxRate {
  try {
    return parseMaxRate(text)
  } catch (e) {
    throw new UsageError(`--max-rate: ${(e as Error).message}`)
  }
}

/** The limit to start with: the rate, or what the timetable says now. */
export function rateNow(rate: MaxRate): number | null {
  return 'rate' in rate ? rate.rate : rateAt(rate.timetable, Date.now())
}

/** A plain rate is set once; a timetable follows the local clock while the run lasts. Returns the stop. */
export function applyMaxRate(runner: ExportRunner, rate: MaxRate | undefined): () => void {
  if (rate === undefined) return () => undefined
  if ('rate' in rate) {
    runner.setLimits({ maxBytesPerSecond: rate.rate })
    return () => undefined
  }
  return followTimetable(rate.timetable, realClock, (r) => runner.setLimits({ maxBytesPerSecond: r }))
}
