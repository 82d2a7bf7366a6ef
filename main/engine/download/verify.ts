/**
 * The pure rules of a resumable, verified OSS download: Range arithmetic, what to do with a reply
 * to a resume, and whether the bytes on disk are the object (ccc-api.md §5). No I/O here.
 */

export interface HeaderSource {
  get(name: string): string | null
}

export interface ContentRange {
  readonly start: number
  readonly end: number // inclusive
  readonly total: number | undefined // `*` when the server does not say
}

function safeInt(digits: string): number | undefined {
  const n = Number(digits)
  return Number.isSafeInteger(n) ? n : undefined
}

/** `bytes a-b/total`, or `bytes a-b/*` (total unknown); anything else, an unsatisfied range included, is undefined. */
export function parseContentRange(value: string | null | undefined): ContentRange | undefined {
  const m = /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(value ?? '')
  if (!m) return undefined
  const start = safeInt(m[1]!)
  const end = safeInt(m[2]!)
  const total = m[3] === '*' ? undefined : safeInt(m[3]!)
  if (start === undefined || end === undefined || end < start) return undefined
  if (m[3] !== '*' && (total === undefined || end >= total)) return undefined
  return { start, end, total }
}

/** A non-negative integer header such as Content-Length. */
export function parseLength(value: string | null | undefined): number | undefined {
  if (value == null || !/^\s*\d+\s*$/.test(value)) return undefined
  return safeInt(value.trim())
}

/**
 * The body length the reply promises. With a Content-Encoding, fetch hands over decoded bytes
 * and Content-Length counts encoded ones, so it promises nothing (we ask for identity anyway).
 */
export function bodyLength(headers: HeaderSource): number | undefined {
  const encoding = headers.get('content-encoding')?.trim().toLowerCase()
  if (encoding && encoding !== 'identity') return undefined
  return parseLength(headers.get('content-length'))
}

/** If-Range needs a strong validator; a weak or unquoted ETag cannot make a resume safe. */
export function strongEtag(etag: string | null | undefined): string | undefined {
  const v = etag?.trim()
  return v && /^"[^"]*"$/.test(v) ? v : undefined
}

export type ResumeDecision =
  /** 206 from exactly where the `.part` ends: append; `total` is the whole object's length. */
  | { readonly action: 'append'; readonly total: number }
  /** 200: the whole object follows (a stale If-Range or an unsatisfiable range): truncate and write. */
  | { readonly action: 'restart'; readonly total: number | undefined }
  /** The reply cannot continue this `.part` (416, another range, another ETag): drop it, ask again whole. */
  | { readonly action: 'refetch'; readonly reason: string }
  /** A reply that makes no sense for the request. */
  | { readonly action: 'error'; readonly reason: string }

export interface ResumeInput {
  /** Bytes already in the `.part`, and so the `n` of the `Range: bytes=n-` sent (0: no Range). */
  readonly partSize: number
  /** The `If-Range` sent with the Range. */
  readonly ifRange?: string | undefined
  readonly status: number
  readonly headers: HeaderSource
}

/**
 * What a successful-looking reply means for the `.part`. OSS answers a stale If-Range or an
 * unsatisfiable range with 200 and the whole object, never 416 (ccc-api.md §5): only the status
 * tells a continuation from a fresh copy.
 */
export function decideResume(input: ResumeInput): ResumeDecision {
  const { partSize, ifRange, status, headers } = input
  if (status === 200) return { action: 'restart', total: bodyLength(headers) }
  if (status === 416) return { action: 'refetch', reason: 'the range was not satisfiable' }
  if (status !== 206) return { action: 'error', reason: `unexpected HTTP status ${status}` }
  if (partSize <= 0) return { action: 'error', reason: 'a partial reply to a request without Range' }
  const range = parseContentRange(headers.get('content-range'))
  if (!range || range.total === undefined) return { action: 'error', reason: 'a partial reply without a usable Content-Range' }
  if (range.start !== partSize || range.end !== range.total - 1) {
    return { action: 'refetch', reason: `the reply covers bytes ${range.start}-${range.end}, not ${partSize}-` }
  }
  const length = bodyLength(headers)
  if (length !== undefined && length !== range.end - range.start + 1) {
    return { action: 'error', reason: 'Content-Length disagrees with Content-Range' }
  }
  // A server that ignores If-Range would splice two versions together: the ETag must still match.
  const etag = strongEtag(headers.get('etag'))
  if (ifRange !== undefined && etag !== undefined && etag !== ifRange) {
    return { action: 'refetch', reason: 'the object changed (another ETag) but the reply is partial' }
  }
  return { action: 'append', total: range.total }
}

/** `x-oss-hash-crc64ecma` as a canonical decimal string, or undefined when absent or malformed. */
export function parseCrc64(value: string | null | undefined): string | undefined {
  const v = value?.trim()
  if (!v || !/^\d{1,32}$/.test(v)) return undefined
  const n = BigInt(v)
  return n < 1n << 64n ? n.toString() : undefined
}

/** True or false when the header carries a CRC-64, undefined when there is nothing to compare. */
export function crc64Matches(header: string | null | undefined, actual: string): boolean | undefined {
  const expected = parseCrc64(header)
  return expected === undefined ? undefined : expected === parseCrc64(actual)
}

/** Content-MD5 is base64 of the 16-byte digest; anything else is undefined. */
export function parseContentMd5(value: string | null | undefined): Buffer | undefined {
  const v = value?.trim()
  if (!v || !/^[A-Za-z0-9+/]{22}==$/.test(v)) return undefined
  const digest = Buffer.from(v, 'base64')
  return digest.length === 16 ? digest : undefined
}

export function md5Matches(header: string | null | undefined, digest: Uint8Array): boolean | undefined {
  const expected = parseContentMd5(header)
  return expected === undefined ? undefined : expected.equals(digest)
}

export type BodyVerdict = 'ok' | 'truncated' | 'corrupt'

export interface BodyFacts {
  /** Bytes of the whole file on disk: the resumed prefix plus this body. */
  readonly size: number
  /** The whole object's length, when the reply said it. */
  readonly total: number | undefined
  readonly crc64?: boolean | undefined // from crc64Matches
  readonly md5?: boolean | undefined // from md5Matches
}

/**
 * Whether the file is the object. Short of a known length: truncated (resume it). At the known
 * length with a failed check: corrupt (never resume it). With no length to go by, a failed check
 * cannot tell a cut from corruption, so it counts as truncated: the resume asks with Range, whose
 * 206 carries the total and so judges the whole file again, and a resume past the real end gets
 * 200 and starts over. Either way no bad byte survives, at the cost of one request.
 */
export function judgeBody(facts: BodyFacts): BodyVerdict {
  const { size, total, crc64, md5 } = facts
  const failed = crc64 === false || md5 === false
  if (total !== undefined) {
    if (size < total) return 'truncated'
    if (size > total) return 'corrupt'
    return failed ? 'corrupt' : 'ok'
  }
  return failed ? 'truncated' : 'ok'
}
