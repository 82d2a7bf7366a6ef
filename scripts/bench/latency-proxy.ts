import { Agent, createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A CCC gateway that is not on loopback: every RPC request waits `latencyMs` (one round trip)
 * before it is passed to the simulator. OSS transfers do not go through it (the presigned URLs
 * name the simulator itself), so only the API calls pay the distance, which is what the two-step
 * peer pays in full before its first transfer and a pipeline can hide behind transfers.
 */
export interface LatencyProxy {
  readonly endpoint: string
  close(): Promise<void>
}

export async function startLatencyProxy(target: string, latencyMs: number): Promise<LatencyProxy> {
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
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
        agent.destroy()
      }),
  }
}
