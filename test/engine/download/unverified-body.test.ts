import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { CccError } from '../../../main/common/errors.ts'
import { catalogEntry } from '../../../main/common/error-catalog.ts'
import { downloadObject, type DownloadObjectOptions } from '../../../main/engine/download/fetch-object.ts'
import { createNodeFetch } from '../../../main/engine/net/node-fetch.ts'
import { rejectionOf } from '../../rejection.ts'
import { startSim, type Sim } from '../../sim/index.ts'
import { signedUrlFor } from './sim-url.ts'

/**
 * Issue 17 item 2: a 200 without a CRC-64 is taken only when it can be verified otherwise. Each
 * of the adversarial test's bodies (a portal page, an XML error, a gzip, a clean short chunked
 * body) must be refused with its own code and leave nothing behind; a genuine body whose checksum
 * a proxy stripped is kept, marked as verified by its length only.
 */

let sim: Sim
let dir: string
let n = 0
const nodeFetch = createNodeFetch()

beforeAll(async () => {
  sim = await startSim()
})
afterAll(async () => {
  nodeFetch.close()
  await sim.close()
})
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ccc-unverified-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

function newName(size = 50_000): string {
  const name = `17312849114340008032${String(++n).padStart(4, '0')}.wav`
  sim.setSize(name, size)
  return name
}

async function expectCode(p: Promise<unknown>, code: string): Promise<CccError> {
  const e = await rejectionOf(p)
  expect(e).toBeInstanceOf(CccError)
  expect((e as CccError).code).toBe(code)
  return e as CccError
}

describe.each([
  ['Node fetch', globalThis.fetch],
  ['the http client', nodeFetch.fetch],
] as const)('a body without a checksum, through %s', (_port, fetchFn) => {
  const download = (o: DownloadObjectOptions): ReturnType<typeof downloadObject> => downloadObject({ fetch: fetchFn, ...o })

  it('is kept when its length is met and it starts like a WAV, marked verified by length', async () => {
    const name = newName()
    const dest = path.join(dir, name)
    sim.fault(name, { kind: 'no-checksum' })
    const result = await download({ url: await signedUrlFor(sim, name), dest })
    expect(result.verifiedBy).toBe('length')
    expect((await readFile(dest)).equals(sim.content(name))).toBe(true)
  })

  it('says crc64 when OSS sent its CRC', async () => {
    const name = newName()
    const result = await download({ url: await signedUrlFor(sim, name), dest: path.join(dir, name) })
    expect(result.verifiedBy).toBe('crc64')
  })

  it.each([
    ['a captive portal page', 'html-body'],
    ['an XML error sent as a 200', 'xml-body'],
    ['a gzip body, even with the CRC-64', 'gzip-body'],
  ] as const)('refuses %s as Oss.BadContent, retried, leaving nothing', async (_what, kind) => {
    const name = newName()
    const dest = path.join(dir, name)
    sim.fault(name, { kind })
    const e = await expectCode(download({ url: await signedUrlFor(sim, name), dest }), 'Oss.BadContent')
    expect(e.handling).toBe('retry')
    expect(await readdir(dir)).toEqual([])
  })

  it('refuses a chunked body with neither checksum nor length as Oss.Unverifiable, and the next try is whole', async () => {
    const name = newName()
    const dest = path.join(dir, name)
    const url = await signedUrlFor(sim, name)
    sim.fault(name, { kind: 'short-chunked', afterBytes: 20_000 })
    await expectCode(download({ url, dest }), 'Oss.Unverifiable')
    expect(await readdir(dir)).toEqual([])
    const result = await download({ url, dest })
    expect(result.verifiedBy).toBe('crc64')
    expect(result.resumedFrom).toBe(0)
  })

  it('refuses a body whose first bytes are not the named kind, though its length matches', async () => {
    // A `.mkv` name served WAV bytes without a checksum: not what was asked for.
    const name = `${newName().slice(0, -4)}.mkv`
    sim.setSize(name, 30_000)
    sim.fault(name, { kind: 'no-checksum' })
    await expectCode(download({ url: await signedUrlFor(sim, name), dest: path.join(dir, name) }), 'Oss.BadContent')
  })
})

describe('the codes of a refused body', () => {
  it.each(['Oss.BadContent', 'Oss.Unverifiable', 'Transfer.TooSlow', 'Local.NotAFile'])('%s is explained in both languages', (code) => {
    const entry = catalogEntry(code)
    expect(entry.meaning['zh-CN']).toMatch(/[\u4e00-\u9fff]/)
    expect(entry.meaning.en).toMatch(/^[A-Z]/)
  })
})
