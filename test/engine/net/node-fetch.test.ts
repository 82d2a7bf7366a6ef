import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createNodeFetch } from '../../../main/engine/net/node-fetch.ts'
import { rejectionOf } from '../../rejection.ts'

/**
 * The CLI's http client stands in for fetch wherever the engine takes one, so each case runs
 * through both: what Node's fetch does is what the http client must do.
 */

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void

const routes = new Map<string, Handler>()
let server: Server
let base: string
let connections = 0
const nodeFetch = createNodeFetch()

const BIG = Buffer.alloc(3 * 1024 * 1024 + 17)
for (let i = 0; i < BIG.length; i++) BIG[i] = (i * 31 + (i >> 11)) & 0xff

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const route = routes.get(new URL(req.url ?? '/', 'http://x').pathname)
      if (route) route(req, Buffer.concat(chunks).toString('utf8'), res)
      else res.writeHead(404, { 'content-type': 'text/plain' }).end('no such route')
    })
  })
  server.on('connection', () => connections++)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  routes.set('/big', (_req, _body, res) => {
    res.writeHead(200, { 'content-length': BIG.length, etag: '"abc"', 'x-oss-hash-crc64ecma': '12345' })
    res.end(BIG)
  })
  routes.set('/echo', (req, body, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ method: req.method, type: req.headers['content-type'], length: req.headers['content-length'], range: req.headers.range, body }))
  })
  routes.set('/empty', (_req, _body, res) => res.writeHead(204).end())
  routes.set('/moved', (_req, _body, res) => res.writeHead(302, { location: '/big' }).end())
  // Headers and part of the body, then the line goes quiet until the client gives up.
  routes.set('/stall', (_req, _body, res) => {
    res.writeHead(200, { 'content-length': 1000 })
    res.write(Buffer.alloc(100))
  })
  // Promises 1000 bytes, sends 100, and drops the connection.
  routes.set('/cut', (_req, _body, res) => {
    res.writeHead(200, { 'content-length': 1000 })
    res.write(Buffer.alloc(100), () => res.socket?.destroy())
  })
  // Never answers: for an abort before the reply.
  routes.set('/silent', () => undefined)
})

afterAll(async () => {
  nodeFetch.close()
  server.closeAllConnections()
  server.close()
  await once(server, 'close')
})


function causeCode(e: unknown): unknown {
  return (e as { cause?: { code?: unknown } }).cause?.code
}

describe.each([
  ['Node fetch', globalThis.fetch],
  ['the http client', nodeFetch.fetch],
] as const)('%s', (_port, fetchFn) => {
  it('streams a body of several chunks whole, with its status and headers', async () => {
    const res = await fetchFn(`${base}/big`, { headers: { 'accept-encoding': 'identity' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('etag')).toBe('"abc"')
    expect(res.headers.get('x-oss-hash-crc64ecma')).toBe('12345')
    const reader = res.body!.getReader()
    const parts: Uint8Array[] = []
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      parts.push(value)
    }
    expect(parts.length).toBeGreaterThan(1)
    expect(Buffer.concat(parts).equals(BIG)).toBe(true)
  })

  it('sends a form body with its method, content type and length, and reads a JSON reply', async () => {
    const body = 'Action=DownloadRecording&FileName=%E5%BD%95%E9%9F%B3.wav'
    const res = await fetchFn(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body })
    expect(await res.json()).toEqual({ method: 'POST', type: 'application/x-www-form-urlencoded', length: String(body.length), body })
  })

  it('sends request headers such as Range as given', async () => {
    const res = await fetchFn(`${base}/echo`, { headers: { range: 'bytes=0-0' } })
    expect(((await res.json()) as { range: string }).range).toBe('bytes=0-0')
  })

  it('gives an error status with its body', async () => {
    const res = await fetchFn(`${base}/nowhere`)
    expect(res.status).toBe(404)
    expect(await res.text()).toBe('no such route')
  })

  it('gives a 204 with no body', async () => {
    const res = await fetchFn(`${base}/empty`)
    expect(res.status).toBe(204)
    expect(res.body).toBeNull()
  })

  it('hands a redirect back as it is when asked to', async () => {
    const res = await fetchFn(`${base}/moved`, { redirect: 'manual' })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('/big')
  })

  it('rejects with the reason when aborted before the reply', async () => {
    const controller = new AbortController()
    const pending = fetchFn(`${base}/silent`, { signal: controller.signal })
    controller.abort(new DOMException('stop', 'AbortError'))
    const e = await rejectionOf(pending)
    expect((e as Error).name).toBe('AbortError')
  })

  it('errors the body with the reason when aborted during it', async () => {
    const controller = new AbortController()
    const res = await fetchFn(`${base}/stall`, { signal: controller.signal })
    const reader = res.body!.getReader()
    expect((await reader.read()).value?.length).toBe(100)
    const next = reader.read()
    controller.abort(new DOMException('stop', 'AbortError'))
    const e = await rejectionOf(next)
    expect((e as Error).name).toBe('AbortError')
  })

  it('errors the body with a TypeError when the connection drops before the promised length', async () => {
    const res = await fetchFn(`${base}/cut`)
    const reader = res.body!.getReader()
    let received = 0
    const e = await rejectionOf(
      (async () => {
        for (;;) {
          const { done, value } = await reader.read()
          if (done) return
          received += value.length
        }
      })(),
    )
    expect(e).toBeInstanceOf(TypeError)
    expect(received).toBeLessThanOrEqual(100)
  })

  it('rejects with TypeError("fetch failed") carrying the Node error when nobody listens', async () => {
    const probe = createServer()
    probe.listen(0, '127.0.0.1')
    await once(probe, 'listening')
    const port = (probe.address() as AddressInfo).port
    probe.close()
    await once(probe, 'close')
    const e = await rejectionOf(fetchFn(`http://127.0.0.1:${port}/`))
    expect(e).toBeInstanceOf(TypeError)
    expect((e as Error).message).toBe('fetch failed')
    expect(causeCode(e)).toBe('ECONNREFUSED')
  })

  it('keeps the connection alive across requests one after another', async () => {
    await (await fetchFn(`${base}/echo`)).text()
    const before = connections
    for (let i = 0; i < 5; i++) await (await fetchFn(`${base}/big`)).arrayBuffer()
    expect(connections).toBe(before)
  })
})

describe('the http client', () => {
  it('refuses what it does not do, as fetch refuses a bad URL', async () => {
    expect(await rejectionOf(nodeFetch.fetch('ftp://127.0.0.1/x'))).toBeInstanceOf(TypeError)
    expect(await rejectionOf(nodeFetch.fetch(new Request(`${base}/echo`)))).toBeInstanceOf(TypeError)
    expect(await rejectionOf(nodeFetch.fetch(`${base}/echo`, { method: 'POST', body: new Blob(['x']) }))).toBeInstanceOf(TypeError)
  })
})
