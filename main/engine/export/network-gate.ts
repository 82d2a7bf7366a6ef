import { CccError } from '../../common/errors.ts'
import { redact } from '../../common/redact.ts'
import type { Clock } from '../clock.ts'

export interface NetworkGateOptions {
  /** Network-level failures in a row, with no success between, that mean the network is down. */
  readonly threshold?: number
  /** Probe delays: from `baseMs`, doubling, up to `capMs`. */
  readonly baseMs?: number
  readonly capMs?: number
  /** How long to wait for the network before the export stops (`--give-up-after`). */
  readonly giveUpAfterMs?: number
}

export const DEFAULT_GIVE_UP_AFTER_MS = 4 * 60 * 60 * 1000

/** A failure of the network itself (refused, reset, unreachable, no DNS), not an answer from a server. */
export function isNetworkDown(error: CccError): boolean {
  return error.code === 'Network'
}

/**
 * "Waiting for network": when every request fails at the network level, files must not spend
 * their attempts on an outage (a 2-minute one failed 93 of 1,500 files, issue 17). Past
 * `threshold` failures in a row the gate closes; the file jobs that meet a network failure then
 * wait at the gate, which lets one of them through at a time as a probe, with backoff. The first
 * success opens it for all. After `giveUpAfterMs` of waiting, every waiter is told to stop.
 */
export class NetworkGate {
  private failures = 0
  /** CCC (or OSS) answered in this run: the way to it was open. */
  private answered = false
  /** The last network failure's text (which request, and the system's reason: ENOTFOUND and the host, say). */
  private last: string | undefined
  private since: number | undefined
  private probeAt = 0
  private readonly waiters: { resolve: () => void; reject: (e: unknown) => void }[] = []
  /** Ends the probe loop's sleep when the network is back or the run ends. */
  private loop: AbortController | undefined
  private readonly threshold: number
  private readonly baseMs: number
  private readonly capMs: number
  private readonly giveUpAfterMs: number

  constructor(
    private readonly clock: Clock,
    options: NetworkGateOptions = {},
    private readonly onChange: () => void = () => undefined,
  ) {
    this.threshold = options.threshold ?? 3
    this.baseMs = options.baseMs ?? 1000
    this.capMs = options.capMs ?? 60_000
    this.giveUpAfterMs = options.giveUpAfterMs ?? DEFAULT_GIVE_UP_AFTER_MS
  }

  /** Since when the network has been down (ms), while it is. */
  get waitingSince(): number | undefined {
    return this.since
  }

  /** What the last failure said, while waiting: a host that does not resolve looks like a dead line, but says so. */
  get lastFailure(): string | undefined {
    return this.since === undefined ? undefined : this.last
  }

  /** When the next probe goes out (ms), while waiting. */
  get nextProbeAt(): number | undefined {
    return this.since === undefined ? undefined : this.probeAt
  }

  /** Something reached a server (any answer, even an error): the network works. */
  succeeded(): void {
    this.answered = true
    this.failures = 0
    if (this.since === undefined) return
    this.since = undefined
    this.loop?.abort()
    this.loop = undefined
    for (const w of this.waiters.splice(0)) w.resolve()
    this.onChange()
  }

  /**
   * A network-level failure. Resolves to false when the network is not (yet) considered down:
   * the failure then counts as an attempt of the file like any other. Otherwise waits for the
   * caller's turn to probe and resolves to true (try again, no attempt spent), or rejects with
   * `Network.GaveUp`, or with the abort.
   */
  async failed(signal: AbortSignal): Promise<boolean> {
    this.failures++
    if (this.since === undefined) {
      if (this.failures < this.threshold) return false
      this.since = this.clock.now()
      this.probeAt = this.since + this.baseMs
      this.onChange()
      void this.probeLoop()
    }
    await this.turn(signal)
    return true
  }

  /**
   * After a failed request, whoever made it: true when it met a dead network and waited its turn
   * here (try again, nothing spent). A server's answer (an HTTP status) shows the network works; a
   * timeout, a stalled transfer or a local error says nothing either way and leaves the gate as it is.
   */
  async afterError(error: CccError, signal: AbortSignal): Promise<boolean> {
    // A page in place of CCC's JSON after CCC has answered in this run is a sign-in portal come up,
    // a network not letting us through: files wait here rather than each fail its tries. Before
    // any answer it more likely means an endpoint that is not CCC's: the files fail, and say so.
    const notThrough = error.code === 'Api.NotJson'
    if (isNetworkDown(error) || (notThrough && this.answered)) {
      this.last = redact(error.message).slice(0, 200)
      return this.failed(signal)
    }
    if (error.status !== undefined && !notThrough) this.succeeded()
    return false
  }

  /** The run is over (its waiters were aborted with it): no probe loop may outlive it, and the next run starts afresh. */
  close(): void {
    this.loop?.abort()
    this.loop = undefined
    this.since = undefined
    this.failures = 0
    this.answered = false
  }

  private turn(signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const at = this.waiters.indexOf(waiter)
        if (at >= 0) this.waiters.splice(at, 1)
        reject(signal.reason)
      }
      const waiter = {
        resolve: () => {
          signal.removeEventListener('abort', onAbort)
          resolve()
        },
        reject: (e: unknown) => {
          signal.removeEventListener('abort', onAbort)
          reject(e)
        },
      }
      if (signal.aborted) return reject(signal.reason)
      signal.addEventListener('abort', onAbort, { once: true })
      this.waiters.push(waiter)
    })
  }

  /**
   * While the network is down: after each delay (doubling up to the cap) the oldest waiter goes
   * as a probe. A probe that fails waits again at the back; one that succeeds opens the gate.
   */
  private async probeLoop(): Promise<void> {
    const loop = new AbortController()
    this.loop = loop
    let delay = this.baseMs
    while (this.since !== undefined && !loop.signal.aborted) {
      try {
        // Woken at the give-up time too, not only at the next probe (a minute apart at most).
        const wake = Math.min(this.probeAt, this.since + this.giveUpAfterMs)
        await this.clock.sleep(Math.max(0, wake - this.clock.now()), loop.signal)
      } catch {
        return
      }
      if (this.since === undefined) return
      if (this.clock.now() - this.since >= this.giveUpAfterMs) return this.giveUp()
      delay = Math.min(this.capMs, delay * 2)
      this.probeAt = this.clock.now() + delay
      this.onChange()
      this.waiters.shift()?.resolve()
    }
  }

  private giveUp(): void {
    const seconds = Math.round(this.giveUpAfterMs / 1000)
    const waited = seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`
    const last = this.last ? ` (the last failure: ${this.last})` : ''
    const error = new CccError({ code: 'Network.GaveUp', message: `The network was down for ${waited}${last}; the export stopped (resume continues it)` })
    for (const w of this.waiters.splice(0)) w.reject(error)
    this.since = undefined
    this.failures = 0
    this.loop = undefined
    this.onChange()
  }
}
