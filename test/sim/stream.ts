import type { ServerResponse } from 'node:http'
import { CHUNK_SIZE } from './objects.ts'

export interface BodyPlan {
  /** Bytes [start, end) of the object. */
  readonly read: (start: number, end: number) => Buffer
  readonly start: number
  /** Exclusive. */
  readonly end: number
  /** Pace of a 'slow' fault. */
  readonly bytesPerSecond?: number
  /** Stop after `after` bytes: 'truncate' ends the (chunked) reply cleanly, 'reset' sends an RST. */
  readonly cut?: { readonly after: number; readonly how: 'truncate' | 'reset' }
  readonly onBytes: (n: number) => void
}

/** The gap before the RST, so what was written reaches the client instead of being discarded with the socket. */
const RESET_GRACE_MS = 10

/**
 * Writes the body in chunks, honouring backpressure, and stops quietly when the client goes away.
 * `onComplete` runs just before the last byte is handed over: a client that has the whole body
 * must never see stats that do not count it yet.
 */
export async function sendBody(res: ServerResponse, plan: BodyPlan, onComplete: () => void): Promise<void> {
  const limit = plan.cut ? plan.start + plan.cut.after : plan.end
  // Paced bodies go out in tenths of a second's worth.
  const chunkSize = plan.bytesPerSecond ? Math.max(1, Math.floor(plan.bytesPerSecond / 10)) : CHUNK_SIZE
  let flushed: Promise<void> = Promise.resolve()
  for (let pos = plan.start; pos < limit; ) {
    if (res.destroyed) return
    const n = Math.min(chunkSize, limit - pos)
    const chunk = plan.read(pos, pos + n)
    pos += n
    plan.onBytes(n)
    if (pos === plan.end) {
      onComplete()
      res.end(chunk)
      return
    }
    let ok = true
    flushed = new Promise<void>((resolve) => {
      ok = res.write(chunk, () => resolve())
    })
    if (!ok) await drainOrClose(res)
    if (plan.bytesPerSecond && pos < limit) await waitOrClose(res, (n / plan.bytesPerSecond) * 1000)
  }
  if (res.destroyed) return
  if (plan.cut?.how === 'reset') {
    await Promise.race([flushed, closed(res)])
    await waitOrClose(res, RESET_GRACE_MS)
    const socket = res.socket
    if (socket && !socket.destroyed) socket.resetAndDestroy()
    return
  }
  // An empty body, or a truncated one ending cleanly.
  if (!plan.cut) onComplete()
  res.end()
}

function closed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) resolve()
    else res.once('close', () => resolve())
  })
}

function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve()
    const done = (): void => {
      res.off('drain', done)
      res.off('close', done)
      resolve()
    }
    res.on('drain', done)
    res.on('close', done)
  })
}

function waitOrClose(res: ServerResponse, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve()
    const done = (): void => {
      clearTimeout(timer)
      res.off('close', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    res.on('close', done)
  })
}
