import { createHash, type Hash } from 'node:crypto'
import type { FileHandle } from 'node:fs/promises'
import { CccError } from '../../common/errors.ts'
import { Crc64 } from './crc64.ts'
import { isUrlExpired, ossHttpError, transportError, truncatedError } from './oss-errors.ts'
import {
  commitPart,
  crcOfPrefix,
  dropPart,
  localError,
  openPart,
  partPaths,
  readSidecar,
  sizeOf,
  writeAllv,
  writeSidecar,
  type Sidecar,
  type PartPaths,
} from './part-file.ts'
import { secureUrl } from './secure-url.ts'
import { crc64Matches, decideResume, judgeBody, md5Matches, parseCrc64, strongEtag } from './verify.ts'

/**
 * One OSS object to one verified local file (architecture.md "The engine"; issue 2, item 4):
 * stream to `<dest>.part`, resume it with `Range` + `If-Range`, check length, CRC-64 and
 * Content-MD5, fsync, rename into place. Retrying is the caller's job: every failure is a
 * `CccError` whose handling says whether another call makes sense, and a later call picks up
 * the `.part` this one left. So is syncing the folder (syncFolder) before recording the file
 * as done: one folder sync can then cover every file that finished meanwhile.
 */

export interface DownloadObjectOptions {
  /** The presigned GET URL; `http` to `*.aliyuncs.com` is upgraded to https. */
  url: string
  /** Absolute final path; its folder is created when missing. */
  dest: string
  /** Node's global fetch by default; Electron passes `net.fetch`. */
  fetch?: typeof fetch
  /** Stops at once and keeps the `.part`; the rejection is the AbortError, not a CccError. */
  signal?: AbortSignal
  /**
   * The object's ETag from an earlier attempt, used for If-Range when a `.part` exists but its
   * sidecar (`<dest>.part.etag`) is gone. The sidecar wins when both exist: it describes the bytes.
   */
  etag?: string
  /**
   * After each chunk is on disk: its size (network bytes), and the bytes now in the `.part`
   * (the resumed prefix included; it drops back when a 200 starts the file over).
   */
  onProgress?: (bytesThisChunk: number, bytesInPart: number) => void
  /** Longest silence from the server, before the reply or between chunks. Default 60 s. */
  timeoutMs?: number
  /** A fresh presigned URL (DownloadRecording again), for when OSS says this one expired. */
  renewUrl?: () => Promise<string>
  /**
   * The caller knows that neither `<dest>.part` nor its sidecar exists (a new export into an
   * empty folder, the file's first try), so they are not looked for: two file operations fewer.
   */
  fresh?: boolean
  /** How many times one call may renew the URL. Default 2. */
  maxRenewals?: number
  /**
   * Bandwidth limiting: awaited after each chunk is on disk, before the next is read, so a slow
   * promise slows the socket itself. The idle timeout does not run while it waits. A rejection
   * ends the download (an AbortError when `signal` fired), the `.part` kept.
   */
  throttle?: (bytes: number) => Promise<void>
}

export interface DownloadResult {
  /** Size of the final file. */
  bytes: number
  /** CRC-64/XZ of the final file, decimal (what OSS sends in `x-oss-hash-crc64ecma`). */
  crc64: string
  etag?: string
  /** Bytes of the `.part` that were kept and continued (0 for a whole download). */
  resumedFrom: number
  /** A `.part` existed but had to be thrown away (other version, no ETag to resume it with). */
  restarted: boolean
}

const DEFAULT_TIMEOUT_MS = 60_000
const DEFAULT_MAX_RENEWALS = 2
// A server that keeps answering with ranges nobody asked for will not improve on a third try.
const MAX_REFETCHES = 1
// Enough for any OSS error document, small enough to ignore a hostile body.
const ERROR_BODY_LIMIT = 16 * 1024
// Bytes gathered before a write: a recording of a few hundred KB goes to disk in one write.
const WRITE_BATCH = 512 * 1024

function abortErrorOf(signal: AbortSignal): Error {
  const r: unknown = signal.reason
  return r instanceof Error && r.name === 'AbortError' ? r : new DOMException('The download was aborted', 'AbortError')
}

/** Aborts the request when the server stays silent too long; re-armed on every chunk. */
class IdleTimer {
  readonly controller = new AbortController()
  timedOut = false
  private paused = false
  private readonly timer: ReturnType<typeof setTimeout>

  constructor(readonly ms: number) {
    this.timer = setTimeout(() => {
      if (this.paused) return
      this.timedOut = true
      this.controller.abort(new DOMException('idle timeout', 'TimeoutError'))
    }, ms)
    this.timer.unref?.()
  }

