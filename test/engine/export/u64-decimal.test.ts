import { describe, expect, it } from 'vitest'
import { formatU64, parseU64 } from '../../../main/engine/export/u64-decimal.ts'

// BigInt is the reference: the parser exists only to avoid it on the replay's hot path.
const halves = (n: bigint): [number, number] => [Number(n >> 32n), Number(n & 0xffffffffn)]

function parsed(text: string): [number, number] | undefined {
  const out = new Uint32Array([7, 7, 7, 7])
  if (!parseU64(text, out, 1)) {
    expect(Array.from(out), `${text} left out untouched`).toEqual([7, 7, 7, 7])
    return undefined
  }
  expect([out[0], out[3]], 'only its own two places').toEqual([7, 7])
  return [out[1]!, out[2]!]
}

describe('parseU64 and formatU64', () => {
  it('agree with BigInt on random values of every width, and round-trip', () => {
    // Seeded: a failure is repeatable.
    let seed = 0x2545f491
    const next32 = (): bigint => {
      seed ^= seed << 13
      seed ^= seed >>> 17
      seed ^= seed << 5
      return BigInt(seed >>> 0)
    }
    for (let k = 0; k < 5000; k++) {
      const bits = BigInt(1 + (k % 64))
      const n = ((next32() << 32n) | next32()) & ((1n << bits) - 1n)
      const text = n.toString()
      expect(parsed(text), text).toEqual(halves(n))
      expect(formatU64(...halves(n))).toBe(text)
    }
  })

  it('takes the edges of the range, and leading zeros as the value they spell', () => {
    expect(parsed('0')).toEqual([0, 0])
    expect(parsed('4294967295')).toEqual([0, 0xffffffff])
    expect(parsed('4294967296')).toEqual([1, 0])
    expect(parsed('18446744073709551615')).toEqual([0xffffffff, 0xffffffff])
    expect(parsed('00000000000000000042')).toEqual([0, 42])
    expect(formatU64(0xffffffff, 0xffffffff)).toBe('18446744073709551615')
    expect(formatU64(0, 0)).toBe('0')
  })

  it('refuses what is not a 64-bit decimal, leaving the column as it was', () => {
    for (const text of ['', '18446744073709551616', '99999999999999999999', '000000000000000000001', '-1', '+1', '1 ', ' 1', '1e3', '0x10', '１２', '12a4', '١']) {
      expect(parsed(text), JSON.stringify(text)).toBeUndefined()
    }
  })
})
