import { describe, expect, it } from 'vitest'
import { NameTable } from '../../../main/engine/export/name-table.ts'
import { Utf8Column } from '../../../main/engine/export/utf8-column.ts'
import { hashName } from '../../../main/common/name-hash.ts'

/** Two names whose 32-bit hashes are equal (found by a search over `<8 digits>.wav`). */
const SAME_HASH = ['00129599.wav', '00732382.wav'] as const

function tableOf(names: readonly string[]): NameTable {
  const t = new NameTable()
  for (const n of names) t.add(n)
  return t
}

describe('NameTable', () => {
  it('gives each new name the next index, refuses a name it has, and finds every one after many resizes', () => {
    const t = new NameTable()
    const n = 50_000
    // CCC-like names that differ only in their last digits.
    const name = (i: number) => `15312849114340${String(i).padStart(8, '0')}.wav`
    for (let i = 0; i < n; i++) {
      expect(t.add(name(i))).toBe(i)
      expect(t.add(name(i))).toBe(-1)
    }
    expect(t.size).toBe(n)
    for (let i = 0; i < n; i += 7) {
      expect(t.indexOf(name(i))).toBe(i)
      expect(t.at(i)).toBe(name(i))
      expect(t.isAt(i, name(i))).toBe(true)
      expect(t.isAt(i, name(i + 1))).toBe(false)
    }
  })

  it('tells apart two names of the same hash', () => {
    const [a, b] = SAME_HASH
    expect(hashName(a)).toBe(hashName(b))
    const t = tableOf([a])
    // b probes a's slot, whose hash agrees: only the bytes tell them apart.
    expect(t.indexOf(b)).toBe(-1)
    expect(t.add(b)).toBe(1)
    expect(t.add(a)).toBe(-1)
    expect(t.add(b)).toBe(-1)
    expect([t.indexOf(a), t.indexOf(b)]).toEqual([0, 1])
  })

  it('probes past names that share a slot, before and after the table grows', () => {
    const t = new NameTable()
    // The first slots' worth of names whose hashes share their low 11 bits (the first table's slot index).
    const crowd: string[] = []
    for (let i = 0; crowd.length < 40; i++) if ((hashName(`c${i}`) & 2047) === 5) crowd.push(`c${i}`)
    for (const [i, n] of crowd.entries()) expect(t.add(n)).toBe(i)
    for (const [i, n] of crowd.entries()) expect(t.indexOf(n)).toBe(i)
    for (let i = 0; i < 5000; i++) t.add(`filler-${i}`)
    for (const [i, n] of crowd.entries()) expect(t.indexOf(n)).toBe(i)
    expect(t.indexOf('c-absent')).toBe(-1)
  })

  it('answers -1 for a missing name: a prefix, an extension, another case, the empty name', () => {
    const t = tableOf(['a.wav', 'b.wav', 'ab.wav'])
    for (const missing of ['a', 'a.wa', 'a.wav ', 'A.wav', '', 'b.wav\n', 'ba.wav']) expect(t.indexOf(missing), JSON.stringify(missing)).toBe(-1)
    expect(t.isAt(3, 'a.wav')).toBe(false)
    // By its place too (replay tries the next place first): a prefix or an extension is another name.
    for (const other of ['a.wa', 'a.wav.', 'a', '', 'b.wav']) expect(t.isAt(0, other), other).toBe(false)
    expect(t.add('')).toBe(3)
    expect(t.indexOf('')).toBe(3)
    expect(t.at(3)).toBe('')
  })

  it('keeps names that are not ASCII, and never takes Latin-1 look-alikes of their bytes for them', () => {
    // 'é' is C3 A9 in UTF-8: the two characters U+00C3 U+00A9 have those byte values as code units.
    const names = ['录音.wav', 'é', 'Ã©', 'caf\u00e9.wav', 'cafe\u0301.wav', '😀.wav', '\u00ff', 'a\u0000b']
    const t = tableOf(names)
    expect(t.size).toBe(names.length)
    for (const [i, n] of names.entries()) {
      expect(t.indexOf(n), n).toBe(i)
      expect(t.at(i)).toBe(n)
      expect(t.isAt(i, n)).toBe(true)
    }
    expect(t.isAt(1, 'Ã©')).toBe(false)
    expect(t.isAt(2, 'é')).toBe(false)
    expect(t.indexOf('录音.wa')).toBe(-1)
    for (const other of ['录音', '录音.wav!', '.wav', '录音.wa']) expect(t.isAt(0, other), other).toBe(false)
    expect(t.indexOf('😀')).toBe(-1)
  })

  it('keeps a name UTF-8 cannot carry (a lone surrogate) as it came', () => {
    const lone = 'half-\ud83d.wav'
    const t = tableOf([lone, 'half-\ufffd.wav'])
    expect(t.size).toBe(2)
    expect(t.at(0)).toBe(lone)
    expect(t.indexOf(lone)).toBe(0)
    expect(t.indexOf('half-\ufffd.wav')).toBe(1)
  })
})

describe('Utf8Column', () => {
  it('holds a string per index, set in any order, replaced, or cleared', () => {
    const c = new Utf8Column()
    expect(c.get(0)).toBeUndefined()
    c.set(5000, 'by-date/2026-10-01/a.wav')
    c.set(2, '录音/b.wav')
    expect([c.get(5000), c.get(2), c.get(3), c.get(9999)]).toEqual(['by-date/2026-10-01/a.wav', '录音/b.wav', undefined, undefined])
    c.set(2, 'c.wav')
    expect(c.get(2)).toBe('c.wav')
    expect(c.equals(2, 'c.wav')).toBe(true)
    expect(c.equals(2, '录音/b.wav')).toBe(false)
    c.set(2, undefined)
    expect(c.get(2)).toBeUndefined()
    expect(c.equals(2, '')).toBe(false)
    c.set(2, '')
    expect(c.get(2)).toBe('')
  })

  it('grows its buffer past its first size without losing what it holds', () => {
    const c = new Utf8Column()
    const long = 'x'.repeat(70_000)
    for (let i = 0; i < 20; i++) c.set(i, `${i}-${long}-${'中'.repeat(i)}`)
    for (let i = 0; i < 20; i++) expect(c.get(i)).toBe(`${i}-${long}-${'中'.repeat(i)}`)
  })
})