  /** Re-arms the timer (a fired one too, which Node's `refresh` allows). */
  touch(): void {
    this.paused = false
    if (!this.timedOut) this.timer.refresh()
  }

  /** While we, not the server, are the slow side. */
  pause(): void {
    this.paused = true
  }

  stop(): void {
    clearTimeout(this.timer)
  }
}

async function readErrorBody(res: Response): Promise<string> {
  if (!res.body) return ''
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    while (size < ERROR_BODY_LIMIT) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value)
      size += value.length
    }
  } catch {
    // what we have is all we need
  } finally {
    reader.cancel().catch(() => {})
  }
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * Lets go of a body nobody will read. A locked body is already handled by the reader that
 * locked it (every one cancels in its `finally`), and cancelling it anyway only rejects with an
 * error whose stack trace costs more than the rest of a small file's bookkeeping.
 */
function discard(res: Response): void {
  if (res.body && !res.body.locked) res.body.cancel().catch(() => {})
}

type AttemptOutcome = { kind: 'done'; result: DownloadResult } | { kind: 'renew'; error: CccError } | { kind: 'refetch'; reason: string }

interface AttemptState {
  url: string
  /** Bytes of the `.part` to continue from; 0 asks for the whole object. */
  offset: number
  ifRange: string | undefined
  /** What the sidecar says now, to rewrite it only when the version changes. */
  sidecar: Sidecar | undefined
  /** False when there was no `.part` and the sidecar was not read: whatever it says is rewritten. */
  sidecarRead: boolean
  /** Known not to exist (DownloadObjectOptions.fresh): nothing to remove on commit unless written. */
  noSidecar: boolean
  /** A non-empty `.part` existed before this attempt. */
  hadPart: boolean
}

export async function downloadObject(opts: DownloadObjectOptions): Promise<DownloadResult> {
  const { signal } = opts
  if (signal?.aborted) throw abortErrorOf(signal)
  const paths = partPaths(opts.dest)
  let url = secureUrl(opts.url)
  let renewals = 0
  let refetches = 0
  let restarted = false
  const maxRenewals = opts.maxRenewals ?? DEFAULT_MAX_RENEWALS
  let fresh = opts.fresh === true
  for (;;) {
    // Only the first attempt may trust the caller: a failed one may leave a .part behind.
    const partSize = fresh ? 0 : await sizeOf(paths.part)
    // Without a .part there is nothing for it to describe: a stale one is rewritten (or removed)
    // before the first bytes of a new .part that is not whole, and removed on commit.
    const sidecarRead = partSize > 0
    const sidecar = sidecarRead ? await readSidecar(paths.etag) : undefined
    if (partSize > 0 && sidecar?.size === partSize && sidecar.crc64) {
      const kept = await keepCompletePart(paths, partSize, sidecar, signal)
      if (kept) return kept
    }
    const ifRange = partSize > 0 ? strongEtag(sidecar?.etag ?? opts.etag) : undefined
    // A .part whose version we cannot name is not resumed: the 200 that follows starts it over.
    const offset = ifRange === undefined ? 0 : partSize
    const outcome = await attempt(opts, paths, { url, offset, ifRange, sidecar, sidecarRead, noSidecar: fresh, hadPart: partSize > 0 })
    fresh = false
    if (outcome.kind === 'done') {
      return { ...outcome.result, restarted: restarted || outcome.result.restarted }
    }
    if (outcome.kind === 'refetch') {
      if (++refetches > MAX_REFETCHES) {
        throw new CccError({ code: 'Http.Unexpected', message: `Recording storage cannot continue the download: ${outcome.reason}` })
      }
      await dropPart(paths)
      restarted = restarted || partSize > 0
      continue
    }
    if (!opts.renewUrl || renewals >= maxRenewals) throw outcome.error
    renewals++
    url = secureUrl(await opts.renewUrl())
    if (signal?.aborted) throw abortErrorOf(signal)
  }
}

/**
 * A `.part` that already holds the whole object (the process died after the last byte, before the
 * rename): checked against the CRC-64 OSS announced for it, and committed without a request.
 */
async function keepCompletePart(paths: PartPaths, size: number, sidecar: Sidecar, signal: AbortSignal | undefined): Promise<DownloadResult | undefined> {
  const fh = await openPart(paths.part, size)
  let committed = false
  try {
    const crc = await crcOfPrefix(fh, size, () => {
      if (signal?.aborted) throw abortErrorOf(signal)
    })
    const digest = crc.digest()
    if (digest !== sidecar.crc64) return undefined
    committed = true
    await commitPart(fh, paths)
    return { bytes: size, crc64: digest, etag: sidecar.etag, resumedFrom: size, restarted: false }
  } finally {
    if (!committed) await fh.close().catch(() => {})
  }
}

