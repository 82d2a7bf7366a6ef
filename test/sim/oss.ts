import { randomUUID, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import { BAD_BODY_FAULTS, sendBadBody } from './bad-bodies.ts'
import { OSS_FAULTS } from './faults.ts'
import { ossSignature } from './oss-url.ts'
import { ifRangeHolds, planRange } from './range.ts'
import type { SimState } from './state.ts'
import { sendBody } from './stream.ts'
import { bump } from './types.ts'
import { escapeXml } from './xml.ts'

/**
 * OSS GetObject/HeadObject through a presigned URL: `/record/<instance>/<name>?Expires&OSSAccessKeyId&Signature`
 * (ccc-api.md §5). Expiry is checked before the signature, as OSS does.
 */

const PREFIX = '/record/'
const DEFAULT_PACE = 64 * 1024

export function isOssPath(url: string): boolean {
  return url.startsWith(PREFIX)
}

export async function handleOss(req: IncomingMessage, res: ServerResponse, state: SimState): Promise<void> {
  // 24 hex digits as OSS sends; randomUUID draws from a cached batch, randomBytes asks the system every time.
  const requestId = randomUUID().replace(/-/g, '').slice(0, 24).toUpperCase()
  const url = new URL(req.url ?? '/', 'http://sim')
  const key = decodeKey(url.pathname)
  const name = key?.split('/').slice(2).join('/') ?? ''
  const isGet = req.method === 'GET'
  const head = req.method === 'HEAD'
  const { stats } = state
  if (isGet) {
    bump(stats.ossGets, name)
    if (req.headers.range !== undefined) bump(stats.rangeGets, name)
  }
  const fail = (status: number, code: string, message: string, extra: Record<string, string> = {}): void =>
    ossError(res, head, requestId, state, status, code, message, extra)

  if (!isGet && !head) return fail(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.')
  if (key === undefined) return fail(400, 'InvalidURI', 'The URI is not valid.')
  const q = url.searchParams
  const expires = q.get('Expires')
  const accessKeyId = q.get('OSSAccessKeyId')
  const sig = q.get('Signature')
  if (expires === null || accessKeyId === null || sig === null) {
    return fail(403, 'AccessDenied', 'You have no right to access this object because of bucket acl.')
  }
  const nowSeconds = Math.floor(state.now() / 1000)
  if (!/^\d+$/.test(expires) || Number(expires) < nowSeconds) {
    stats.urlsExpired++
    return fail(403, 'AccessDenied', 'Request has expired.', {
      Expires: /^\d+$/.test(expires) ? new Date(Number(expires) * 1000).toISOString() : expires,
      ServerTime: new Date(nowSeconds * 1000).toISOString(),
    })
  }
  if (accessKeyId !== state.oss.accessKeyId) {
    return fail(403, 'InvalidAccessKeyId', 'The OSS Access Key Id you provided does not exist in our records.', {
      OSSAccessKeyId: accessKeyId,
    })
  }
  const expected = ossSignature(
    state,
    req.method ?? '',
    expires,
    key,
    header(req, 'content-md5'),
    header(req, 'content-type'),
  )
  if (!sameText(sig, expected)) {
    return fail(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    )
  }
  // Whatever else goes wrong later (a fault, a missing key), the URL itself was good and came in time.
  stats.urlsUsed.add(`${key}?${expires}&${sig}`)

  const instance = key.split('/')[1]
  if (instance !== state.instanceId || !name || !state.objects.exists(name)) {
    return fail(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key })
  }

  // An Archive-class object not restored: OSS refuses the GET, not the HEAD (test/sim/archive.ts).
  if (isGet && state.archive.blocks(name)) {
    return fail(403, 'InvalidObjectState', "The operation is not valid for the object's state", { EC: '0016-00000404' })
  }
  const fault = isGet ? state.faults.take(name, OSS_FAULTS) : undefined
  if (fault?.kind === 'drop') {
    res.socket?.resetAndDestroy()
    return
  }
  if (fault?.kind === 'oss-unavailable') {
    return fail(503, fault.code ?? 'ServiceUnavailable', 'Please reduce your request rate.')
  }

  const meta = state.objects.meta(name)
  if (fault && BAD_BODY_FAULTS.has(fault.kind)) {
    return sendBadBody(res, fault.kind, () => state.objects.read(meta, 0, meta.size), meta.crc64)
  }
  const standard = header(req, 'x-oss-range-behavior').toLowerCase() === 'standard'
  let plan = planRange(req.headers.range, meta.size, standard)
  // A stale validator means the client's partial copy is of another version: send it all (RFC 9110 §13.1.5).
  if (plan.kind === 'partial' && !ifRangeHolds(header(req, 'if-range') || undefined, meta.etag, meta.lastModified)) {
    plan = { kind: 'whole' }
  }
  if (plan.kind === 'unsatisfiable') {
    return fail(416, 'InvalidRange', 'The requested range cannot be satisfied', {
      RangeRequested: req.headers.range ?? '',
      ActualObjectSize: String(meta.size),
    })
  }

  const partial = plan.kind === 'partial'
  const start = plan.kind === 'partial' ? plan.start : 0
  const end = plan.kind === 'partial' ? plan.end + 1 : meta.size
  const truncate = fault?.kind === 'truncate' || fault?.kind === 'short-chunked'
  const noChecksum = fault?.kind === 'no-checksum' || fault?.kind === 'short-chunked'
  const reset = fault?.kind === 'reset'
  const headers: OutgoingHttpHeaders = {
    Server: 'AliyunOSS',
    'x-oss-request-id': requestId,
    'Content-Type': 'audio/wav',
    'Accept-Ranges': 'bytes',
    ETag: meta.etag,
    'Last-Modified': meta.lastModified,
    'x-oss-object-type': 'Normal',
    'x-oss-storage-class': 'Standard',
    'x-oss-hash-crc64ecma': meta.crc64,
  }
  // Without a length the reply goes out chunked, so a clean early end looks complete to HTTP.
  if (!truncate) headers['Content-Length'] = end - start
  if (partial) headers['Content-Range'] = `bytes ${start}-${end - 1}/${meta.size}`
  else headers['Content-MD5'] = meta.md5Base64
  if (noChecksum) {
    delete headers['x-oss-hash-crc64ecma']
    delete headers['Content-MD5']
  }
  res.writeHead(partial ? 206 : 200, headers)
  if (head) {
    res.end()
    return
  }
  if (partial) bump(stats.partialReplies, name)

  const length = end - start
  const status = partial ? 206 : 200
  let sent = 0
  // Capped one byte short of the body, so the fault always shows.
  const after = Math.max(0, Math.min(fault?.afterBytes ?? Math.floor(length / 2), length - 1))
  await sendBody(res, {
    read: (a, b) => state.objects.read(meta, a, b),
    start,
    end,
    ...(fault?.kind === 'slow' ? { bytesPerSecond: fault.bytesPerSecond ?? DEFAULT_PACE } : {}),
    ...((truncate || reset) && length > 0 ? { cut: { after, how: truncate ? 'truncate' : 'reset' } as const } : {}),
    onBytes: (n) => {
      stats.bytesSent += n
      sent += n
      if (state.events.listenerCount('chunk') > 0) state.events.emit('chunk', name, sent, status)
    },
  }, () => {
    bump(stats.completeBodies, name)
    if (start === 0 && end === meta.size) bump(stats.wholeBodies, name)
    state.events.emit('body', name, status, start, end, meta.size)
  })
}

/** The object key (`record/<instance>/<name>`), or undefined when the path does not decode. */
function decodeKey(pathname: string): string | undefined {
  try {
    return decodeURIComponent(pathname.slice(1))
  } catch {
    return undefined
  }
}

function header(req: IncomingMessage, name: string): string {
  const v = req.headers[name]
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '')
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

function ossError(
  res: ServerResponse,
  head: boolean,
  requestId: string,
  state: SimState,
  status: number,
  code: string,
  message: string,
  extra: Record<string, string>,
): void {
  const hostId = `${state.oss.bucket}.oss-cn-shanghai.aliyuncs.com`
  const fields = { Code: code, Message: message, RequestId: requestId, HostId: hostId, ...extra }
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n` +
    Object.entries(fields)
      .map(([k, v]) => `  <${k}>${escapeXml(v)}</${k}>\n`)
      .join('') +
    `</Error>\n`
  res.writeHead(status, {
    Server: 'AliyunOSS',
    'x-oss-request-id': requestId,
    'Content-Type': 'application/xml',
    'Content-Length': Buffer.byteLength(body),
  })
  res.end(head ? undefined : body)
}
