import { Agent, createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * The latency proxy's own process (latency-proxy.ts starts it): `node latency-proxy-child.mjs
 * <target> <latencyMs>` prints its endpoint on the first line of stdout and serves until it is
 * killed. Every RPC request waits `latencyMs` (one round trip) before it is passed to `target`.
 */
const [target, latency] = process.argv.slice(2)
if (!target || !latency) throw new Error('usage: latency-proxy-child <target> <latencyMs>')
const latencyMs = Number(latency)
const agent = new Agent({ keepAlive: true })
const server = createServer((req, res) => {
  const body: Buffer[] = []
  req.on('data', (chunk: Buffer) => body.push(chunk))
  req.on('end', () => {
    setTimeout(() => {
      const upstream = request(`${target}${req.url ?? '/'}`, { method: req.method, headers: req.headers, agent }, (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers)
        reply.pipe(res)
      })
      upstream.on('error', () => res.destroy())
      upstream.end(Buffer.concat(body))
    }, latencyMs)
  })
})
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo
  process.stdout.write(`http://127.0.0.1:${port}\n`)
})
