import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { Crc64, crc64 } from '../../../main/engine/download/crc64.ts'

// A bit-at-a-time reference straight from the definition, to check the sliced tables against.
function reference(buf: Uint8Array): string {
  const poly = 0xc96c5795d7870f42n
  let crc = 0xffffffffffffffffn
  for (const byte of buf) {
    crc ^= BigInt(byte)
    for (let k = 0; k < 8; k++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n
  }
  return (crc ^ 0xffffffffffffffffn).toString()
}

describe('CRC-64/XZ', () => {
  it('gives the catalogue check value for "123456789"', () => {
    expect(BigInt(crc64(Buffer.from('123456789'))).toString(16)).toBe('995dc9bbdf1939fa')
  })

  it('is 0 for no bytes', () => {
    expect(crc64(new Uint8Array())).toBe('0')
  })

  it('matches the bitwise definition on random data of every length mod 8', () => {
    for (let len = 0; len < 40; len++) {
      const buf = randomBytes(len)
      expect(crc64(buf), `length ${len}`).toBe(reference(buf))
    }
  })

  it('matches the bitwise definition across the kernel blocks of four 1 KiB streams', () => {
    for (const len of [4095, 4096, 4097, 8200, 12_287, 20_000]) {
      const buf = randomBytes(len)
      expect(crc64(buf), `length ${len}`).toBe(reference(buf))
    }
  })

  it('gives the same digest however the stream is chunked', () => {
    const buf = randomBytes(10_007)
    const whole = crc64(buf)
    const c = new Crc64()
    let i = 0
    for (const step of [1, 7, 8, 13, 4096, 3, 5000]) {
      c.update(buf.subarray(i, i + step))
      i += step
    }
    c.update(buf.subarray(i))
    expect(c.digest()).toBe(whole)
  })
})
