/**
 * A 64-bit unsigned decimal (a CRC-64 as OSS and the journal write it) to and from two 32-bit
 * halves, without a BigInt on the way in: replaying a million-file journal parses a million of
 * them, and `BigInt(text)` was the dearest step of a `done` line after JSON.parse (issue 16 item 3).
 */

const TWO_32 = 2 ** 32

/**
 * `text` of 1 to 20 ASCII digits whose value fits 64 bits into `out[at]` (high half) and
 * `out[at + 1]` (low half); anything else returns false and leaves `out` as it was.
 */
export function parseU64(text: string, out: Uint32Array, at: number): boolean {
  const n = text.length
  if (n === 0 || n > 20) return false
  let hi = 0
  let lo = 0
  // Four digits at a time: the carry between the halves is worked out once per group, not per digit.
  for (let k = 0; k < n; ) {
    const end = Math.min(n, k + 4)
    let group = 0
    let scale = 1
    for (; k < end; k++) {
      const d = text.charCodeAt(k) - 48
      if (d < 0 || d > 9) return false
      group = group * 10 + d
      scale *= 10
    }
    // Below 2^46: exact in a double, as is every step here.
    const low = lo * scale + group
    const carry = Math.floor(low / TWO_32)
    lo = low - carry * TWO_32
    hi = hi * scale + carry
    if (hi >= TWO_32) return false
  }
  out[at] = hi
  out[at + 1] = lo
  return true
}

/** The decimal of `hi · 2^32 + lo`, without leading zeros. */
export function formatU64(hi: number, lo: number): string {
  return hi === 0 ? String(lo) : ((BigInt(hi) << 32n) | BigInt(lo)).toString()
}
