import { describe, expect, it } from 'vitest'
import { isUrlExpired, ossHttpError, transportError, truncatedError } from '../../../main/engine/download/oss-errors.ts'
import { deepestReason, isProxyAuthFailure } from '../../../main/engine/net/proxy-auth.ts'

const xml = (code: string, message: string, extra = '') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>${code}</Code>\n  <Message>${message}</Message>\n  <RequestId>5C3D9175B6FC201293AD4890</RequestId>${extra}\n</Error>\n`
const expired = xml('AccessDenied', 'Request has expired.', '<Expires>2018-07-12T13:16:04.000Z</Expires><ServerTime>2018-07-12T14:00:00.000Z</ServerTime>')
const none = new Headers()

describe('isUrlExpired', () => {
  it('is the 403 AccessDenied "Request has expired." reply only', () => {
    expect(isUrlExpired(403, expired)).toBe(true)
    expect(isUrlExpired(400, expired)).toBe(false)
    expect(isUrlExpired(403, xml('AccessDenied', 'You have no right to access this object because of bucket acl.'))).toBe(false)
    expect(isUrlExpired(403, xml('SignatureDoesNotMatch', 'Request has expired.'))).toBe(false)
    expect(isUrlExpired(403, '')).toBe(false)
  })
})

describe('ossHttpError', () => {
  it('maps statuses to our codes and handlings', () => {
    const cases: Array<[number, string, string, string]> = [
      [403, expired, 'Oss.UrlExpired', 'renew-url'],
      [403, xml('SignatureDoesNotMatch', 'The request signature we calculated does not match'), 'Oss.AccessDenied', 'skip'],
      [404, xml('NoSuchKey', 'The specified key does not exist.'), 'Oss.NoSuchKey', 'skip'],
      [500, xml('InternalError', 'We encountered an internal error.'), 'InternalError', 'retry'],
      [503, xml('ServiceUnavailable', 'Please reduce your request rate.'), 'ServiceUnavailable', 'retry'],
      [502, '<html>Bad Gateway</html>', 'ServiceUnavailable', 'retry'],
      [504, '', 'ServiceUnavailable', 'retry'],
      [429, '', 'ServiceUnavailable', 'retry'],
      [407, '<html>Proxy Authentication Required</html>', 'Network.ProxyAuth', 'fatal'],
      [301, xml('PermanentRedirect', 'The bucket you are attempting to access must be addressed using the specified endpoint.'), 'Http.Unexpected', 'skip'],
      [400, xml('InvalidArgument', 'Bad.'), 'Http.Unexpected', 'skip'],
    ]
    for (const [status, body, code, handling] of cases) {
      const e = ossHttpError(status, body, none)
      expect([e.code, e.handling, e.status], `${status} ${code}`).toEqual([code, handling, status])
    }
  })

  it('keeps the OSS code, message and request ID, nothing an error body may echo', () => {
    const body = xml(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided.',
      '<StringToSign>GET\n\n\n1531401364\n/bucket/record/x.wav</StringToSign><OSSAccessKeyId>LTAIvKWEr4DoFSqz</OSSAccessKeyId><SignatureProvided>ktGp7huo71JFYcxiVYMZmygsXmE=</SignatureProvided>',
    )
    const e = ossHttpError(403, body, new Headers({ 'x-oss-request-id': 'ABC123' }))
    expect(e.message).toContain('SignatureDoesNotMatch')
    expect(e.requestId).toBe('ABC123')
    for (const secret of ['LTAIvKWEr4DoFSqz', 'ktGp7huo71JFYcxiVYMZmygsXmE=', '1531401364']) expect(e.message).not.toContain(secret)
    expect(ossHttpError(404, xml('NoSuchKey', 'x'), none).requestId).toBe('5C3D9175B6FC201293AD4890')
  })
})

describe('transport errors', () => {
  it('names the cause code, and tells timeouts from other failures', () => {
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) })
    expect(transportError(refused).code).toBe('Network')
    expect(transportError(refused).message).toContain('ECONNREFUSED')
    const slow = new TypeError('fetch failed', { cause: Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT' }) })
    expect(transportError(slow).code).toBe('Timeout')
  })

  it('never repeats a message that may hold the URL', () => {
    const bad = new TypeError('Failed to parse URL from http://x.aliyuncs.com/a.wav?OSSAccessKeyId=LTAIabc&Signature=zzz')
    expect(transportError(bad).message).not.toContain('aliyuncs')
    const cut = truncatedError(10, 20, new TypeError('terminated', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) }))
    expect([cut.code, cut.retryable]).toEqual(['BodyTruncated', true])
    expect(cut.message).toBe('The transfer was cut short at byte 10 of 20 (UND_ERR_SOCKET)')
  })
})

describe('a proxy that wants credentials, as the clients report it', () => {
  it('is Network.ProxyAuth wherever the 407 sits in the causes (undici, Chromium), and the deepest cause is what the message says', () => {
    const undici = new TypeError('fetch failed', { cause: new Error('Request was cancelled.', { cause: Object.assign(new Error('Proxy response (407) !== 200 when HTTP Tunneling'), { code: 'UND_ERR_ABORTED' }) }) })
    expect(transportError(undici)).toMatchObject({ code: 'Network.ProxyAuth', handling: 'fatal', message: expect.stringContaining('UND_ERR_ABORTED: Proxy response (407)') })
    expect(transportError(new Error('net::ERR_PROXY_AUTH_UNSUPPORTED'))).toMatchObject({ code: 'Network.ProxyAuth' })
    // Any other failure to reach the storage stays a network failure, with its deepest cause named.
    const refused = new TypeError('fetch failed', { cause: new Error('Request was cancelled.', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) }) })
    expect(transportError(refused)).toMatchObject({ code: 'Network' })
    expect(isProxyAuthFailure(refused)).toBe(false)
    expect(deepestReason(refused)).toBe('ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1')
  })
})
