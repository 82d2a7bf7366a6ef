import type { SimFault, SimFaultKind } from './types.ts'

/** Faults raised on a DownloadRecording call for the name (or a 2.0 action's: v2-actions.ts). */
export const API_FAULTS: ReadonlySet<SimFaultKind> = new Set(['throttle', 'api-unavailable', 'api-internal', 'api-hostile', 'api-v2-error', 'expire-url'])
/** Faults raised on an OSS GET of the name (HEAD is left alone: it has no body to break). */
export const OSS_FAULTS: ReadonlySet<SimFaultKind> = new Set([
  'oss-unavailable',
  'reset',
  'drop',
  'truncate',
  'slow',
  'no-checksum',
  'html-body',
  'xml-body',
  'gzip-body',
  'short-chunked',
])

interface Pending {
  readonly fault: SimFault
  left: number
}

/** Per-name fault queues: each fault applies to the next `times` matching events, then is used up. */
export class FaultBook {
  private readonly byName = new Map<string, Pending[]>()

  add(name: string, fault: SimFault): void {
    const times = fault.times ?? 1
    if (!Number.isInteger(times) || times < 1) throw new RangeError(`fault times must be >= 1, got ${times}`)
    const list = this.byName.get(name) ?? []
    list.push({ fault, left: times })
    this.byName.set(name, list)
  }

  clear(name: string): void {
    this.byName.delete(name)
  }

  /** Uses up one application of the oldest pending fault for `name` among `kinds`. */
  take(name: string, kinds: ReadonlySet<SimFaultKind>): SimFault | undefined {
    const list = this.byName.get(name)
    if (!list) return undefined
    const i = list.findIndex((p) => kinds.has(p.fault.kind))
    const pending = list[i]
    if (!pending) return undefined
    if (--pending.left === 0) list.splice(i, 1)
    if (list.length === 0) this.byName.delete(name)
    return pending.fault
  }
}

export interface StormOptions {
  /** Every Nth DownloadRecording call is throttled. */
  everyNth?: number
  /** A token bucket (one second of burst) over DownloadRecording calls. */
  maxQps?: number
}

/** The global throttling storm (Sim.setThrottleAll). */
export class ThrottleStorm {
  private opts: StormOptions | null = null
  private calls = 0
  private tokens = 0
  private refilledAt = 0

  set(opts: StormOptions | null, nowMs: number): void {
    if (opts?.everyNth !== undefined && !(Number.isInteger(opts.everyNth) && opts.everyNth >= 1)) {
      throw new RangeError(`everyNth must be a positive integer, got ${opts.everyNth}`)
    }
    if (opts?.maxQps !== undefined && !(opts.maxQps > 0)) throw new RangeError(`maxQps must be > 0, got ${opts.maxQps}`)
    this.opts = opts
    this.calls = 0
    this.tokens = this.capacity()
    this.refilledAt = nowMs
  }

  private capacity(): number {
    return Math.max(1, this.opts?.maxQps ?? 0)
  }

  /** false when this call is to be throttled. */
  admit(nowMs: number): boolean {
    const opts = this.opts
    if (!opts) return true
    this.calls++
    if (opts.everyNth !== undefined && this.calls % opts.everyNth === 0) return false
    if (opts.maxQps === undefined) return true
    const elapsed = Math.max(0, nowMs - this.refilledAt) / 1000
    this.tokens = Math.min(this.capacity(), this.tokens + elapsed * opts.maxQps)
    this.refilledAt = nowMs
    if (this.tokens < 1) return false
    this.tokens -= 1
    return true
  }
}
