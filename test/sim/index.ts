import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ArchiveOptions } from './archive.ts'
import type { SimCallInput } from './calls.ts'
import type { StormOptions } from './faults.ts'
import { handleOss, isOssPath } from './oss.ts'
import { presignedUrl } from './oss-url.ts'
import { handleRpc } from './rpc.ts'
import { createState, type SimState } from './state.ts'
import { clearStats, type SimFault, type SimOptions, type SimStats } from './types.ts'

/**
 * CCC (RPC 2017-07-05) + OSS simulator on 127.0.0.1: the real HTTP server the engine's tests,
 * benchmarks and demos talk to. The contract is notes/sim-api.md; behaviour follows ccc-api.md.
 */

export type { SimFault, SimFaultKind, SimOptions, SimStats } from './types.ts'
export { unusedUrls } from './types.ts'
export type { SimCallInput } from './calls.ts'
export type { ArchiveOptions } from './archive.ts'

export interface Sim {
  endpoint: string
  instanceId: string
  accessKeyId: string
  accessKeySecret: string
  securityToken?: string
  stats: SimStats
  resetStats(): void
  content(name: string): Buffer
  etag(name: string): string
  setSize(name: string, bytes: number): void
  remove(name: string): void
  replace(name: string): void
  fault(name: string, fault: SimFault): void
  /** The faults still pending for `name` are dropped: what was failing passes. */
  clearFaults(name: string): void
  set(options: Partial<Pick<SimOptions, 'ossOpen' | 'permissions' | 'quoteSignatureUrl'>>): void
  setThrottleAll(opts: StormOptions | null): void
  /**
   * Seeds a call for ListRecordingsByContactId and ListCallDetailRecords (test/sim/list-actions.ts
   * says how they answer); its recordings are served like any other name.
   */
  addCall(call: SimCallInput): void
  /** A seeded call whose recording was not ready (2.0, `notReady`) is ready now: "later", without another simulator. */
  makeReady(contactId: string): void
  /** A seeded call's agent is someone else now (renamed in CCC, or the record corrected): a later listing says so. */
  renameAgent(contactId: string, agentName: string): void
  /**
   * Puts a seeded call's recordings (`<id>.wav`, `<id>.mkv`, its legs) in archive storage: OSS
   * refuses their GETs until RestoreArchivedRecordings has restored them (test/sim/archive.ts).
   */
  archive(contactId: string, options?: ArchiveOptions): void
  /**
   * Not in sim-api.md, added for tests that talk to OSS directly: a URL like the one
   * DownloadRecording issues (unquoted), optionally signed for HEAD or with a chosen Expires.
   */
  /** Moments tests can act on: a body's progress and end, a DownloadRecording answered, a listing call. */
  events: SimState['events']
  presign(name: string, opts?: { method?: 'GET' | 'HEAD'; expires?: number }): string
  close(): Promise<void>
}

export async function startSim(options: SimOptions = {}): Promise<Sim> {
  const state = createState(options)
  const server = createServer((req, res) => {
    route(req, res, state).catch((e: unknown) => {
      // A handler bug must show up as a failing request, not as a hung one.
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'text/plain' })
        res.end(`simulator error: ${String(e)}`)
      } else {
        res.destroy()
      }
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  state.endpoint = `http://127.0.0.1:${port}`

  return {
    endpoint: state.endpoint,
    instanceId: state.instanceId,
    accessKeyId: state.accessKeyId,
    accessKeySecret: state.accessKeySecret,
    ...(state.securityToken === undefined ? {} : { securityToken: state.securityToken }),
    stats: state.stats,
    events: state.events,
    resetStats: () => clearStats(state.stats),
    content: (name) => state.objects.content(name),
    etag: (name) => state.objects.meta(name).etag,
    setSize: (name, bytes) => state.objects.setSize(name, bytes),
    remove: (name) => state.objects.remove(name),
    replace: (name) => state.objects.replace(name),
    fault: (name, fault) => state.faults.add(name, fault),
    clearFaults: (name) => state.faults.clear(name),
    set: (flags) => {
      for (const k of ['ossOpen', 'permissions', 'quoteSignatureUrl'] as const) {
        const v = flags[k]
        if (v !== undefined) state.flags[k] = v
      }
    },
    setThrottleAll: (opts) => state.storm.set(opts, state.now()),
    addCall: (call) => state.calls.add(call),
    makeReady: (contactId) => {
      const call = state.calls.get(contactId)
      if (!call) throw new Error(`makeReady: no call ${contactId} (Sim.addCall it first)`)
      call.notReady = false
    },
    renameAgent: (contactId, agentName) => {
      const call = state.calls.get(contactId)
      if (!call) throw new Error(`renameAgent: no call ${contactId} (Sim.addCall it first)`)
      call.agentName = agentName
    },
    archive: (contactId, opts) => {
      const call = state.calls.get(contactId)
      if (!call) throw new Error(`archive: no call ${contactId} (Sim.addCall it first)`)
      state.archive.add(contactId, [`${contactId}.wav`, `${contactId}.mkv`, ...call.recordings], opts)
    },
    presign: (name, opts) =>
      presignedUrl(state, name, opts?.expires ?? Math.floor(state.now() / 1000) + state.urlTtlSeconds, opts?.method ?? 'GET'),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()))
        // Keep-alive sockets and paced bodies would otherwise hold close() open.
        server.closeAllConnections()
      }),
  }
}

async function route(req: IncomingMessage, res: ServerResponse, state: SimState): Promise<void> {
  const url = req.url ?? '/'
  if (isOssPath(url)) return handleOss(req, res, state)
  if (url === '/' || url.startsWith('/?')) return handleRpc(req, res, state)
  res.writeHead(404, { 'Content-Type': 'text/plain' })
  res.end('not found')
}
