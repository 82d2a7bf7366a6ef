import { describe, expect, it } from 'vitest'
import { maskAccessKeyId, redact, registerSecret } from '../../main/common/redact.ts'
import { percentEncode } from '../../main/engine/ccc/sign.ts'

describe('redact', () => {
  it('removes the signed part of presigned OSS URLs', () => {
    const url = 'http://cloudcallcenter-online.oss-cn-shanghai.aliyuncs.com/record/i/153128491143400080327683.wav?Expires=1531401364&OSSAccessKeyId=LTAIvKWEr4DoFSqz&Signature=ktGp7huo71JFYcxiVYMZmygsXmE%3D'
    const out = redact(`GET ${url} failed`)
    expect(out).not.toContain('LTAIvKWEr4DoFSqz')
    expect(out).not.toContain('ktGp7huo71JFYcxiVYMZmygsXmE')
    expect(out).toContain('153128491143400080327683.wav')
  })

  it('removes Signature and tokens from query strings and JSON', () => {
    expect(redact('a=1&Signature=abc%2B&SecurityToken=tok')).toBe('a=1&Signature=<redacted>&SecurityToken=<redacted>')
    // OSS's V1 presigned links carry an STS token as security-token.
    expect(redact('GET /bucket/key?security-token=OSSSTSTOKENvalue999 refused')).toBe('GET /bucket/key?security-token=<redacted> refused')
    expect(redact('{"SignatureUrl":"\\"http://x/y?Signature=z\\""}')).not.toContain('Signature=z')
  })

  it('removes a registered secret in plain, encoded and twice-encoded forms', () => {
    const token = 'CAIS+token/with=odd!chars*1234567890'
    registerSecret(token)
    for (const form of [token, encodeURIComponent(token), percentEncode(token), percentEncode(percentEncode(token))]) {
      expect(redact(`string to sign: ${form}`)).toBe('string to sign: <redacted>')
    }
  })

  it('masks an AccessKey ID to its ends', () => {
    expect(maskAccessKeyId('LTAI5tAbCdEf12345678')).toBe('LTAI****5678')
    expect(maskAccessKeyId('short')).toBe('****')
  })
})
