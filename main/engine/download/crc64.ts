/**
 * CRC-64/XZ (ECMA-182 polynomial, reflected, init and xorout all ones): the checksum OSS sends
 * as `x-oss-hash-crc64ecma`, in decimal, for the whole object (ccc-api.md §5).
 *
 * Kept as two 32-bit halves with slicing-by-8 tables: BigInt per byte would make checksumming
 * slower than the network on the hot path.
 */


// 8 tables of 256 entries, low and high halves.
const LO = new Uint32Array(8 * 256)
const HI = new Uint32Array(8 * 256)

;(() => {
  // The reflected ECMA-182 polynomial is 0xC96C5795D7870F42.
  const pLo = 0xd7870f42
  const pHi = 0xc96c5795
  for (let n = 0; n < 256; n++) {
    let lo = n
    let hi = 0
    for (let k = 0; k < 8; k++) {
      const carry = lo & 1
      lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0
      hi = hi >>> 1
      if (carry) {
        lo = (lo ^ pLo) >>> 0
        hi = (hi ^ pHi) >>> 0
      }
    }
    LO[n] = lo
    HI[n] = hi
  }
  for (let n = 0; n < 256; n++) {
    let lo = LO[n]!
    let hi = HI[n]!
    for (let t = 1; t < 8; t++) {
      const idx = lo & 0xff
      lo = (((lo >>> 8) | (hi << 24)) ^ LO[idx]!) >>> 0
      hi = ((hi >>> 8) ^ HI[idx]!) >>> 0
      LO[t * 256 + n] = lo
      HI[t * 256 + n] = hi
    }
  }
})()

/** A running CRC-64 over a stream of chunks. */
export class Crc64 {
  // Stored inverted (init all ones); `digest` applies the final xor.
  private lo = 0xffffffff
  private hi = 0xffffffff

  update(buf: Uint8Array): this {
    let lo = this.lo
    let hi = this.hi
    let i = 0
    const end8 = buf.length - (buf.length % 8)
    for (; i < end8; i += 8) {
      const a = (lo ^ (buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24))) >>> 0
      const b = (hi ^ (buf[i + 4]! | (buf[i + 5]! << 8) | (buf[i + 6]! << 16) | (buf[i + 7]! << 24))) >>> 0
      lo =
        LO[7 * 256 + (a & 0xff)]! ^
        LO[6 * 256 + ((a >>> 8) & 0xff)]! ^
        LO[5 * 256 + ((a >>> 16) & 0xff)]! ^
        LO[4 * 256 + (a >>> 24)]! ^
        LO[3 * 256 + (b & 0xff)]! ^
        LO[2 * 256 + ((b >>> 8) & 0xff)]! ^
        LO[1 * 256 + ((b >>> 16) & 0xff)]! ^
        LO[b >>> 24]!
      hi =
        HI[7 * 256 + (a & 0xff)]! ^
        HI[6 * 256 + ((a >>> 8) & 0xff)]! ^
        HI[5 * 256 + ((a >>> 16) & 0xff)]! ^
        HI[4 * 256 + (a >>> 24)]! ^
        HI[3 * 256 + (b & 0xff)]! ^
        HI[2 * 256 + ((b >>> 8) & 0xff)]! ^
        HI[1 * 256 + ((b >>> 16) & 0xff)]! ^
        HI[b >>> 24]!
    }
    for (; i < buf.length; i++) {
      const idx = (lo ^ buf[i]!) & 0xff
      lo = (((lo >>> 8) | (hi << 24)) ^ LO[idx]!) >>> 0
      hi = ((hi >>> 8) ^ HI[idx]!) >>> 0
    }
    this.lo = lo >>> 0
    this.hi = hi >>> 0
    return this
  }

  /** Decimal, as OSS writes it in `x-oss-hash-crc64ecma`. */
  digest(): string {
    const lo = (this.lo ^ 0xffffffff) >>> 0
    const hi = (this.hi ^ 0xffffffff) >>> 0
    return ((BigInt(hi) << 32n) | BigInt(lo)).toString()
  }
}

export function crc64(buf: Uint8Array): string {
  return new Crc64().update(buf).digest()
}
