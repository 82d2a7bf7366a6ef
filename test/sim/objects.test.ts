import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { crc64 } from '../../main/engine/download/crc64.ts'
import { ObjectStore, defaultObjectSize, generate } from './objects.ts'

describe('simulator objects', () => {
  it('produces any byte range on its own, equal to the same slice of the whole', () => {
    const whole = generate(1234, 10_001, 0, 10_001)
    for (const [a, b] of [[0, 1], [1, 7], [3, 44], [43, 45], [5_001, 10_001], [9_999, 10_001]] as const) {
      expect(generate(1234, 10_001, a, b).equals(whole.subarray(a, b)), `${a}-${b}`).toBe(true)
    }
    expect(whole.subarray(0, 4).toString('latin1')).toBe('RIFF')
    expect(whole.readUInt32LE(40)).toBe(10_001 - 44)
  })

  it('serves any range of an object longer than its byte pool, across the wrap, as the whole has it', () => {
    const size = 9 * 1024 * 1024 + 17
    const store = new ObjectStore(() => size, Date.now)
    const whole = store.content('long.wav')
    const meta = store.meta('long.wav')
    for (let pos = 0; pos < size; pos += 65_536) {
      const end = Math.min(size, pos + 65_536)
      expect(store.read(meta, pos, end).equals(whole.subarray(pos, end)), `${pos}`).toBe(true)
    }
    expect(meta.crc64).toBe(crc64(whole))
    // What a test changes in its copy is not what the server sends next (a range past the WAV
    // header is a view of the shared pool, so a content() that shared it would be changed too).
    const before = Buffer.from(store.read(meta, 100_000, 100_100))
    whole.fill(0)
    expect(store.read(meta, 100_000, 100_100).equals(before)).toBe(true)
  })

  it('is deterministic per name and version, and a new version differs', () => {
    const now = (): number => 1_700_000_000_000
    const a = new ObjectStore(defaultObjectSize, now)
    const b = new ObjectStore(defaultObjectSize, now)
    expect(a.content('x.wav').equals(b.content('x.wav'))).toBe(true)
    expect(a.content('x.wav').equals(a.content('y.wav'))).toBe(false)
    const before = a.meta('x.wav')
    a.replace('x.wav')
    const after = a.meta('x.wav')
    expect(after.etag).not.toBe(before.etag)
    expect(Date.parse(after.lastModified)).toBeGreaterThan(Date.parse(before.lastModified))
    expect(a.content('x.wav').equals(b.content('x.wav'))).toBe(false)
    // The old version stays readable for a reply already under way.
    expect(a.read(before, 0, before.size).equals(b.content('x.wav'))).toBe(true)
  })

  it('caches checksums that match the bytes', () => {
    const store = new ObjectStore(() => 150_000, Date.now)
    const content = store.content('c.wav')
    const meta = store.meta('c.wav')
    expect(content.length).toBe(150_000)
    expect(meta.etag).toBe(`"${createHash('md5').update(content).digest('hex').toUpperCase()}"`)
    expect(meta.md5Base64).toBe(createHash('md5').update(content).digest('base64'))
    expect(meta.crc64).toBe(crc64(content))
    store.setSize('c.wav', 10)
    expect(store.meta('c.wav').size).toBe(10)
  })

  it('sizes objects 1 KiB..64 KiB by default, fixed per name', () => {
    for (let i = 0; i < 200; i++) {
      const size = defaultObjectSize(`n${i}.wav`)
      expect(size).toBeGreaterThanOrEqual(1024)
      expect(size).toBeLessThanOrEqual(64 * 1024)
      expect(defaultObjectSize(`n${i}.wav`)).toBe(size)
    }
  })
})
