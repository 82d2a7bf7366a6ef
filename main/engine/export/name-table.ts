import { hashName } from '../../common/name-hash.ts'
import { Utf8Column } from './utf8-column.ts'

/**
 * An export's file names in the order added, each found by its index or its index by name, in
 * about 48 bytes a name of 28 characters: the names' UTF-8 bytes in one buffer (Utf8Column), a
 * 32-bit hash per name, and an open-addressing table of indexes kept at most half full. A
 * `Map<string, number>` plus the strings took about 90 bytes a name more, all of it on the heap.
 *
 * The hash of each name is kept so that growing the table needs no decoding, and so that a probe
 * compares bytes only when the hashes agree.
 */
export class NameTable {
  private readonly text = new Utf8Column()
  private hashes = new Uint32Array(1024)
  // Slot holds index + 1; 0 is empty.
  private slots = new Int32Array(2048)
  private mask = this.slots.length - 1
  private count = 0

  get size(): number {
    return this.count
  }

  /** The name at `index` (0 ≤ index < size). */
  at(index: number): string {
    return this.text.get(index) ?? ''
  }

  /** True when the name at `index` is `name`: the usual case compares bytes and decodes nothing. */
  isAt(index: number, name: string): boolean {
    return index < this.count && this.text.equals(index, name)
  }

  /** The index of `name`, or -1. */
  indexOf(name: string): number {
    const h = hashName(name)
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const slot = this.slots[i]!
      if (slot === 0) return -1
      if (this.hashes[slot - 1] === h && this.text.equals(slot - 1, name)) return slot - 1
    }
  }

  /** Adds `name` at the end: its index, or -1 when the table has it already. */
  add(name: string): number {
    const h = hashName(name)
    let i = h & this.mask
    for (; ; i = (i + 1) & this.mask) {
      const slot = this.slots[i]!
      if (slot === 0) break
      if (this.hashes[slot - 1] === h && this.text.equals(slot - 1, name)) return -1
    }
    const index = this.count++
    if (index === this.hashes.length) this.hashes = wider(this.hashes)
    this.hashes[index] = h
    this.text.set(index, name)
    this.slots[i] = index + 1
    if (this.count * 2 > this.slots.length) this.grow()
    return index
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2)
    const mask = slots.length - 1
    for (let k = 0; k < this.count; k++) {
      let i = this.hashes[k]! & mask
      while (slots[i] !== 0) i = (i + 1) & mask
      slots[i] = k + 1
    }
    this.slots = slots
    this.mask = mask
  }
}

function wider(a: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> {
  const b = new Uint32Array(a.length * 2)
  b.set(a)
  return b
}
