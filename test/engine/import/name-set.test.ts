import { describe, expect, it } from 'vitest'
import { NameSet } from '../../../main/engine/import/name-set.ts'

describe('NameSet', () => {
  it('keeps the first of each name, in order, through many resizes', () => {
    const set = new NameSet()
    const want: string[] = []
    let added = 0
    let refused = 0
    for (let i = 0; i < 50_000; i++) {
      // CCC-like names that differ only in their last digits, each offered twice.
      const name = `15312849114340${String(i).padStart(8, '0')}.wav`
      if (set.add(name)) added++
      if (!set.add(name)) refused++
      want.push(name)
    }
    expect([added, refused, set.size]).toEqual([want.length, want.length, want.length])
    expect(set.take()).toEqual(want)
  })

  it('tells apart names that differ anywhere, and the empty name', () => {
    const set = new NameSet()
    for (const name of ['a', 'b', 'ab', 'ba', '', '录音.wav', '录音.wav ', 'A']) expect(set.add(name), name).toBe(true)
    for (const name of ['a', '', '录音.wav']) expect(set.add(name), name).toBe(false)
    expect(set.take()).toEqual(['a', 'b', 'ab', 'ba', '', '录音.wav', '录音.wav ', 'A'])
  })
})