async function attempt(opts: DownloadObjectOptions, paths: PartPaths, st: AttemptState): Promise<AttemptOutcome> {
  const userSignal = opts.signal
  const idle = new IdleTimer(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS)
  // One signal for the request, fired by the user or the idle timer. Not AbortSignal.any: with
  // one export-wide signal shared by 100,000 downloads, its dependants pile up on some Node versions
  // (nodejs/node#55351); a listener removed in `finally` cannot.
  const signal = idle.controller.signal
  const onUserAbort = (): void => idle.controller.abort(userSignal?.reason)
  userSignal?.addEventListener('abort', onUserAbort, { once: true })
  if (userSignal?.aborted) onUserAbort() // fired while we looked at the .part: no event comes now
  /** Why the transfer stopped, when it was us or the user who stopped it. */
  const stopped = (): Error | undefined => {
    if (userSignal?.aborted) return abortErrorOf(userSignal)
    if (idle.timedOut) return new CccError({ code: 'Timeout', message: `Recording storage was silent for ${idle.ms} ms` })
    return undefined
  }
  let res: Response | undefined
  try {
    const headers: Record<string, string> = { 'accept-encoding': 'identity' }
    if (st.offset > 0 && st.ifRange) {
      headers.range = `bytes=${st.offset}-`
      headers['if-range'] = st.ifRange
    }
    try {
      res = await (opts.fetch ?? fetch)(st.url, { headers, signal, redirect: 'manual' })
    } catch (e) {
      throw stopped() ?? transportError(e)
    }
    idle.touch()

    if (res.status !== 200 && res.status !== 206 && res.status !== 416) {
      const body = await readErrorBody(res)
      const stop = stopped()
      if (stop) throw stop
      const error = ossHttpError(res.status, body, res.headers)
      if (isUrlExpired(res.status, body)) return { kind: 'renew', error }
      throw error
    }
    const decision = decideResume({ partSize: st.offset, ifRange: st.ifRange, status: res.status, headers: res.headers })
    if (decision.action === 'refetch') {
      discard(res)
      return { kind: 'refetch', reason: decision.reason }
    }
    if (decision.action === 'error') {
      discard(res)
      throw new CccError({ code: 'Http.Unexpected', status: res.status, message: `Recording storage sent a reply that makes no sense: ${decision.reason}` })
    }

    const append = decision.action === 'append'
    const offset = append ? st.offset : 0
    const total = decision.total
    const etag = strongEtag(res.headers.get('etag'))
    let fh
    try {
      fh = await openPart(paths.part, offset)
    } catch (e) {
      discard(res)
      throw e
    }
    let committed = false
    try {
      // The sidecar never names a version the bytes are not. Resumed bytes are on disk already, so
      // it is settled now; a fresh body is settled before its first bytes that leave the .part
      // incomplete (streamBody), and a body written whole in one go needs none: a small file then
      // costs no sidecar at all, two fewer file operations per file.
      const crcHeader = parseCrc64(res.headers.get('x-oss-hash-crc64ecma'))
      let settleSidecar: (() => Promise<void>) | undefined
      let sidecarTouched = false
      if (!st.sidecarRead || etag !== st.sidecar?.etag || total !== st.sidecar?.size || crcHeader !== st.sidecar?.crc64) {
        settleSidecar = () => {
          sidecarTouched = true
          return writeSidecar(paths.etag, etag === undefined ? undefined : { etag, ...(total === undefined ? {} : { size: total }), ...(crcHeader ? { crc64: crcHeader } : {}) })
        }
        if (append) {
          await settleSidecar()
          settleSidecar = undefined
        }
      }
      let crc: Crc64
      if (append) {
        crc = await crcOfPrefix(fh, offset, () => {
          idle.touch()
          if (userSignal?.aborted) throw abortErrorOf(userSignal)
        })
      } else {
        crc = new Crc64()
      }
      // Content-MD5 only where OSS sent no CRC-64: the CRC covers the same bytes, and hashing
      // every byte twice costs as much CPU as the checksum itself.
      const contentMd5 = append || crcHeader !== undefined ? null : res.headers.get('content-md5')
      const md5: Hash | undefined = contentMd5 ? createHash('md5') : undefined

      const { size, failure, overflow } = await streamBody(res, fh, { offset, total, crc, md5, idle, opts, partFile: paths.part, settleSidecar })
      if (failure) {
        const stop = stopped()
        if (stop) throw stop
        // Every promised byte arrived before the connection broke: judge the file as usual.
        if (total === undefined || size !== total) throw truncatedError(size, total, failure)
      }
      const digest = crc.digest()
      const verdict = overflow
        ? 'corrupt'
        : judgeBody({
            size,
            total,
            crc64: crc64Matches(res.headers.get('x-oss-hash-crc64ecma'), digest),
            md5: md5 && contentMd5 ? md5Matches(contentMd5, md5.digest()) : undefined,
          })
      if (verdict === 'truncated') throw truncatedError(size, total)
      if (verdict === 'corrupt') {
        await fh.close().catch(() => {})
        await dropPart(paths)
        throw new CccError({
          code: 'ChecksumMismatch',
          message: overflow
            ? `Recording storage sent more than the ${total} bytes it announced`
            : `The downloaded file (${size} bytes) failed its CRC-64/MD5 check`,
        })
      }
      committed = true
      await commitPart(fh, paths, { noSidecar: st.noSidecar && !sidecarTouched })
      return {
        kind: 'done',
        result: {
          bytes: size,
          crc64: digest,
          ...(etag ? { etag } : {}),
          resumedFrom: offset,
          restarted: st.hadPart && !append,
        },
      }
    } finally {
      // Closing twice is harmless; what matters is that a kept .part is closed.
      if (!committed) await fh.close().catch(() => {})
    }
  } finally {
    idle.stop()
    userSignal?.removeEventListener('abort', onUserAbort)
    // Whatever path we left by, an unread body must not hold the connection.
    if (res) discard(res)
  }
}

