import { once } from 'node:events'
import { createServer, request, type Server } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCliFetch } from '../../main/cli/proxy-fetch.ts'
import { transportError } from '../../main/engine/download/oss-errors.ts'
import { rejectionOf } from '../rejection.ts'

/** A forward proxy as call centres run them: CONNECT tunnels, and absolute-form requests passed on. */
let proxy: Server
let target: Server
let proxyUrl: string
let targetUrl: string
const seen: string[] = []

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

beforeAll(async () => {
  target = createServer((req, res) => res.end(`hello from ${req.url}`))
  targetUrl = await listen(target)
  proxy = createServer((req, res) => {
    seen.push(`GET ${req.url}`)
    const upstream = request(req.url ?? '', { method: req.method, headers: req.headers }, (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers)
      reply.pipe(res)
    })
    req.pipe(upstream)
  })
  proxy.on('connect', (req, socket, head) => {
    seen.push(`CONNECT ${req.url}`)
    const [host, port] = (req.url ?? '').split(':')
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(socket)
      socket.pipe(upstream)
    })
    upstream.on('error', () => socket.destroy())
    socket.on('error', () => upstream.destroy())
  })
  proxyUrl = await listen(proxy)
})

afterAll(async () => {
  for (const server of [proxy, target]) {
    server.closeAllConnections()
    server.close()
  }
})

describe('the CLI fetch and proxies', () => {
  it('goes through HTTP_PROXY when it is set', async () => {
    const before = seen.length
    const res = await createCliFetch({ HTTP_PROXY: proxyUrl })(`${targetUrl}/via-proxy`)
    expect(await res.text()).toBe('hello from /via-proxy')
    expect(seen.length).toBeGreaterThan(before)
    expect(seen.slice(before).join(' ')).toContain(new URL(targetUrl).host)
  })

  it('goes straight to hosts listed in NO_PROXY', async () => {
    const before = seen.length
    const res = await createCliFetch({ HTTP_PROXY: proxyUrl, NO_PROXY: '127.0.0.1' })(`${targetUrl}/direct`)
    expect(await res.text()).toBe('hello from /direct')
    expect(seen.length).toBe(before)
  })

  it('goes straight to the server when no proxy is set', async () => {
    const before = seen.length
    const res = await createCliFetch({})(`${targetUrl}/plain`)
    expect(await res.text()).toBe('hello from /plain')
    expect(seen.length).toBe(before)
  })

  it('fails as a network error, with the reason, when the proxy cannot be reached', async () => {
    const e = await rejectionOf(createCliFetch({ HTTPS_PROXY: 'http://127.0.0.1:1' })('https://example.invalid/'), TypeError)
    const error = transportError(e)
    expect(error.code).toBe('Network')
    expect(error.message).toContain('ECONNREFUSED')
  })
})
