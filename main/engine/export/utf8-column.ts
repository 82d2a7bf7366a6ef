/**
 * Strings by index, their UTF-8 bytes in one growing buffer (issue 16: a million files in 200 MB).
 * A name of 28 ASCII characters costs 28 bytes and two offsets here, against a 48-byte string
 * object and an 8-byte pointer on the heap, and the garbage collector has nothing to trace. A
 * string is decoded when asked for, which costs about 0.1 µs.
 *
 * A string is written once and its bytes stay: setting another one appends its bytes and
 * leaves the old ones unused. Paths are the only strings set again, and rarely.
 */

/** Length of an index that holds no string. */
const NONE = 0xffffffff
/** Length of a string UTF-8 cannot carry (a lone surrogate, from an escaped journal line): kept aside as is. */
const ASIDE = 0xfffffffe
/** The largest buffer: offsets are 32-bit. */
const MAX_BYTES = 0xfffffff0

export class Utf8Column {
  private bytes = Buffer.allocUnsafe(1 << 14)
  private used = 0
  private starts = new Uint32Array(0)
  /** NONE where no string was set. */
  private lengths = new Uint32Array(0)
  private readonly aside = new Map<number, string>()

  get(i: number): string | undefined {
    const length = i < this.lengths.length ? this.lengths[i]! : NONE
    if (length === NONE) return undefined
    if (length === ASIDE) return this.aside.get(i)
    const start = this.starts[i]!
    return this.bytes.toString('utf8', start, start + length)
  }

  /** True when index `i` holds `s`, without decoding it when `s` is ASCII (the usual name). */
  equals(i: number, s: string): boolean {
    const length = i < this.lengths.length ? this.lengths[i]! : NONE
    if (length === NONE) return false
    if (length === ASIDE) return this.aside.get(i) === s
    // UTF-8 is as long as UTF-16 for ASCII, and longer otherwise: never shorter.
    if (length < s.length) return false
    const b = this.bytes
    const start = this.starts[i]!
    for (let k = 0; k < s.length; k++) {
      const c = s.charCodeAt(k)
      // Not ASCII: bytes and code units no longer line up one to one.
      if (c >= 0x80) return this.get(i) === s
      if (c !== b[start + k]) return false
    }
    // All of `s` is ASCII and matched: longer bytes hold more than `s`.
    return length === s.length
  }

  set(i: number, s: string | undefined): void {
    if (s === undefined) {
      if (i < this.lengths.length) this.lengths[i] = NONE
      this.aside.delete(i)
      return
    }
    if (this.equals(i, s)) return
    if (i >= this.lengths.length) this.cover(i)
    this.aside.delete(i)
    const start = this.used
    const length = this.write(s)
    if (length < 0) {
      this.lengths[i] = ASIDE
      this.aside.set(i, s)
      return
    }
    this.starts[i] = start
    this.lengths[i] = length
    this.used = start + length
  }

  /** Writes `s` after the bytes in use; its length in bytes, or -1 when UTF-8 cannot carry it. */
  private write(s: string): number {
    this.reserve(s.length)
    const b = this.bytes
    const start = this.used
    for (let k = 0; k < s.length; k++) {
      const c = s.charCodeAt(k)
      if (c >= 0x80) return this.writeUtf8(s)
      b[start + k] = c
    }
    return s.length
  }

  private writeUtf8(s: string): number {
    const length = Buffer.byteLength(s, 'utf8')
    this.reserve(length)
    this.bytes.write(s, this.used, length, 'utf8')
    // A lone surrogate becomes U+FFFD in UTF-8: such a string would not come back the same.
    return this.bytes.toString('utf8', this.used, this.used + length) === s ? length : -1
  }

  private reserve(more: number): void {
    const need = this.used + more
    if (need <= this.bytes.length) return
    if (need > MAX_BYTES) throw new RangeError('Utf8Column: more than 4 GB of text')
    const bigger = Buffer.allocUnsafe(Math.min(MAX_BYTES, Math.max(need, this.bytes.length * 2)))
    this.bytes.copy(bigger, 0, 0, this.used)
    this.bytes = bigger
  }

  /** Makes room for index `i` in the offsets, twice what is needed so that appending costs little. */
  private cover(i: number): void {
    const size = Math.max(1024, (i + 1) * 2)
    const starts = new Uint32Array(size)
    starts.set(this.starts)
    const lengths = new Uint32Array(size).fill(NONE)
    lengths.set(this.lengths)
    this.starts = starts
    this.lengths = lengths
  }
}
