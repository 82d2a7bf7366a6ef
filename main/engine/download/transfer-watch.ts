import { CccError } from '../../common/errors.ts'
import { SpeedFloor, type SpeedFloorOptions } from './speed-floor.ts'

/** The user's abort as the AbortError it should surface as, never a CccError. */
export function abortErrorOf(signal: AbortSignal): Error {
  const r: unknown = signal.reason
  return r instanceof Error && r.name === 'AbortError' ? r : new DOMException('The download was aborted', 'AbortError')
}

/**
 * One attempt's request signal, fired by the user or by a server silent for longer than `ms`
 * (re-armed on every chunk). Not AbortSignal.any: with one export-wide signal shared by 100,000
 * downloads, its dependants pile up on some Node versions (nodejs/node#55351); a listener removed
 * in `dispose` cannot.
 */
export class TransferWatch {
  private readonly controller = new AbortController()
  readonly signal: AbortSignal = this.controller.signal
  private timedOut = false
  private tooSlow = false
  private paused = false
  private readonly timer: ReturnType<typeof setTimeout>
  private readonly floor: SpeedFloor
  private speedTimer: ReturnType<typeof setInterval> | undefined
  private readonly onUserAbort = (): void => this.controller.abort(this.user?.reason)

  constructor(
    private readonly user: AbortSignal | undefined,
    readonly ms: number,
    speed: SpeedFloorOptions = {},
  ) {
    this.floor = new SpeedFloor(speed)
    this.timer = setTimeout(() => {
      if (this.paused) return
      this.timedOut = true
      this.controller.abort(new DOMException('idle timeout', 'TimeoutError'))
    }, ms)
    this.timer.unref?.()
    user?.addEventListener('abort', this.onUserAbort, { once: true })
    if (user?.aborted) this.onUserAbort() // fired while we looked at the .part: no event comes now
  }

  /** The server spoke: re-arms the timer (a fired one too, which Node's `refresh` allows). */
  touch(): void {
    this.paused = false
    this.floor.resume()
    if (!this.timedOut) this.timer.refresh()
  }

  /** While we, not the server, are the slow side (a throttle). */
  pause(): void {
    this.paused = true
    this.floor.pause()
  }

  /** The body began: from now on it must keep above the minimum speed. */
  bodyStarted(): void {
    if (!this.floor.enabled || this.speedTimer) return
    this.floor.start()
    this.speedTimer = setInterval(() => {
      if (!this.floor.tooSlow()) return
      this.tooSlow = true
      clearInterval(this.speedTimer)
      this.controller.abort(new DOMException('too slow', 'TimeoutError'))
    }, this.floor.tickMs)
    this.speedTimer.unref?.()
  }

  /** Body bytes that arrived (network bytes, before any throttle wait). */
  received(n: number): void {
    this.floor.received(n)
  }

  get userAborted(): boolean {
    return this.user?.aborted === true
  }

  /** Between steps of local work (reading back a resumed prefix): the timer stays quiet, an abort stops it. */
  checkpoint(): void {
    this.touch()
    if (this.user?.aborted) throw abortErrorOf(this.user)
  }

  /** Why the transfer stopped, when it was the user or the idle timer that stopped it. */
  stopped(): Error | undefined {
    if (this.user?.aborted) return abortErrorOf(this.user)
    if (this.timedOut) return new CccError({ code: 'Timeout', message: `Recording storage was silent for ${this.ms} ms` })
    if (this.tooSlow) {
      const { min, windowMs } = this.floor
      return new CccError({ code: 'Transfer.TooSlow', message: `The transfer stayed under ${min} bytes/s for ${windowMs / 1000} s; it is continued on a new connection` })
    }
    return undefined
  }

  dispose(): void {
    clearTimeout(this.timer)
    clearInterval(this.speedTimer)
    this.user?.removeEventListener('abort', this.onUserAbort)
  }
}
