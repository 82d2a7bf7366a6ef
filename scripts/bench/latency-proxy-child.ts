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

/** `from`'s bytes to `to`, each chunk `oneWayMs` late; timers of one duration fire in the order they were set, so bytes stay in order. */
function relay(from: Socket, to: Socket): void {
  from.on('data', (chunk) => setTimeout(() => to.write(chunk), oneWayMs))
  from.on('end', () => setTimeout(() => to.end(), oneWayMs))
  from.on('error', () => to.destroy())
  from.on('close', () => setTimeout(() => to.destroy(), oneWayMs))
}

const server = createServer((client) => {
  const upstream = connect(Number(port), hostname)
  client.setNoDelay(true)
  upstream.setNoDelay(true)
  relay(client, upstream)
  relay(upstream, client)
})
server.listen(0, '127.0.0.1', () => {
  const { port: own } = server.address() as AddressInfo
  process.stdout.write(`http://127.0.0.1:${own}\n`)
})
