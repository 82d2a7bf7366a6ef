/**
 * curl's `--speed-limit/--speed-time` for one transfer (issue 17): a body that arrives slower than
 * `minBytesPerSecond` for `windowMs` on end is too slow to wait for; the attempt is stopped and a
 * later one continues the `.part` with a Range, usually on a better connection. Time spent
 * waiting in our own bandwidth limit is not counted: the server is not the slow side then.
 */
export interface SpeedFloorOptions {
  /** Default 1024 (curl's usual `--speed-limit 1024`). 0 turns the check off. */
  readonly minBytesPerSecond?: number
  /** Default 30 s. */
  readonly windowMs?: number
}

export const DEFAULT_MIN_BYTES_PER_SECOND = 1024
export const DEFAULT_SPEED_WINDOW_MS = 30_000

export class SpeedFloor {
  readonly min: number
  readonly windowMs: number
  // Active time (wall time less the throttle's waits) and bytes at the last sample.
  private pausedMs = 0
  private pausedAt: number | undefined
  private bytes = 0
  private sampleAt = 0
  private sampleBytes = 0
  /** Active time since which every sample was below the floor. */
  private slowSince: number | undefined

  constructor(
    options: SpeedFloorOptions,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.min = options.minBytesPerSecond ?? DEFAULT_MIN_BYTES_PER_SECOND
    this.windowMs = options.windowMs ?? DEFAULT_SPEED_WINDOW_MS
    this.sampleAt = this.active()
  }

  get enabled(): boolean {
    return this.min > 0 && this.windowMs > 0
  }

  /** How often `tooSlow` is asked: often enough to notice within a tenth of the window past it. */
  get tickMs(): number {
    return Math.max(1, Math.min(1000, this.windowMs / 10))
  }

  /**
   * The body began: only from here is there a speed to judge. Until then the clock ran through
   * the request and the read-back of a resumed `.part`, which would count as a body stuck at
   * 0 B/s and could stop one that arrives well above the floor at its first check.
   */
  start(): void {
    this.sampleAt = this.active()
    this.sampleBytes = this.bytes
    this.slowSince = undefined
  }

  received(n: number): void {
    this.bytes += n
  }

  pause(): void {
    this.pausedAt ??= this.now()
  }

  resume(): void {
    if (this.pausedAt === undefined) return
    this.pausedMs += this.now() - this.pausedAt
    this.pausedAt = undefined
  }

  /** Called every `tickMs`: true once the speed stayed under the floor for the whole window. */
  tooSlow(): boolean {
    if (this.pausedAt !== undefined) return false
    const at = this.active()
    const span = at - this.sampleAt
    if (span <= 0) return false
    const rate = ((this.bytes - this.sampleBytes) * 1000) / span
    if (rate >= this.min) this.slowSince = undefined
    else this.slowSince ??= this.sampleAt
    this.sampleAt = at
    this.sampleBytes = this.bytes
    return this.slowSince !== undefined && at - this.slowSince >= this.windowMs
  }

  private active(): number {
    return this.now() - this.pausedMs
  }
}
