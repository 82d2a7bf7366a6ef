import type { Clock } from '../clock.ts'
import type { BandwidthLimit } from './bandwidth.ts'
import { followTimetable, parseTimetable } from './rate-timetable.ts'

/**
 * The app's one bandwidth budget as its settings say: a fixed rate, or a timetable (issue 18)
 * whose rate the budget follows on the clock, the same code `--max-rate` uses in the CLI. The
 * clock is a port so a test can cross midnight without waiting for it.
 */
export class LiveLimit {
  private stop: () => void = () => undefined

  constructor(
    private readonly bandwidth: BandwidthLimit,
    private readonly clock: Clock,
  ) {}

  /** A timetable wins over the fixed rate while it is set; a bad one throws before anything changes. */
  apply(rate: number | null, timetable: string | null | undefined): void {
    const entries = timetable ? parseTimetable(timetable) : undefined
    this.close()
    if (entries) this.stop = followTimetable(entries, this.clock, (r) => this.bandwidth.set(r))
    else this.bandwidth.set(rate)
  }

  close(): void {
    this.stop()
    this.stop = () => undefined
  }
}
