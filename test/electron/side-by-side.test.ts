/**
 * Several exports at once through the real handler map, engine, keychain and simulator: each named
 * by its source, all paused and resumed together, one bandwidth budget shared by all.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExportEntry, ExportEvent } from '../../main/common/api.ts'
import { dispatch } from '../../main/electron/dispatch.ts'
import { createHandlers } from '../../main/electron/handlers.ts'
import { KeyringStore } from '../../main/engine/credentials/keyring-store.ts'
import { type Sim, startSim } from '../sim/index.ts'
import { recordingHost } from './host-recorder.ts'

const keyring = process.env.CCC_TEST_KEYRING === '1'

describe.skipIf(!keyring)('exports side by side', () => {
  let sim: Sim
  let dir: string
  const secret = 'side-by-side-secret-q1w2e3r4'
  const events: ExportEvent[] = []
  let handlers: ReturnType<typeof createHandlers>
  const value = async <T>(method: string, request?: unknown): Promise<T> => {
    const reply = await dispatch(handlers, method, request)
    if (!reply.ok) throw new Error(`${method}: ${reply.error.code}: ${reply.error.message}`)
    return reply.value as T
  }
  /** Starts an export of `names` from a dropped file called `fileName` into `out`. */
  const start = async (fileName: string, names: readonly string[], out: string): Promise<ExportEntry> => {
    const data = new TextEncoder().encode(`${names.join('\n')}\n`)
    const { token } = await value<{ token: string }>('import:preview', { source: { kind: 'bytes', fileName, data } })
    return value<ExportEntry>('export:start', { token, profile: 'sim', outDir: out, concurrency: 2 })
  }

  beforeAll(async () => {
    sim = await startSim({ accessKeySecret: secret })
    dir = await mkdtemp(join(tmpdir(), 'side-by-side-'))
    handlers = createHandlers({
      host: recordingHost().host,
      secrets: new KeyringStore({ service: `ccc-recordings-sbs-${process.pid}` }),
      configDir: join(dir, 'config'),
      fetch: globalThis.fetch,
      emit: (_event, payload) => events.push(payload),
    })
    await value('profiles:save', { profile: { name: 'sim', region: 'cn-shanghai', instanceId: sim.instanceId, accessKeyId: sim.accessKeyId, endpoint: sim.endpoint }, secret })
  })

  afterAll(async () => {
    await handlers?.close()
    await sim?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('names each export by its source, pauses all, resumes all, and forgets one from History', async () => {
    const a = Array.from({ length: 4 }, (_, i) => `sbs-a-${i}.wav`)
    const b = Array.from({ length: 4 }, (_, i) => `sbs-b-${i}.wav`)
    for (const n of [...a, ...b]) {
      sim.setSize(n, 256 * 1024)
      sim.fault(n, { kind: 'slow', bytesPerSecond: 64 * 1024, times: 1 })
    }
    const outA = join(dir, 'a')
    const outB = join(dir, 'b')
    expect((await start('calls-march.csv', a, outA)).origin).toEqual({ kind: 'names', file: 'calls-march.csv' })
    await start('calls-april.csv', b, outB)
    expect(handlers.exports.get(outA)?.active && handlers.exports.get(outB)?.active).toBe(true)

    expect(await value('exports:pauseAll')).toBe(2)
    expect([handlers.exports.get(outA)?.state, handlers.exports.get(outB)?.state]).toEqual(['paused', 'paused'])
    const last = (id: string) => events.filter((e) => e.id === id).at(-1)
    expect(last(outB)?.export.origin).toEqual({ kind: 'names', file: 'calls-april.csv' })

    expect(await value('exports:resumeAll')).toBe(2)
    await Promise.all([handlers.exports.get(outA)!.run(), handlers.exports.get(outB)!.run()])
    expect([last(outA)?.state, last(outB)?.state]).toEqual(['finished', 'finished'])

    const history = await value<ExportEntry[]>('exports:history')
    expect(history.map((h) => [h.id, h.origin])).toEqual([
      [outB, { kind: 'names', file: 'calls-april.csv' }],
      [outA, { kind: 'names', file: 'calls-march.csv' }],
    ])
    await value('exports:forget', { id: outA })
    expect((await value<ExportEntry[]>('exports:history')).map((h) => h.id)).toEqual([outB])
  })

  it('shares one bandwidth limit among all running exports, set from Settings at once', async () => {
    const limit = 256 * 1024
    await value('settings:set', { maxBytesPerSecond: limit })
    expect(handlers.bandwidth.limit).toBe(limit)
    const a = Array.from({ length: 2 }, (_, i) => `bw-a-${i}.wav`)
    const b = Array.from({ length: 2 }, (_, i) => `bw-b-${i}.wav`)
    for (const n of [...a, ...b]) sim.setSize(n, 128 * 1024)
    const began = Date.now()
    await start('a.csv', a, join(dir, 'bw-a'))
    await start('b.csv', b, join(dir, 'bw-b'))
    await Promise.all([handlers.exports.get(join(dir, 'bw-a'))!.run(), handlers.exports.get(join(dir, 'bw-b'))!.run()])
    // 512 KB at 256 KB/s in all takes about 2 s; with a limit each, both would be done in about 1 s.
    expect(Date.now() - began).toBeGreaterThan(1600)
    await value('settings:set', { maxBytesPerSecond: null })
    expect(handlers.bandwidth.limit).toBeNull()
  })

  it('retries every failed file of a finished export, whatever its code', async () => {
    const names = ['rf-1.wav', 'rf-2.wav', 'rf-3.wav']
    sim.remove('rf-2.wav')
    sim.remove('rf-3.wav')
    const out = join(dir, 'rf')
    await start('rf.csv', names, out)
    await handlers.exports.get(out)!.run()
    expect(handlers.exports.get(out)?.state).toBe('finished')
    sim.replace('rf-2.wav')
    sim.replace('rf-3.wav')
    expect(await value('export:retryFailed', { id: out })).toBe(2)
    await handlers.exports.get(out)!.run()
    const last = events.filter((e) => e.id === out).at(-1)
    expect(last).toMatchObject({ state: 'finished', counts: { done: 3, failed: 0 } })
  })
})
