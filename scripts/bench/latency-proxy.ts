import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { bundled } from './measure.ts'

/**
 * A CCC gateway that is not on loopback: every RPC request and its reply pay `latencyMs` (one
 * round trip) between the client and the simulator. OSS transfers do not go through it (the
 * presigned URLs name the simulator itself), so only the API calls pay the distance, which is
 * what the two-step peer pays in full before its first transfer and a pipeline can hide behind
 * transfers.
 *
 * It runs in a process of its own. In the bench's process, with the simulator, its work for each
 * API call (a request taken, sent on and answered) ran on the same thread that serves the
 * recordings, so it slowed our transfers, which overlap the API calls, and never the floor's,
 * which run alone: a real gateway is another machine (docs/performance.md, "The latency proxy").
 */
export interface LatencyProxy {
  readonly endpoint: string
  close(): Promise<void>
}

const CHILD = fileURLToPath(new URL('./latency-proxy-child.ts', import.meta.url))

export async function startLatencyProxy(target: string, latencyMs: number): Promise<LatencyProxy> {
  const child = spawn(process.execPath, [await bundled(CHILD), target, String(latencyMs)], { stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = once(child, 'exit')
  const endpoint = await new Promise<string>((resolve, reject) => {
    let text = ''
    child.stdout.setEncoding('utf8').on('data', (t: string) => {
      text += t
      const end = text.indexOf('\n')
      if (end >= 0) resolve(text.slice(0, end))
    })
    // A child that could not start rejects `exited` itself (an 'error' event): either way, no endpoint.
    exited.then(([code]) => reject(new Error(`the latency proxy exited ${String(code)} before it listened`)), reject)
  })
  return {
    endpoint,
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill()
      await exited
    },
  }
}
