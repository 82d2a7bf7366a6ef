import { request } from 'node:http'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PORTAL_PAGE } from './bad-bodies.ts'
import { readAll, signedUrl } from './helpers.ts'
import { startSim, type Sim } from './index.ts'

let sim: Sim
beforeAll(async () => {
  sim = await startSim()
})
afterAll(() => sim.close())

/** A GET whose body is not decoded on the way, as the engine's own fetch does. */
function rawGet(url: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers: { 'accept-encoding': 'identity' } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
      .on('error', reject)
      .end()
  })
}

describe('simulator faults for bodies that carry no proof', () => {
  it('no-checksum: the right bytes with a length but neither CRC-64 nor Content-MD5', async () => {
    const url = await signedUrl(sim, 'nock.wav')
    sim.fault('nock.wav', { kind: 'no-checksum' })
    const res = await rawGet(url)
    expect(res.status).toBe(200)
    expect(res.headers['x-oss-hash-crc64ecma']).toBeUndefined()
    expect(res.headers['content-md5']).toBeUndefined()
    expect(res.headers['content-length']).toBe(String(sim.content('nock.wav').length))
    expect(res.body.equals(sim.content('nock.wav'))).toBe(true)
    expect((await rawGet(url)).headers['x-oss-hash-crc64ecma']).toBeDefined()
  })

  it('html-body: a captive portal page, 200 text/html', async () => {
    const url = await signedUrl(sim, 'portal.wav')
    sim.fault('portal.wav', { kind: 'html-body' })
    const res = await rawGet(url)
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/html/)
    expect(res.headers['x-oss-hash-crc64ecma']).toBeUndefined()
    expect(res.body.toString()).toBe(PORTAL_PAGE)
  })

  it('xml-body: an XML <Error> with status 200 and an untelling type', async () => {
    const url = await signedUrl(sim, 'xmlerr.wav')
    sim.fault('xmlerr.wav', { kind: 'xml-body' })
    const res = await rawGet(url)
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('application/octet-stream')
    expect(res.body.toString()).toContain('<Error>')
  })

  it('gzip-body: the object gzipped although identity was asked, its CRC-64 kept', async () => {
    const url = await signedUrl(sim, 'gz.wav')
    sim.fault('gz.wav', { kind: 'gzip-body' })
    const res = await rawGet(url)
    expect(res.headers['content-encoding']).toBe('gzip')
    expect(res.headers['x-oss-hash-crc64ecma']).toBeDefined()
    expect(gunzipSync(res.body).equals(sim.content('gz.wav'))).toBe(true)
  })

  it('short-chunked: no checksum, no length, a clean end at `afterBytes`', async () => {
    const url = await signedUrl(sim, 'short.wav')
    sim.fault('short.wav', { kind: 'short-chunked', afterBytes: 500 })
    const res = await fetch(url)
    expect(res.headers.get('content-length')).toBeNull()
    expect(res.headers.get('x-oss-hash-crc64ecma')).toBeNull()
    expect(res.headers.get('content-md5')).toBeNull()
    const { bytes, error } = await readAll(res)
    expect(error).toBeUndefined()
    expect(bytes.equals(sim.content('short.wav').subarray(0, 500))).toBe(true)
  })
})
