import { createHash } from 'node:crypto'
import { CccError } from '../../common/errors.ts'
import type { VerifiedBy } from './content-kind.ts'
import { judgeDownload } from './judge-download.ts'
import { PartFile } from './part-file.ts'
import { PartChanged } from './part-io.ts'
import { decide, discard, request, type Reply } from './request.ts'
import { secureUrl } from './secure-url.ts'
import { streamBody } from './stream-body.ts'
import { abortErrorOf, TransferWatch } from './transfer-watch.ts'

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
  /**
   * A body slower than this for `speedWindowMs` stops the attempt with `Transfer.TooSlow`, the
   * `.part` kept for a Range resume (curl's --speed-limit). Default 1024; 0 turns it off. The
   * waits in `throttle` do not count.
   */
  minBytesPerSecond?: number
  /** Default 30 s (curl's --speed-time). */
  speedWindowMs?: number
}

export interface DownloadResult {
  /** Size of the final file. */
  bytes: number
  /** CRC-64/XZ of the final file, decimal (what OSS sends in `x-oss-hash-crc64ecma`). */
  crc64: string
  /** SHA-256 of the final file, hex, computed as it streamed in. */
  sha256: string
  etag?: string
  /** Bytes of the `.part` that were kept and continued (0 for a whole download). */
  resumedFrom: number
  /** A `.part` existed but had to be thrown away (other version, no ETag to resume it with). */
  restarted: boolean
  /**
   * What proved the file is the object: the CRC-64 OSS sent, its Content-MD5, or (with neither,
   * as through some proxies) only its announced length and a recording's own first bytes.
   */
  verifiedBy: VerifiedBy
}

const DEFAULT_TIMEOUT_MS = 60_000
const DEFAULT_MAX_RENEWALS = 2
// A server that keeps answering with ranges nobody asked for will not improve on a third try.
const MAX_REFETCHES = 1

type AttemptOutcome = { kind: 'done'; result: DownloadResult } | Exclude<Reply, { kind: 'body' }>

export async function downloadObject(opts: DownloadObjectOptions): Promise<DownloadResult> {
  const { signal } = opts
  if (signal?.aborted) throw abortErrorOf(signal)
  let url = secureUrl(opts.url)
  // One PartFile for every attempt: it knows what each left on disk, so nothing is looked at twice.
  const part = await PartFile.open(opts.dest, { fresh: opts.fresh === true, etag: opts.etag })
  const kept = await part.commitIfWhole(() => {
    if (signal?.aborted) throw abortErrorOf(signal)
  })
  if (kept) return { ...kept, resumedFrom: kept.bytes, restarted: false, verifiedBy: 'crc64' }
  let renewals = 0
  let refetches = 0
  const maxRenewals = opts.maxRenewals ?? DEFAULT_MAX_RENEWALS
  for (;;) {
    const outcome = await attempt(opts, part, url)
    if (outcome.kind === 'done') return outcome.result
    if (outcome.kind === 'refetch') {
      if (++refetches > MAX_REFETCHES) {
        throw new CccError({ code: 'Http.Unexpected', message: `Recording storage cannot continue the download: ${outcome.reason}` })
      }
      const had = part.size
      await part.drop()
      dropped(opts, had)
      continue
    }
    if (!opts.renewUrl || renewals >= maxRenewals) throw outcome.error
    renewals++
    url = secureUrl(await opts.renewUrl())
    if (signal?.aborted) throw abortErrorOf(signal)
  }
}

/** One GET: request → decide what the reply means → stream into the `.part` → judge → commit. */
async function attempt(opts: DownloadObjectOptions, part: PartFile, url: string): Promise<AttemptOutcome> {
  const speed = { ...(opts.minBytesPerSecond === undefined ? {} : { minBytesPerSecond: opts.minBytesPerSecond }), ...(opts.speedWindowMs === undefined ? {} : { windowMs: opts.speedWindowMs }) }
  const watch = new TransferWatch(opts.signal, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, speed)
  let res: Response | undefined
  try {
    res = await request(opts.fetch ?? fetch, url, part, watch)
    const reply = await decide(res, part, watch)
    if (reply.kind !== 'body') return reply
    if (reply.append) {
      try {
        await part.resume(reply, () => watch.checkpoint())
      } catch (e) {
        if (!(e instanceof PartChanged)) throw e
        return { kind: 'refetch', reason: e.message }
      }
    } else {
      const had = part.size
      await part.restart(reply)
      dropped(opts, had)
    }
    const resumedFrom = part.size
    const md5 = reply.contentMd5 ? createHash('md5') : undefined
    const streamed = await streamBody(res, { part, total: reply.total, md5, watch, onProgress: opts.onProgress, throttle: opts.throttle })
    const had = part.size
    const verifiedBy = await judgeDownload(streamed, reply, part, md5, watch).catch((e: unknown) => {
      // A corrupt or unverifiable body was dropped: its bytes are no longer the file's.
      if (part.size === 0) dropped(opts, had)
      throw e
    })
    const done = await part.commit()
    return { kind: 'done', result: { ...done, ...(reply.etag ? { etag: reply.etag } : {}), resumedFrom, restarted: part.startedOver, verifiedBy } }
  } finally {
    // A .part kept for a resume is closed; an unread body must not hold the connection.
    await part.close()
    watch.dispose()
    if (res) discard(res)
  }
}

/**
 * The bytes shown for the file drop back at once when its `.part` is started over, not at the
 * next chunk: a file stopped in between would otherwise be kept as paused on bytes it no longer has.
 */
function dropped(opts: DownloadObjectOptions, had: number): void {
  if (had > 0) opts.onProgress?.(0, 0)
}
