import { formatBytes, formatDuration } from '../common/format.ts'
import { terminalSafe } from '../common/terminal-text.ts'
import type { ExportProgress } from '../common/progress.ts'
import type { StatusLine } from './terminal.ts'

export interface ProgressOutput {
  readonly isTTY?: boolean
  readonly columns?: number
  write(text: string): unknown
  /** The terminal's redrawn line (main/cli/terminal.ts): other output goes around it. */
  readonly statusLine?: StatusLine
}

/** One line a file count, bytes, rate and ETA, shared by the bar and the quiet lines. */
export function progressLine(p: ExportProgress): string {
  const c = p.counts
  const finished = c.done + c.failed + c.skipped
  const parts = [`${finished}/${c.total} files`, formatBytes(p.bytes), `${formatBytes(p.bytesPerSecond)}/s`]
  // While contacts or a date range are still being listed, the total is still growing.
  if (p.state === 'listing' && p.listing) parts.unshift(`listing: ${p.listing.pages} pages, ${p.listing.found} found`)
  if (p.etaSeconds !== null && p.etaSeconds > 0) parts.push(`ETA ${formatDuration(p.etaSeconds)}`)
  if (c.failed > 0) parts.push(`${c.failed} failed`)
  // Archived 2.0 recordings waiting for their restore (issue 14 item 4): why the count stands still.
  if (c.restoring > 0) parts.push(`${c.restoring} restoring from archive`)
  // Every request fails at the network level: say so, and that nothing is being spent meanwhile.
  if (p.network) {
    const last = p.network.lastFailure ? `; last: ${terminalSafe(p.network.lastFailure)}` : ''
    parts.unshift(`waiting for network since ${clockTime(p.network.waitingSince)} (files keep their attempts${last})`)
  }
  return parts.join(' · ')
}

/**
 * A redrawn bar on a terminal; elsewhere (CI logs, cron mail) a plain line every few seconds, so
 * a log of an overnight export stays readable.
 */
export class ProgressPrinter {
  private lastQuietAt = Number.NEGATIVE_INFINITY
  private drawn = false

  constructor(
    private readonly out: ProgressOutput,
    private readonly now: () => number = Date.now,
    private readonly quietEveryMs = 5_000,
  ) {}

  update(p: ExportProgress): void {
    if (this.out.isTTY) {
      const width = Math.max(10, Math.min(30, (this.out.columns ?? 80) - 70))
      const total = p.counts.total || 1
      const filled = Math.round(((p.counts.done + p.counts.failed + p.counts.skipped) / total) * width)
      const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${progressLine(p)}`
      if (this.out.statusLine) this.out.statusLine.draw(line)
      else this.out.write(`\r\x1b[2K${line}`)
      this.drawn = true
      return
    }
    const t = this.now()
    if (t - this.lastQuietAt < this.quietEveryMs) return
    this.lastQuietAt = t
    this.out.write(`${progressLine(p)}\n`)
  }

  /** Leaves the terminal on a fresh line before the summary. */
  end(): void {
    if (this.drawn) {
      if (this.out.statusLine) this.out.statusLine.end()
      else this.out.write('\n')
    }
    this.drawn = false
  }
}

/** HH:MM of an ISO time, in the computer's own zone (what its user reads on the wall). */
function clockTime(iso: string): string {
  const d = new Date(iso)
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`
}
