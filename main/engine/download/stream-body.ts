import type { Hash } from 'node:crypto'
import type { PartFile } from './part-file.ts'
import { stoppableReads } from './stoppable-reads.ts'
import type { TransferWatch } from './transfer-watch.ts'

/** How the body ended: the judge decides what that makes of the `.part`. */
export type StreamOutcome =
  | { readonly kind: 'ended' }
  /** The transfer stopped early (a reset, a timeout, an abort); every byte received is on disk. */
  | { readonly kind: 'cut'; readonly failure: unknown }
  /** The body ran past the announced length; the extra bytes were not written. */
  | { readonly kind: 'overflow' }

export interface StreamContext {
  readonly part: PartFile
  /** The whole object's length, when the reply said it. */
  readonly total: number | undefined
  readonly md5: Hash | undefined
  readonly watch: TransferWatch
  readonly onProgress: ((bytesThisChunk: number, bytesInPart: number) => void) | undefined
  readonly throttle: ((bytes: number) => Promise<void>) | undefined
}

/**
 * The hot path: each chunk goes through the CRC (and MD5 when there is no CRC header) and joins
 * the part's batch; a batch goes to disk in one write once it is full, when the body ends, or
 * when the transfer stops early, so a later call resumes from every byte received. That write is
 * awaited before the next chunk is read, which is the backpressure.
 */
export async function streamBody(res: Response, ctx: StreamContext): Promise<StreamOutcome> {
  const { part, total, md5, watch, onProgress } = ctx
  if (!res.body) return { kind: 'ended' }
  const reader = res.body.getReader()
  const reads = stoppableReads(reader, watch.signal)
  watch.bodyStarted()
  try {
    for (;;) {
      if (watch.userAborted) return await cut(part, watch.stopped())
      let chunk: ReadableStreamReadResult<Uint8Array>
      try {
        chunk = await reads.next()
      } catch (e) {
        return await cut(part, e)
      }
      if (chunk.done) {
        await part.flush()
        return { kind: 'ended' }
      }
      const buf = chunk.value
      watch.touch()
      watch.received(buf.length)
      if (total !== undefined && part.size + buf.length > total) return { kind: 'overflow' }
      md5?.update(buf)
      part.write(buf)
      onProgress?.(buf.length, part.size)
      if (part.batchFull) {
        await part.flush()
        watch.touch()
      }
      if (ctx.throttle) {
        const stopped = await pace(ctx.throttle, buf.length, part, watch)
        if (stopped) return stopped
      }
    }
  } finally {
    reads.dispose()
    reader.cancel().catch(() => {})
  }
}

/** What arrived goes to disk, so the next call continues from it. */
async function cut(part: PartFile, failure: unknown): Promise<StreamOutcome> {
  try {
    await part.flush(true)
  } catch {
    // The bytes on disk are still a prefix of the object: the next call continues from there.
  }
  return { kind: 'cut', failure }
}

/**
 * Bandwidth limiting: the next chunk is read only when the throttle allows, so a slow promise
 * slows the socket itself, and the idle timer does not count the wait against the server. A
 * rejection ends the download with the `.part` kept.
 */
async function pace(throttle: (bytes: number) => Promise<void>, bytes: number, part: PartFile, watch: TransferWatch): Promise<StreamOutcome | undefined> {
  watch.pause()
  try {
    await throttle(bytes)
  } catch (e) {
    if (watch.userAborted) return await cut(part, watch.stopped())
    await cut(part, e)
    throw e
  }
  watch.touch()
  return undefined
}
