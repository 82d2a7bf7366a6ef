import type { Clock } from '../../../main/engine/clock.ts'

/**
 * A clock the test moves by hand, for policy code whose behaviour is a function of time (rates,
 * backoff). Sleeps resolve when the test advances past them.
 */
export class ManualClock implements Clock {
  private t = 0
  private sleepers: { until: number; resolve: () => void }[] = []

  now(): number {
    return this.t
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.sleepers.push({ until: this.t + ms, resolve }))
  }

  /** How many sleeps are pending: a loop that has gone back to sleep has finished its turn. */
  get waiting(): number {
    return this.sleepers.length
  }

  /** Moves time forward and wakes every sleeper that is due, letting their continuations run. */
  async advance(ms: number): Promise<void> {
    this.t += ms
    const due = this.sleepers.filter((s) => s.until <= this.t)
    this.sleepers = this.sleepers.filter((s) => s.until > this.t)
    for (const s of due) s.resolve()
    for (let i = 0; i < 10; i++) await Promise.resolve()
  }
}