interface StreamOutcome {
  /** Bytes of the whole file on disk. */
  size: number
  /** The read error that ended the body early, if any. */
  failure?: unknown
  /** The body ran past the announced length. */
  overflow?: boolean
}

/**
 * The hot path: each chunk goes through the CRC (and MD5 when there is no CRC header) and joins
 * a batch; a batch goes to disk in one write once it holds WRITE_BATCH bytes, when the body
 * ends, or when the transfer stops early (a reset, a timeout, a pause), so a later call resumes
 * from every byte received. That write is awaited before the next chunk is read, which is the
 * backpressure. Per chunk: no copy and no file operation; per file of up to WRITE_BATCH bytes:
 * one write.
 */
async function streamBody(
  res: Response,
  fh: FileHandle,
  ctx: {
    offset: number
    total: number | undefined
    crc: Crc64
    md5: Hash | undefined
    idle: IdleTimer
    opts: DownloadObjectOptions
    partFile: string
    /** Writes the sidecar; due before the first bytes that leave the .part incomplete. */
    settleSidecar: (() => Promise<void>) | undefined
  },
): Promise<StreamOutcome> {
  const { total, crc, md5, idle } = ctx
  const { onProgress, throttle, signal: userSignal } = ctx.opts
  // Bytes of the .part on disk, and the batch received after them.
  let position = ctx.offset
  let batch: Uint8Array[] = []
  let batched = 0
  let settleSidecar = ctx.settleSidecar
  const flush = async (whole: boolean): Promise<void> => {
    if (batched === 0) return
    try {
      if (!whole && settleSidecar) {
        await settleSidecar()
        settleSidecar = undefined
      }
      await writeAllv(fh, batch, position)
    } catch (e) {
      throw localError(e, 'write', ctx.partFile)
    }
    position += batched
    batch = []
    batched = 0
  }
  /** The transfer stopped early: what arrived goes to disk, so the next call continues from it. */
  const stop = async (failure: unknown): Promise<StreamOutcome> => {
    try {
      await flush(false)
    } catch {
      // The bytes on disk are still a prefix of the object: the next call continues from there.
    }
    return { size: position, failure }
  }
  if (!res.body) return { size: position }
  const reader = res.body.getReader()
  try {
    for (;;) {
      if (userSignal?.aborted) return await stop(userSignal.reason)
      let chunk: ReadableStreamReadResult<Uint8Array>
      try {
        chunk = await reader.read()
      } catch (e) {
        return await stop(e)
      }
      if (chunk.done) {
        const received = position + batched
        // A body that may be short is written as a partial one: with its sidecar.
        await flush(total !== undefined && received === total)
        return { size: position }
      }
      const buf = chunk.value
      idle.touch()
      if (total !== undefined && position + batched + buf.length > total) return { size: position + batched, overflow: true }
      crc.update(buf)
      md5?.update(buf)
      batch.push(buf)
      batched += buf.length
      onProgress?.(buf.length, position + batched)
      if (batched >= WRITE_BATCH) {
        const whole = total !== undefined && position + batched === total
        await flush(whole)
        idle.touch()
      }
      if (throttle) {
        idle.pause()
        try {
          await throttle(buf.length)
        } catch (e) {
          if (userSignal?.aborted) return await stop(userSignal.reason)
          await stop(e)
          throw e
        }
        idle.touch()
      }
    }
  } finally {
    reader.cancel().catch(() => {})
  }
}
