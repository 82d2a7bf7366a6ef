import type { Clock } from '../clock.ts'
import type { ExportTable } from './export-table.ts'

/**
 * Rate and ETA from a smoothed byte rate and file rate. Sizes are unknown until each transfer
 * starts, so the ETA extrapolates from files per second, which a mix of sizes averages out.
 */
export class ProgressMeter {
  private lastAt: number
  private lastBytes = -1
  private bytesPerSecond = 0
  private filesPerSecond = 0
  private filesSince = 0
  // About three seconds of memory: steady enough to read, quick enough to follow a limit change.
  private static readonly HALF_LIFE_MS = 2_000

  constructor(private readonly clock: Clock) {
    this.lastAt = clock.now()
  }

  fileDone(): void {
    this.filesSince++
  }

  sample(bytes: number): void {
    const now = this.clock.now()
    const dt = now - this.lastAt
    if (dt < 200) return
    if (this.lastBytes >= 0) {
      const weight = 1 - 0.5 ** (dt / ProgressMeter.HALF_LIFE_MS)
      const instantBytes = (Math.max(0, bytes - this.lastBytes) * 1000) / dt
      const instantFiles = (this.filesSince * 1000) / dt
      this.bytesPerSecond += weight * (instantBytes - this.bytesPerSecond)
      this.filesPerSecond += weight * (instantFiles - this.filesPerSecond)
    }
    this.lastAt = now
    this.lastBytes = bytes
    this.filesSince = 0
  }

  estimate(table: ExportTable): { bytesPerSecond: number; etaSeconds: number | null } {
    const c = table.counts
    const remaining = c.queued + c.resolving + c.downloading + c.paused
    // Files waiting on an archive restore take as long as the restore does: no estimate then, not 0.
    const etaSeconds = remaining === 0 ? (c.restoring > 0 ? null : 0) : this.filesPerSecond > 0.01 ? Math.round(remaining / this.filesPerSecond) : null
    return { bytesPerSecond: Math.round(this.bytesPerSecond), etaSeconds }
  }
}
