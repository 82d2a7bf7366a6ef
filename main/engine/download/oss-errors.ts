import { CccError } from '../../common/errors.ts'
import { causeChain } from '../error-causes.ts'
import { deepestReason, isProxyAuthFailure } from '../net/proxy-auth.ts'
import type { HeaderSource } from './verify.ts'

/**
 * OSS replies and transport failures as our error codes (ccc-api.md §5). Messages carry the OSS
 * code and message only: an OSS error body may echo the request (`StringToSign`, `OSSAccessKeyId`,
 * `SignatureProvided`), and the URL itself is signed, so neither ever goes into an error.
 */

function xmlField(body: string, field: string): string | undefined {
  const m = new RegExp(`<${field}>([^<]{0,500})</${field}>`).exec(body)
  return m?.[1]?.trim()
}

/** OSS checks `Expires` before the signature: 403 AccessDenied "Request has expired." */
export function isUrlExpired(status: number, body: string): boolean {
  return status === 403 && xmlField(body, 'Code') === 'AccessDenied' && /request has expired/i.test(xmlField(body, 'Message') ?? '')
}

export function ossHttpError(status: number, body: string, headers: HeaderSource): CccError {
  const ossCode = xmlField(body, 'Code')
  const ossMessage = xmlField(body, 'Message')
  const requestId = headers.get('x-oss-request-id') ?? xmlField(body, 'RequestId')
  const detail = [ossCode, ossMessage].filter(Boolean).join(': ')
  const message = `Recording storage answered HTTP ${status}${detail ? ` (${detail})` : ''}`
  const init = { status, message, ...(requestId ? { requestId } : {}) }
  if (isUrlExpired(status, body)) return new CccError({ ...init, code: 'Oss.UrlExpired' })
  // An Archive-class object not restored (OSS error 0016-00000404): the CCC 2.0 restorer's cue.
  if (status === 403 && ossCode === 'InvalidObjectState') return new CccError({ ...init, code: 'Oss.Archived' })
  // A bad signature on a presigned URL is not the user's key being wrong: only this file is affected.
  if (status === 403) return new CccError({ ...init, code: 'Oss.AccessDenied' })
  if (status === 404) return new CccError({ ...init, code: 'Oss.NoSuchKey' })
  if (status === 407) return new CccError({ ...init, code: 'Network.ProxyAuth' })
  if (status === 429 || status === 502 || status === 503 || status === 504) {
    return new CccError({ ...init, code: 'ServiceUnavailable' })
  }
  if (status >= 500) return new CccError({ ...init, code: 'InternalError' })
  if (status >= 300 && status < 400) {
    return new CccError({ ...init, code: 'Http.Unexpected', message: `${message}: a redirect, which a presigned URL never needs` })
  }
  return new CccError({ ...init, code: 'Http.Unexpected' })
}

/** The Node error code behind a fetch failure (`TypeError: fetch failed` wraps the real one). */
function causeCode(e: unknown): string | undefined {
  for (const c of causeChain(e)) {
    const code = (c as { code?: unknown }).code
    if (typeof code === 'string') return code
  }
  return undefined
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT'])

/** A failure to get any reply at all. */
export function transportError(e: unknown): CccError {
  if (isProxyAuthFailure(e)) return new CccError({ code: 'Network.ProxyAuth', message: `Could not reach recording storage: ${deepestReason(e)}` })
  const code = causeCode(e)
  if (code && TIMEOUT_CODES.has(code)) {
    return new CccError({ code: 'Timeout', message: `Recording storage did not answer in time (${code})` })
  }
  return new CccError({ code: 'Network', message: `Could not reach recording storage (${code ?? 'network error'})` })
}

/** A failure after the reply began: the bytes so far stay in the `.part` for a Range resume. */
export function truncatedError(received: number, total: number | undefined, e?: unknown): CccError {
  const code = e === undefined ? undefined : causeCode(e)
  const of = total === undefined ? '' : ` of ${total}`
  return new CccError({
    code: 'BodyTruncated',
    message: `The transfer was cut short at byte ${received}${of}${code ? ` (${code})` : ''}`,
  })
}
