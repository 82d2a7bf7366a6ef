import { connect, createServer, type AddressInfo, type Socket } from 'node:net'

/**
 * The latency proxy's own process (latency-proxy.ts starts it): `node latency-proxy-child.mjs
 * <target> <latencyMs>` prints its endpoint on the first line of stdout and serves until it is
 * killed. It relays bytes, not HTTP: each connection is paired with one to `target`, and every
 * chunk waits half of `latencyMs` on its way, so a request and its reply pay one round trip, as
 * across a network. Relaying HTTP (parsing each request and reply again) cost about as much CPU
 * per call as the simulator's own work, on the two cores the CLI runs on.
 */
const [target, latency] = process.argv.slice(2)
if (!target || !latency) throw new Error('usage: latency-proxy-child <target> <latencyMs>')
const { hostname, port } = new URL(target)
const oneWayMs = Number(latency) / 2

/**
 * `from`'s bytes to `to`, each chunk `oneWayMs` late; timers of one duration fire in the order
 * they were set, so bytes stay in order, the end of the stream included. Both sockets allow half
 * a connection open, so a side that has finished sending still gets its reply; only a broken
 * side breaks the other.
 */
function relay(from: Socket, to: Socket): void {
  from.on('data', (chunk) => setTimeout(() => to.write(chunk), oneWayMs))
  from.on('end', () => setTimeout(() => to.end(), oneWayMs))
  from.on('error', () => to.destroy())
  from.on('close', (hadError) => {
    if (hadError) setTimeout(() => to.destroy(), oneWayMs)
  })
}

const server = createServer({ allowHalfOpen: true }, (client) => {
  const upstream = connect({ port: Number(port) || 80, host: hostname, allowHalfOpen: true })
  client.setNoDelay(true)
  upstream.setNoDelay(true)
  relay(client, upstream)
  relay(upstream, client)
})
server.listen(0, '127.0.0.1', () => {
  const { port: own } = server.address() as AddressInfo
  process.stdout.write(`http://127.0.0.1:${own}\n`)
})
