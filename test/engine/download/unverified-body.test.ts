import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { catalogEntry } from '../../../main/common/error-catalog.ts'
import { downloadObject, type DownloadObjectOptions } from '../../../main/engine/download/fetch-object.ts'
import { expectCode, simDownloads } from './sim-downloads.ts'
import { signedUrlFor } from './sim-url.ts'

/**
 * Issue 17 item 2: a 200 without a CRC-64 is taken only when it can be verified otherwise. Each
 * of the adversarial test's bodies (a portal page, an XML error, a gzip, a clean short chunked
 * body) must be refused with its own code and leave nothing behind; a genuine body whose checksum
 * a proxy stripped is kept, marked as verified by its length only.
 */

const at = simDownloads({ folder: 'ccc-unverified-', names: '17312849114340008032', size: 50_000 })
const { nodeFetch, newName } = at

describe.each([
  ['Node fetch', globalThis.fetch],
  ['the http client', nodeFetch.fetch],
] as const)('a body without a checksum, through %s', (_port, fetchFn) => {
  const download = (o: DownloadObjectOptions): ReturnType<typeof downloadObject> => downloadObject({ fetch: fetchFn, ...o })

  it('is kept when its length is met and it starts like a WAV, marked verified by length', async () => {
    const name = newName()
    const dest = path.join(at.dir, name)
    at.sim.fault(name, { kind: 'no-checksum' })
    const result = await download({ url: await signedUrlFor(at.sim, name), dest })
    expect(result.verifiedBy).toBe('length')
    expect((await readFile(dest)).equals(at.sim.content(name))).toBe(true)
  })

  it('says crc64 when OSS sent its CRC', async () => {
    const name = newName()
    const result = await download({ url: await signedUrlFor(at.sim, name), dest: path.join(at.dir, name) })
    expect(result.verifiedBy).toBe('crc64')
  })

  // A portal page or XML error is judged by its first bytes, so they were counted and must be
  // taken back; a gzip is refused on its headers, before a byte is counted.
  it.each([
    ['a captive portal page', 'html-body', true],
    ['an XML error sent as a 200', 'xml-body', true],
    ['a gzip body, even with the CRC-64', 'gzip-body', false],
  ] as const)('refuses %s as Oss.BadContent, retried, leaving nothing', async (_what, kind, counted) => {
    const name = newName()
    const dest = path.join(at.dir, name)
    at.sim.fault(name, { kind })
    const inPart: number[] = []
    const e = await expectCode(download({ url: await signedUrlFor(at.sim, name), dest, onProgress: (_chunk, bytes) => inPart.push(bytes) }), 'Oss.BadContent')
    expect(e.handling).toBe('retry')
    expect(await readdir(at.dir)).toEqual([])
    // The bytes shown for the file go with them: a report or ETA must not count them.
    expect(inPart.length > 0).toBe(counted)
    expect(inPart.at(-1) ?? 0).toBe(0)
  })

  it('refuses a chunked body with neither checksum nor length as Oss.Unverifiable, and the next try is whole', async () => {
    const name = newName()
    const dest = path.join(at.dir, name)
    const url = await signedUrlFor(at.sim, name)
    at.sim.fault(name, { kind: 'short-chunked', afterBytes: 20_000 })
    await expectCode(download({ url, dest }), 'Oss.Unverifiable')
    expect(await readdir(at.dir)).toEqual([])
    const result = await download({ url, dest })
    expect(result.verifiedBy).toBe('crc64')
    expect(result.resumedFrom).toBe(0)
  })

  it('refuses a body whose first bytes are not the named kind, though its length matches', async () => {
    // A `.mkv` name served WAV bytes without a checksum: not what was asked for.
    const name = `${newName().slice(0, -4)}.mkv`
    at.sim.setSize(name, 30_000)
    at.sim.fault(name, { kind: 'no-checksum' })
    await expectCode(download({ url: await signedUrlFor(at.sim, name), dest: path.join(at.dir, name) }), 'Oss.BadContent')
  })
})

describe('the codes of a refused body', () => {
  it.each(['Oss.BadContent', 'Oss.Unverifiable', 'Transfer.TooSlow', 'Local.NotAFile'])('%s is explained in both languages', (code) => {
    const entry = catalogEntry(code)
    expect(entry.meaning['zh-CN']).toMatch(/[\u4e00-\u9fff]/)
    expect(entry.meaning.en).toMatch(/^[A-Z]/)
  })
})
