import { describe, expect, it } from 'vitest'
import { redact, registerSecret } from '../../main/common/redact.ts'

describe('a short configured secret', () => {
  it('is redacted wherever it stands as a token, in its encoded forms too', () => {
    registerSecret('s3cr+t')
    expect(redact('AccessKeySecret s3cr+t was refused')).toBe('AccessKeySecret <redacted> was refused')
    expect(redact('string to sign: x=s3cr%2Bt&y=1')).toBe('string to sign: x=<redacted>&y=1')
    expect(redact('"s3cr+t"')).toBe('"<redacted>"')
  })

  it('does not blank out words that merely contain it', () => {
    registerSecret('abc')
    expect(redact('abcdef.wav and xabc')).toBe('abcdef.wav and xabc')
    expect(redact('secret: abc.')).toBe('secret: <redacted>.')
  })

  it('of one character is redacted alone, not every letter', () => {
    registerSecret('Q')
    expect(redact('Queue 7: secret Q')).toBe('Queue 7: secret <redacted>')
  })

  it('keeps the pattern rules for signatures and tokens', () => {
    expect(redact('a=1&Signature=abc%2B&SecurityToken=tok')).toBe('a=1&Signature=<redacted>&SecurityToken=<redacted>')
  })
})
