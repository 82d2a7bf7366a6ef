import { createHash, randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LatencyProxy, startLatencyProxy } from '../../scripts/bench/latency-proxy.ts'

// The bench's far-away gateway (issue 16): what it relays must arrive whole, in order, and a
// round trip late, or part a's figures at 30 and 100 ms mean nothing.
const LATENCY_MS = 60
const big = randomBytes(3 * 1024 * 1024)
const sha = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex')

const server = createServer((req, res) => {
  const body: Buffer[] = []
  req.on('data', (c: Buffer) => body.push(c))
  req.on('end', () => {
    if (req.url === '/big') res.end(big)
    else res.end(`${req.method} ${req.url} ${Buffer.concat(body).toString()}`)
  })
})
let proxy: LatencyProxy

beforeAll(async () => {
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  proxy = await startLatencyProxy(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, LATENCY_MS)
})
afterAll(async () => {
  await proxy.close()
  server.closeAllConnections()
  server.close()
})

describe('the bench latency proxy', () => {
  it('delivers requests and replies unchanged, each exchange a round trip late, on one connection after another', async () => {
    for (const n of [1, 2, 3]) {
      const started = performance.now()
      const reply = await fetch(`${proxy.endpoint}/call?n=${n}`, { method: 'POST', body: `form=${n}` })
      expect(await reply.text()).toBe(`POST /call?n=${n} form=${n}`)
      // Timers keep whole milliseconds: a millisecond of rounding either way, never a round trip less.
      expect(performance.now() - started).toBeGreaterThanOrEqual(LATENCY_MS - 2)
    }
  })

  it('delivers the whole reply to a client that finished sending first, and to one on a connection the server closes', async () => {
    const { connect } = await import('node:net')
    const { port } = new URL(proxy.endpoint)
    const socket = connect(Number(port), '127.0.0.1')
    const received: Buffer[] = []
    socket.on('data', (c: Buffer) => received.push(c))
    socket.end('GET /big HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
    await once(socket, 'close')
    const reply = Buffer.concat(received)
    const body = reply.subarray(reply.indexOf('\r\n\r\n') + 4)
    expect(sha(body)).toBe(sha(big))
  })

  it('keeps a reply of many chunks in order', async () => {
    const reply = await fetch(`${proxy.endpoint}/big`)
    expect(sha(new Uint8Array(await reply.arrayBuffer()))).toBe(sha(big))
  })
})
