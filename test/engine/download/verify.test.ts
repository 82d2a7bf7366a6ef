import { describe, expect, it } from 'vitest'
import { crc64 } from '../../../main/engine/download/crc64.ts'
import { createHash } from 'node:crypto'
import {
  bodyLength,
  crc64Matches,
  decideResume,
  judgeBody,
  md5Matches,
  parseContentMd5,
  parseContentRange,
  parseCrc64,
  parseLength,
  strongEtag,
} from '../../../main/engine/download/verify.ts'

const h = (o: Record<string, string>) => new Headers(o)
const ETAG = '"0A1B2C3D4E5F60718293A4B5C6D7E8F9"'

describe('parseContentRange', () => {
  it('reads bytes a-b/total and a-b/*', () => {
    expect(parseContentRange('bytes 100-199/200')).toEqual({ start: 100, end: 199, total: 200 })
    expect(parseContentRange('bytes 0-0/1')).toEqual({ start: 0, end: 0, total: 1 })
    expect(parseContentRange('bytes 5-9/*')).toEqual({ start: 5, end: 9, total: undefined })
  })

  it('rejects what is not one satisfied range', () => {
    for (const v of ['', 'bytes */200', 'bytes 10-5/20', 'bytes 0-200/200', 'items 0-1/2', 'bytes 0-1', 'bytes a-b/c', null, undefined]) {
      expect(parseContentRange(v), String(v)).toBeUndefined()
    }
  })
})

describe('parseLength / bodyLength', () => {
  it('takes plain digits only', () => {
    expect(parseLength('1024')).toBe(1024)
    expect(parseLength('0')).toBe(0)
    expect(parseLength('-1')).toBeUndefined()
    expect(parseLength('1e3')).toBeUndefined()
    expect(parseLength('99999999999999999999')).toBeUndefined()
  })

  it('ignores Content-Length under a content encoding', () => {
    expect(bodyLength(h({ 'content-length': '10' }))).toBe(10)
    expect(bodyLength(h({ 'content-length': '10', 'content-encoding': 'identity' }))).toBe(10)
    expect(bodyLength(h({ 'content-length': '10', 'content-encoding': 'gzip' }))).toBeUndefined()
  })
})

describe('strongEtag', () => {
  it('keeps quoted strong validators only', () => {
    expect(strongEtag(ETAG)).toBe(ETAG)
    expect(strongEtag(` ${ETAG} `)).toBe(ETAG)
    expect(strongEtag(`W/${ETAG}`)).toBeUndefined()
    expect(strongEtag('abc')).toBeUndefined()
    expect(strongEtag(null)).toBeUndefined()
  })
})

describe('decideResume', () => {
  it('appends a 206 that starts where the .part ends and runs to the end', () => {
    const d = decideResume({
      partSize: 100,
      ifRange: ETAG,
      status: 206,
      headers: h({ 'content-range': 'bytes 100-299/300', 'content-length': '200', etag: ETAG }),
    })
    expect(d).toEqual({ action: 'append', total: 300 })
  })

  it('restarts on 200 (stale If-Range, unsatisfiable range), whatever was asked', () => {
    expect(decideResume({ partSize: 100, ifRange: ETAG, status: 200, headers: h({ 'content-length': '300' }) })).toEqual({
      action: 'restart',
      total: 300,
    })
    expect(decideResume({ partSize: 0, status: 200, headers: h({}) })).toEqual({ action: 'restart', total: undefined })
  })

  it('asks again whole when the 206 cannot continue the .part', () => {
    const cases: Array<[number, Record<string, string>]> = [
      [100, { 'content-range': 'bytes 50-299/300' }], // another start
      [100, { 'content-range': 'bytes 100-199/300' }], // stops short of the end
      [100, { 'content-range': 'bytes 100-299/300', etag: '"FFFF"' }], // If-Range ignored, other version
    ]
    for (const [partSize, headers] of cases) {
      expect(decideResume({ partSize, ifRange: ETAG, status: 206, headers: h(headers) }).action, JSON.stringify(headers)).toBe('refetch')
    }
    expect(decideResume({ partSize: 300, ifRange: ETAG, status: 416, headers: h({}) }).action).toBe('refetch')
  })

  it('calls nonsense an error', () => {
    expect(decideResume({ partSize: 0, status: 206, headers: h({ 'content-range': 'bytes 0-9/10' }) }).action).toBe('error')
    expect(decideResume({ partSize: 10, status: 206, headers: h({}) }).action).toBe('error')
    expect(decideResume({ partSize: 10, status: 206, headers: h({ 'content-range': 'bytes 10-19/*' }) }).action).toBe('error')
    expect(
      decideResume({ partSize: 10, status: 206, headers: h({ 'content-range': 'bytes 10-19/20', 'content-length': '5' }) }).action,
    ).toBe('error')
    expect(decideResume({ partSize: 0, status: 204, headers: h({}) }).action).toBe('error')
  })
})

describe('checksums', () => {
  const data = Buffer.from('123456789')
  const crc = crc64(data) // 0x995DC9BBDF1939FA

  it('compares CRC-64 as decimal numbers', () => {
    expect(crc).toBe(BigInt('0x995DC9BBDF1939FA').toString())
    expect(crc64Matches(crc, crc)).toBe(true)
    expect(crc64Matches(`00${crc}`, crc)).toBe(true)
    expect(crc64Matches('12345', crc)).toBe(false)
    expect(crc64Matches(null, crc)).toBeUndefined()
    expect(crc64Matches('0x99', crc)).toBeUndefined()
    expect(parseCrc64('18446744073709551616')).toBeUndefined() // 2^64
    expect(parseCrc64('18446744073709551615')).toBe('18446744073709551615')
  })

  it('compares Content-MD5 as base64 of the digest', () => {
    const digest = createHash('md5').update(data).digest()
    expect(md5Matches(digest.toString('base64'), digest)).toBe(true)
    expect(md5Matches(createHash('md5').update('x').digest('base64'), digest)).toBe(false)
    expect(md5Matches(undefined, digest)).toBeUndefined()
    expect(parseContentMd5(digest.toString('hex'))).toBeUndefined()
  })
})

describe('judgeBody', () => {
  it('uses the known length first', () => {
    expect(judgeBody({ size: 10, total: 20, crc64: false })).toBe('truncated')
    expect(judgeBody({ size: 21, total: 20, crc64: true })).toBe('corrupt')
    expect(judgeBody({ size: 20, total: 20, crc64: false })).toBe('corrupt')
    expect(judgeBody({ size: 20, total: 20, crc64: true, md5: false })).toBe('corrupt')
    expect(judgeBody({ size: 20, total: 20, crc64: true, md5: true })).toBe('ok')
    expect(judgeBody({ size: 20, total: 20 })).toBe('ok')
  })

  it('without a length, a failed check means cut short (to be resumed and judged again)', () => {
    expect(judgeBody({ size: 10, total: undefined, crc64: false })).toBe('truncated')
    expect(judgeBody({ size: 10, total: undefined, md5: false })).toBe('truncated')
    expect(judgeBody({ size: 10, total: undefined, crc64: true })).toBe('ok')
  })
})
