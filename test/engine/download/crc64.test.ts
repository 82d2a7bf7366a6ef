import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'
import { promisify } from 'node:util'
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

  it('gives the same digests without WebAssembly, through the JavaScript loop', async () => {
    // --jitless leaves V8 without WebAssembly, as some locked-down runtimes are.
    const module = resolve('main/engine/download/crc64.ts')
    const lengths = [0, 15, 16, 17, 4096, 10_007]
    const buffers = lengths.map((n) => randomBytes(n).toString('base64'))
    const script = `
      import { crc64 } from ${JSON.stringify(module)}
      console.log(JSON.stringify({ wasm: typeof WebAssembly, digests: ${JSON.stringify(buffers)}.map((b) => crc64(Buffer.from(b, 'base64'))) }))
    `
    const { stdout } = await promisify(execFile)(process.execPath, ['--jitless', '--import', 'tsx', '--input-type=module', '-e', script])
    const out = JSON.parse(stdout) as { wasm: string; digests: string[] }
    expect(out.wasm).toBe('undefined')
    expect(out.digests).toEqual(buffers.map((b) => reference(Buffer.from(b, 'base64'))))
  })
})
