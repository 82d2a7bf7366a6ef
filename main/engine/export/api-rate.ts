import type { Clock } from '../clock.ts'

export interface AdaptiveRateOptions {
  /** Calls per second to begin with (500). */
  readonly initial?: number
  readonly min?: number
  readonly max?: number
  /** Growth per call after the first throttle: about r·increase calls/s per second at rate r. */
  readonly increase?: number
}

/**
 * The API call rate, adapted to the service: no QPS limit is documented for CCC 2017-07-05
 * (ccc-api.md §4), so the rate is found the way TCP finds a window. It grows quickly until the
 * first `Throttling*` reply (slow start), halves on throttling, then creeps back up slowly
 * (AIMD). Calls are spaced by a token bucket holding at most a tenth of a second's worth.
 */
export class AdaptiveRate {
  private rateValue: number
  private readonly min: number
  private readonly max: number
  private readonly increase: number
  private slowStart = true
  private tokens = 1
  private lastRefill: number
  private lastDecreaseAt = Number.NEGATIVE_INFINITY
  private lastLimitedAt = Number.NEGATIVE_INFINITY
  private queue: Promise<void> = Promise.resolve()

  constructor(
    private readonly clock: Clock,
    options: AdaptiveRateOptions = {},
  ) {
    // High enough that slow start never holds back an export against a gateway that does not
    // throttle (on loopback 50/s cost a 2,000-file export a second and a half of ramp-up); the
    // first Throttling reply halves it per burst, so a low real limit is found within a few replies.
    this.rateValue = options.initial ?? 500
    this.min = options.min ?? 0.5
    this.max = options.max ?? 5_000
    this.increase = options.increase ?? 0.02
    this.lastRefill = clock.now()
  }

  get rate(): number {
    return this.rateValue
  }

  /** Waits for a call slot; returns the time the call was allowed, to pass back on throttling. */
  acquire(signal?: AbortSignal): Promise<number> {
    const turn = this.queue.then(() => this.take(signal))
    // The next caller waits for this one's slot, but not for its failure.
    this.queue = turn.then(
      () => undefined,
      () => undefined,
    )
    return turn
  }

  private async take(signal?: AbortSignal): Promise<number> {
    for (;;) {
      signal?.throwIfAborted()
      const now = this.clock.now()
      const capacity = Math.max(1, this.rateValue / 10)
      this.tokens = Math.min(capacity, this.tokens + ((now - this.lastRefill) / 1000) * this.rateValue)
      this.lastRefill = now
      if (this.tokens >= 1) {
        this.tokens -= 1
        return now
      }
      this.lastLimitedAt = now
      await this.clock.sleep(Math.ceil(((1 - this.tokens) / this.rateValue) * 1000), signal)
    }
  }

  /**
   * Grows the rate only while it is what holds calls back: a rate that nobody uses says nothing
   * about the service, and would only overshoot further before the first throttle.
   */
  onSuccess(): void {
    if (this.clock.now() - this.lastLimitedAt > 1_000) return
    // Slow start doubles per second of full use; afterwards +max(1, increase·r) calls/s each second.
    const step = this.slowStart ? 1 : Math.max(1 / this.rateValue, this.increase)
    this.rateValue = Math.min(this.max, this.rateValue + step)
  }

  /**
   * Halves the rate, once per burst: calls that were already under way when the rate was last
   * lowered were sent at the old rate, and their throttling says nothing new.
   */
  onThrottle(callStartedAt: number): void {
    this.slowStart = false
    if (callStartedAt < this.lastDecreaseAt) return
    this.rateValue = Math.max(this.min, this.rateValue / 2)
    this.tokens = Math.min(this.tokens, 0)
    this.lastDecreaseAt = this.clock.now()
  }
}
