import type { Clock } from '../clock.ts'

/**
 * A global byte budget shared by every transfer of an export: a call centre's uplink also carries
 * its live calls. Each chunk reserves its bytes on one timeline, so the aggregate rate holds
 * whatever the concurrency; the limit can change while an export runs.
 */
export class BandwidthLimit {
  private bytesPerSecond: number | null
  /** When the budget is next free, in clock ms. */
  private nextFree = 0
  // A short burst allowance keeps single small files from being delayed for nothing.
  private static readonly BURST_MS = 100

  constructor(
    private readonly clock: Clock,
    bytesPerSecond: number | null = null,
  ) {
    this.bytesPerSecond = bytesPerSecond
  }

  get limit(): number | null {
    return this.bytesPerSecond
  }

  set(bytesPerSecond: number | null): void {
    this.bytesPerSecond = bytesPerSecond && bytesPerSecond > 0 ? bytesPerSecond : null
    this.nextFree = this.clock.now()
  }

  /** Resolves when `bytes` may pass; at once (synchronously cheap) when there is no limit. */
  async take(bytes: number, signal?: AbortSignal): Promise<void> {
    const rate = this.bytesPerSecond
    if (rate === null) return
    const now = this.clock.now()
    const start = Math.max(this.nextFree, now - BandwidthLimit.BURST_MS)
    this.nextFree = start + (bytes / rate) * 1000
    const wait = this.nextFree - now - BandwidthLimit.BURST_MS
    if (wait > 0) await this.clock.sleep(wait, signal)
  }
}

/**
 * `5MB/s`, `800KB/s`, `1.5MiB/s`, `2m`, `500k`, plain bytes: what `--max-rate` accepts. K, M and G
 * are powers of 1024, as in curl's --limit-rate and aria2's limits, which admins already know.
 */
const MIN_RATE = 1024

export function parseRate(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)(i?)b?\s*(?:\/\s*s)?\s*$/i.exec(text)
  if (!m) throw new Error(`"${text}" is not a rate; write it like 5MB/s, 800KB/s or 2000000`)
  const unit = m[2]!.toLowerCase()
  const base = 1024
  const power = unit === 'k' ? 1 : unit === 'm' ? 2 : unit === 'g' ? 3 : 0
  const value = Math.round(Number(m[1]) * base ** power)
  if (value <= 0) throw new Error(`"${text}" must be more than zero`)
  // A bare number is bytes, as in curl: "1" or "0.5" would be a limit no export could live with
  // (a 300 KB recording in three days), and is surely a unit left off.
  if (value < MIN_RATE) throw new Error(`"${text}" is ${value} bytes a second; a limit must be at least 1KB/s (write 512K for 512 KiB/s)`)
  return value
}
