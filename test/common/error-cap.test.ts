import { describe, expect, it } from 'vitest'
import { CccError, capText, MAX_MESSAGE_CHARS } from '../../main/common/errors.ts'
import { registerSecret } from '../../main/common/redact.ts'

describe('a CccError from a server that says too much', () => {
  it('keeps the first 2 KB of its message and says how much was left out', () => {
    const e = new CccError({ code: 'InternalError', message: 'x'.repeat(500_000) })
    expect(e.message.length).toBeLessThan(MAX_MESSAGE_CHARS + 40)
    expect(e.message).toBe(`${'x'.repeat(MAX_MESSAGE_CHARS)}… (${500_000 - MAX_MESSAGE_CHARS} more characters)`)
    expect(e.toData().message).toBe(e.message)
  })

  it('caps a huge code and request ID too, and a short message is left alone', () => {
    const e = new CccError({ code: `=${'A'.repeat(10_000)}`, message: 'short', requestId: 'R'.repeat(10_000) })
    expect(e.code.length).toBeLessThan(200)
    expect(e.requestId!.length).toBeLessThan(200)
    expect(e.message).toBe('short')
    expect(e.handling).toBe(new CccError({ code: 'NoSuchCode', message: '' }).handling)
  })

  it('redacts before it cuts, so a secret at the cut is not half shown', () => {
    const secret = 'Sup3rSecretValue-0123456789'
    registerSecret(secret)
    const message = `${'y'.repeat(MAX_MESSAGE_CHARS - 10)}${secret}${'z'.repeat(200_000)}`
    const e = new CccError({ code: 'InternalError', message })
    expect(e.message).not.toContain(secret.slice(0, 10))
    expect(e.message.startsWith('y'.repeat(MAX_MESSAGE_CHARS - 10))).toBe(true)
  })

  it('redacts a code that echoes a secret, as a hostile server may, before it is journalled or shown', () => {
    const token = 'CAISreviewSts+Tok/en==Zz9876'
    registerSecret(token)
    const e = new CccError({ code: `Echo.${token}`, message: 'x' })
    expect(e.code).toBe('Echo.<redacted>')
    expect(e.toData().code).toBe('Echo.<redacted>')
  })

  it('never splits a surrogate pair', () => {
    const out = capText(`${'a'.repeat(9)}😀😀`, 10)
    expect(out.startsWith(`${'a'.repeat(9)}…`)).toBe(true)
  })
})
