import { CccError } from '../../common/errors.ts'
import { badContent, refusedEncoding } from './content-kind.ts'
import { isUrlExpired, ossHttpError, transportError } from './oss-errors.ts'
import type { ObjectVersion, PartFile } from './part-file.ts'
import { stoppableReads } from './stoppable-reads.ts'
import type { TransferWatch } from './transfer-watch.ts'
import { decideResume, parseCrc64, strongEtag } from './verify.ts'

/**
 * The first half of an attempt: the GET the `.part` calls for, and what its reply means for the
 * `.part` (verify.ts decides; this reads the headers and the error bodies).
 */

/** A reply whose body is the object's bytes: continue the `.part` (206) or start it over (200). */
export interface BodyReply extends ObjectVersion {
  readonly kind: 'body'
  readonly append: boolean
  /**
   * Checked only on a whole body without a CRC-64 header: the CRC covers the same bytes, and
   * hashing every byte twice costs as much CPU as the checksum itself.
   */
  readonly contentMd5: string | null
  /** Judged only for a body without a checksum: a page is never a recording. */
  readonly contentType: string | null
}

export type Reply =
  | BodyReply
  /** The presigned URL expired: worth one more try with a fresh one. */
  | { readonly kind: 'renew'; readonly error: CccError }
  /** The reply cannot continue this `.part`: drop it and ask again for the whole object. */
  | { readonly kind: 'refetch'; readonly reason: string }

// Enough for any OSS error document, small enough to ignore a hostile body.
const ERROR_BODY_LIMIT = 16 * 1024

/** Range + If-Range from the end of a `.part` whose version is known; the whole object otherwise. */
export function requestHeaders(part: PartFile): Record<string, string> {
  const headers: Record<string, string> = { 'accept-encoding': 'identity' }
  const validator = part.validator
  if (validator !== undefined) {
    headers.range = `bytes=${part.size}-`
    headers['if-range'] = validator
  }
  return headers
}

export async function request(fetchFn: typeof fetch, url: string, part: PartFile, watch: TransferWatch): Promise<Response> {
  let res: Response
  try {
    res = await fetchFn(url, { headers: requestHeaders(part), signal: watch.signal, redirect: 'manual' })
  } catch (e) {
    throw watch.stopped() ?? transportError(e)
  }
  watch.touch()
  return res
}

/** What the reply means for the `.part`; an error reply is thrown as its catalog code. */
export async function decide(res: Response, part: PartFile, watch: TransferWatch): Promise<Reply> {
  if (res.status !== 200 && res.status !== 206 && res.status !== 416) {
    const body = await readErrorBody(res, watch.signal)
    const stop = watch.stopped()
    if (stop) throw stop
    const error = ossHttpError(res.status, body, res.headers)
    if (isUrlExpired(res.status, body)) return { kind: 'renew', error }
    throw error
  }
  const validator = part.validator
  const offset = validator === undefined ? 0 : part.size
  const decision = decideResume({ partSize: offset, ifRange: validator, status: res.status, headers: res.headers })
  if (decision.action === 'refetch') {
    discard(res)
    return { kind: 'refetch', reason: decision.reason }
  }
  if (decision.action === 'error') {
    discard(res)
    throw new CccError({ code: 'Http.Unexpected', status: res.status, message: `Recording storage sent a reply that makes no sense: ${decision.reason}` })
  }
  const encoding = refusedEncoding(res.headers)
  if (encoding !== undefined) {
    discard(res)
    throw badContent(`Recording storage sent the body with Content-Encoding "${encoding.slice(0, 40)}" although identity was asked: something on the way rewrote it`)
  }
  const append = decision.action === 'append'
  const crc64 = parseCrc64(res.headers.get('x-oss-hash-crc64ecma'))
  return {
    kind: 'body',
    append,
    etag: strongEtag(res.headers.get('etag')),
    total: decision.total,
    crc64,
    contentMd5: append || crc64 !== undefined ? null : res.headers.get('content-md5'),
    contentType: res.headers.get('content-type'),
  }
}

async function readErrorBody(res: Response, signal: AbortSignal): Promise<string> {
  if (!res.body) return ''
  const reader = res.body.getReader()
  // A stop while an error body stalls must end the call, as it does a recording's body.
  const reads = stoppableReads(reader, signal)
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    while (size < ERROR_BODY_LIMIT) {
      const { done, value } = await reads.next()
      if (done) break
      chunks.push(value)
      size += value.length
    }
  } catch {
    // what we have is all we need
  } finally {
    reads.dispose()
    reader.cancel().catch(() => {})
  }
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * Lets go of a body nobody will read. A locked body is already handled by the reader that
 * locked it (every one cancels in its `finally`), and cancelling it anyway only rejects with an
 * error whose stack trace costs more than the rest of a small file's bookkeeping.
 */
export function discard(res: Response): void {
  if (res.body && !res.body.locked) res.body.cancel().catch(() => {})
}
