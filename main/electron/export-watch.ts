import type { ExportProgress } from '../common/progress.ts'

/** What the shell shows of running exports outside the window: taskbar/dock, power, a notification. */
export interface ShellSignals {
  setProgress(fraction: number, mode: 'normal' | 'paused' | 'error' | 'none'): void
  /** Keep the machine awake (true) or let it sleep (false): only while bytes are flowing. */
  keepAwake(on: boolean): void
  notify(progress: ExportProgress): void
}

const ENDS = new Set(['finished', 'stopped'])

/**
 * Follows the progress of every export and turns it into shell signals. Pure bookkeeping over a
 * port, so the rules are tested without Electron: one notification per export as it ends (not
 * for a pause the user asked for), and the power-save blocker held only while bytes flow, not
 * while an export sits paused overnight.
 */
export class ExportWatch {
  private readonly latest = new Map<string, ExportProgress>()
  private awake = false

  constructor(private readonly signals: ShellSignals) {}

  update(p: ExportProgress): void {
    const before = this.latest.get(p.id)
    this.latest.set(p.id, p)
    if (ENDS.has(p.state) && before && !ENDS.has(before.state)) this.signals.notify(p)
    this.refresh()
  }

  /** The latest progress of every export seen: what the tray sums up. */
  all(): ExportProgress[] {
    return [...this.latest.values()]
  }

  /** Exports that are running now: what quitting would interrupt. */
  active(): string[] {
    return [...this.latest.values()].filter((p) => p.state === 'running' || p.state === 'listing' || p.state === 'pausing').map((p) => p.id)
  }

  private refresh(): void {
    const running = [...this.latest.values()].filter((p) => p.state === 'running' || p.state === 'listing')
    const flowing = running.some((p) => p.bytesPerSecond > 0 || p.counts.downloading > 0)
    if (flowing !== this.awake) {
      this.awake = flowing
      this.signals.keepAwake(flowing)
    }
    const shown = running[0] ?? [...this.latest.values()].find((p) => p.state === 'paused' || p.state === 'stopped')
    if (!shown || shown.counts.total === 0) {
      this.signals.setProgress(-1, 'none')
      return
    }
    const c = shown.counts
    const fraction = (c.done + c.failed + c.skipped) / c.total
    this.signals.setProgress(fraction, shown.state === 'paused' ? 'paused' : shown.state === 'stopped' ? 'error' : 'normal')
  }
}
