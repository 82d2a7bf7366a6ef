import { createHash } from 'node:crypto'
import { request, Agent } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { crc64 } from '../../main/engine/download/crc64.ts'
import { startSim, type Sim, unusedUrls } from './index.ts'
import { signedUrl } from './helpers.ts'

let sim: Sim
let clock = Date.now()
beforeAll(async () => {
  // The OSS side reads the server clock for Expires; a settable one makes expiry testable without waiting.
  sim = await startSim({ now: () => clock })
})
afterAll(() => sim.close())

const get = (url: string, headers: Record<string, string> = {}): Promise<Response> => fetch(url, { headers })
const bytesOf = async (res: Response): Promise<Buffer> => Buffer.from(await res.arrayBuffer())

describe('simulator OSS', () => {
  it('serves the whole object with ETag, Content-MD5, CRC-64 and length', async () => {
    sim.setSize('whole.wav', 200_000)
    const res = await get(await signedUrl(sim, 'whole.wav', { now: new Date(clock) }))
    const body = await bytesOf(res)
    const content = sim.content('whole.wav')
    expect(res.status).toBe(200)
    expect(body.equals(content)).toBe(true)
    expect(content.length).toBe(200_000)
    expect(content.subarray(0, 4).toString('latin1')).toBe('RIFF')
    expect(res.headers.get('content-length')).toBe('200000')
    expect(res.headers.get('content-type')).toBe('audio/wav')
    expect(res.headers.get('etag')).toBe(`"${createHash('md5').update(content).digest('hex').toUpperCase()}"`)
    expect(res.headers.get('etag')).toBe(sim.etag('whole.wav'))
    expect(res.headers.get('content-md5')).toBe(createHash('md5').update(content).digest('base64'))
    expect(res.headers.get('x-oss-hash-crc64ecma')).toBe(crc64(content))
    expect(res.headers.get('x-oss-request-id')).toMatch(/^[0-9A-F]{24}$/)
    expect(Date.parse(res.headers.get('last-modified') ?? '')).toBeLessThan(clock)
  })

  it('gives 206 with Content-Range and the whole-object CRC for one range, no Content-MD5', async () => {
    const url = await signedUrl(sim, 'range.wav', { now: new Date(clock) })
    const content = sim.content('range.wav')
    const total = content.length
    const cases: Array<[string, number, number]> = [
      ['bytes=10-99', 10, 99],
      ['bytes=100-', 100, total - 1],
      ['bytes=-50', total - 50, total - 1],
      ['bytes=0-', 0, total - 1],
    ]
    for (const [range, a, b] of cases) {
      const res = await get(url, { Range: range })
      expect(res.status, range).toBe(206)
      expect(res.headers.get('content-range')).toBe(`bytes ${a}-${b}/${total}`)
      expect(res.headers.get('content-length')).toBe(String(b - a + 1))
      expect(res.headers.get('x-oss-hash-crc64ecma')).toBe(crc64(content))
      expect(res.headers.get('content-md5')).toBeNull()
      expect((await bytesOf(res)).equals(content.subarray(a, b + 1))).toBe(true)
    }
  })

  it('answers an unsatisfiable, overlong, malformed or multiple range with 200 and the whole object', async () => {
    const url = await signedUrl(sim, 'range.wav', { now: new Date(clock) })
    const content = sim.content('range.wav')
    const total = content.length
    const ignored = [`bytes=${total}-`, `bytes=${total}-${total + 10}`, `bytes=0-${total}`, `bytes=-${total + 1}`]
    ignored.push('bytes=0-1,5-9', 'byte=0-1', 'bytes=9-3')
    for (const range of ignored) {
      const res = await get(url, { Range: range })
      expect(res.status, range).toBe(200)
      expect(res.headers.get('content-range')).toBeNull()
      expect((await bytesOf(res)).equals(content)).toBe(true)
    }
  })

  it('follows x-oss-range-behavior: standard (clamp the end, 416 past the start)', async () => {
    const url = await signedUrl(sim, 'range.wav', { now: new Date(clock) })
    const total = sim.content('range.wav').length
    const clamped = await get(url, { Range: `bytes=5-${total + 100}`, 'x-oss-range-behavior': 'standard' })
    expect(clamped.status).toBe(206)
    expect(clamped.headers.get('content-range')).toBe(`bytes 5-${total - 1}/${total}`)
    await clamped.arrayBuffer()
    const past = await get(url, { Range: `bytes=${total}-`, 'x-oss-range-behavior': 'standard' })
    expect(past.status).toBe(416)
    expect(await past.text()).toContain('<Code>InvalidRange</Code>')
  })

  it('honours If-Range while the ETag matches, and sends the new whole object once it is stale', async () => {
    const url = await signedUrl(sim, 'ifrange.wav', { now: new Date(clock) })
    const oldEtag = sim.etag('ifrange.wav')
    const oldContent = sim.content('ifrange.wav')
    const fresh = await get(url, { Range: 'bytes=100-', 'If-Range': oldEtag })
    expect(fresh.status).toBe(206)
    expect((await bytesOf(fresh)).equals(oldContent.subarray(100))).toBe(true)

    sim.replace('ifrange.wav')
    expect(sim.etag('ifrange.wav')).not.toBe(oldEtag)
    const stale = await get(url, { Range: 'bytes=100-', 'If-Range': oldEtag })
    expect(stale.status).toBe(200)
    expect(stale.headers.get('etag')).toBe(sim.etag('ifrange.wav'))
    const body = await bytesOf(stale)
    expect(body.equals(sim.content('ifrange.wav'))).toBe(true)
    expect(body.equals(oldContent)).toBe(false)
  })

  it('checks Expires before the signature', async () => {
    const url = new URL(await signedUrl(sim, 'exp.wav', { now: new Date(clock) }))
    url.searchParams.set('Signature', 'tampered')
    const bad = await get(url.href)
    expect(bad.status).toBe(403)
    expect(await bad.text()).toContain('<Code>SignatureDoesNotMatch</Code>')

    const saved = clock
    clock += 3601_000
    try {
      const expired = await get(url.href)
      expect(expired.status).toBe(403)
      const text = await expired.text()
      expect(text).toContain('<Code>AccessDenied</Code>')
      expect(text).toContain('<Message>Request has expired.</Message>')
      expect(text).toMatch(/<Expires>.+<\/Expires>/)
      expect(text).toMatch(/<ServerTime>.+<\/ServerTime>/)
    } finally {
      clock = saved
    }
  })

  it('counts the URLs it signed that were never used in time, and the requests refused as expired', async () => {
    sim.resetStats()
    const used = await signedUrl(sim, 'used.wav', { now: new Date(clock) })
    await bytesOf(await get(used))
    // Twice, and once as a range: still one URL used.
    await bytesOf(await get(used, { range: 'bytes=0-9' }))
    expect([sim.stats.urlsSigned, unusedUrls(sim.stats), sim.stats.urlsExpired]).toEqual([1, 0, 0])
    // One fetched and dropped, one tampered with: neither is a URL used.
    await signedUrl(sim, 'dropped.wav', { now: new Date(clock) })
    const tampered = new URL(await signedUrl(sim, 'tampered.wav', { now: new Date(clock) }))
    tampered.searchParams.set('Signature', 'x')
    await bytesOf(await get(tampered.href))
    expect(unusedUrls(sim.stats)).toBe(2)
    // One used only after it expired.
    const late = await signedUrl(sim, 'late.wav', { now: new Date(clock) })
    const saved = clock
    clock += 3601_000
    try {
      expect((await get(late)).status).toBe(403)
    } finally {
      clock = saved
    }
    expect([sim.stats.urlsSigned, unusedUrls(sim.stats), sim.stats.urlsExpired]).toEqual([4, 3, 1])
    sim.resetStats()
    expect([sim.stats.urlsSigned, unusedUrls(sim.stats), sim.stats.urlsExpired]).toEqual([0, 0, 0])
  })

  it('answers NoSuchKey for a URL issued before the recording was removed', async () => {
    const url = await signedUrl(sim, 'removed-later.wav', { now: new Date(clock) })
    sim.remove('removed-later.wav')
    const res = await get(url)
    expect(res.status).toBe(404)
    expect(await res.text()).toContain('<Code>NoSuchKey</Code>')
  })

  it('serves HEAD only on a URL signed for HEAD, as OSS signs the verb', async () => {
    const onGetUrl = await fetch(sim.presign('head.wav'), { method: 'HEAD' })
    expect(onGetUrl.status).toBe(403)
    const res = await fetch(sim.presign('head.wav', { method: 'HEAD' }), { method: 'HEAD' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-length')).toBe(String(sim.content('head.wav').length))
    expect(res.headers.get('etag')).toBe(sim.etag('head.wav'))
    expect(res.headers.get('x-oss-hash-crc64ecma')).toBe(crc64(sim.content('head.wav')))
  })

  it('keeps the connection alive between requests', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const url = sim.presign('alive.wav')
    const reused: boolean[] = []
    try {
      for (let i = 0; i < 2; i++) {
        await new Promise<void>((resolve, reject) => {
          const req = request(url, { agent }, (res) => {
            reused.push(req.reusedSocket)
            res.resume()
            res.on('end', resolve)
          })
          req.on('error', reject)
          req.end()
        })
      }
    } finally {
      agent.destroy()
    }
    expect(reused).toEqual([false, true])
  })

  it('counts GETs, ranged GETs, partial replies, complete bodies and bytes', async () => {
    sim.setSize('stats.wav', 1000)
    const url = sim.presign('stats.wav')
    sim.resetStats()
    await bytesOf(await get(url))
    await bytesOf(await get(url, { Range: 'bytes=0-99' }))
    await bytesOf(await get(url, { Range: 'bytes=5000-' }))
    expect(sim.stats.ossGets.get('stats.wav')).toBe(3)
    expect(sim.stats.rangeGets.get('stats.wav')).toBe(2)
    expect(sim.stats.partialReplies.get('stats.wav')).toBe(1)
    expect(sim.stats.completeBodies.get('stats.wav')).toBe(3)
    expect(sim.stats.bytesSent).toBe(2100)
  })
})
