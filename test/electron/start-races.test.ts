import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../main/electron/dispatch.ts'
import { createHandlers } from '../../main/electron/handlers.ts'
import { KeyringStore } from '../../main/engine/credentials/keyring-store.ts'
import { type Sim, startSim } from '../sim/index.ts'
import { recordingHost } from './host-recorder.ts'

// What the page sends at once: a Cancel or Pause on the heels of a Start, several Starts, two
// settings saves. Each must be taken whole, or refused; none taken and then run over.
const keyring = process.env.CCC_TEST_KEYRING === '1'

/** Checks between I/O callbacks (setImmediate), so a state that lasts one file write is seen. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setImmediate(r))
}

describe.skipIf(!keyring)('requests that race', () => {
  let sim: Sim
  let dir: string
  const secret = 'races-secret-a1b2c3d4e5f6'
  let handlers: ReturnType<typeof createHandlers>
  const listeners = new Set<(p: { id: string; state: string }) => void>()
  /** The export's progress says `state`: its run has ended so (without starting another to find out). */
  const settled = (id: string, states: readonly string[]) =>
    new Promise<string>((resolve) => {
      const l = (p: { id: string; state: string }) => {
        if (p.id !== id || !states.includes(p.state)) return
        listeners.delete(l)
        resolve(p.state)
      }
      listeners.add(l)
    })
  const value = async <T>(method: string, request?: unknown): Promise<T> => {
    const reply = await dispatch(handlers, method, request)
    if (!reply.ok) throw new Error(`${method}: ${reply.error.code}: ${reply.error.message}`)
    return reply.value as T
  }
  const list = async (prefix: string, n: number) => {
    const names = Array.from({ length: n }, (_, i) => `${prefix}-${i}.wav`)
    for (const name of names) {
      sim.setSize(name, 32 * 1024)
      sim.fault(name, { kind: 'slow', bytesPerSecond: 64 * 1024, times: 1 })
    }
    return (await value<{ token: string }>('import:preview', { source: { kind: 'text', text: names.join('\n') } })).token
  }

  beforeAll(async () => {
    sim = await startSim({ accessKeySecret: secret })
    dir = await mkdtemp(join(tmpdir(), 'races-'))
    handlers = createHandlers({
      host: recordingHost().host,
      secrets: new KeyringStore({ service: `ccc-recordings-races-${process.pid}` }),
      configDir: join(dir, 'config'),
      fetch: globalThis.fetch,
      emit: (_event, payload) => {
        for (const l of [...listeners]) l(payload as { id: string; state: string })
      },
    })
    await value('profiles:save', { profile: { name: 'sim', region: 'cn-shanghai', instanceId: sim.instanceId, accessKeyId: sim.accessKeyId, endpoint: sim.endpoint }, secret })
  })
  afterAll(async () => {
    await handlers.close()
    await value('profiles:remove', { name: 'sim' }).catch(() => undefined)
    await sim.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('cancels an export whose Cancel comes with its Start, and it stays cancellable and pausable', async () => {
    const out = join(dir, 'cancelled')
    const token = await list('rc', 20)
    const ended = settled(out, ['cancelled', 'finished', 'paused'])
    const start = dispatch(handlers, 'export:start', { token, profile: 'sim', outDir: out, concurrency: 2 })
    // The moment the export is open here: what the page's Cancel button may meet.
    await until(() => handlers.exports.get(out) !== undefined)
    const cancel = await dispatch(handlers, 'export:cancel', { id: out })
    expect(cancel, JSON.stringify(cancel)).toMatchObject({ ok: true })
    expect(await start).toMatchObject({ ok: true })
    expect(await ended).toBe('cancelled')
    const runner = handlers.exports.get(out)!
    expect(runner.state).toBe('cancelled')
    expect(await dispatch(handlers, 'export:pause', { id: out })).toMatchObject({ ok: true })
    expect(await dispatch(handlers, 'export:cancel', { id: out })).toMatchObject({ ok: true })
    expect(await readFile(join(out, '.ccc-recordings', 'journal.jsonl'), 'utf8')).toMatch(/"state":"cancelled"/)
  })

  it('pauses an export whose Pause comes with its Start, not blaming another program', async () => {
    const out = join(dir, 'paused')
    const token = await list('rp', 20)
    const ended = settled(out, ['cancelled', 'finished', 'paused'])
    const start = dispatch(handlers, 'export:start', { token, profile: 'sim', outDir: out, concurrency: 2 })
    // The folder is locked, the export still opening: this app's, not another program's.
    await until(() => existsSync(join(out, '.ccc-recordings', 'lock')))
    const pause = await dispatch(handlers, 'export:pause', { id: out })
    expect(pause, JSON.stringify(pause)).toMatchObject({ ok: true })
    expect(await start).toMatchObject({ ok: true })
    expect(await ended).toBe('paused')
  })

  it('takes an export id only as an absolute folder, in any spelling of it', async () => {
    expect(await dispatch(handlers, 'exports:verify', { id: 'spell' })).toMatchObject({ ok: false, error: { code: 'Ipc.InvalidRequest' } })
    expect(await dispatch(handlers, 'export:resume', { id: 'rel/out' })).toMatchObject({ ok: false, error: { code: 'Ipc.InvalidRequest' } })
    const out = join(dir, 'spelled')
    const ended = settled(out, ['cancelled', 'finished', 'paused'])
    await value('export:start', { token: await list('rs', 20), profile: 'sim', outDir: `${out}/`, concurrency: 2 })
    expect(handlers.exports.get(out)?.active).toBe(true)
    expect(await dispatch(handlers, 'export:pause', { id: `${out}//` })).toMatchObject({ ok: true })
    expect(await ended).toBe('paused')
  })

  it('keeps every export of several started at once in History, and both of two settings saved at once', async () => {
    const outs = ['a', 'b', 'c'].map((d) => join(dir, 'many', d))
    const tokens = await Promise.all(outs.map((_, i) => list(`rm${i}`, 2)))
    await Promise.all(outs.map((outDir, i) => value('export:start', { token: tokens[i], profile: 'sim', outDir, concurrency: 2 })))
    await Promise.all(outs.map((o) => handlers.exports.get(o)!.run()))
    const history = await value<{ outDir: string }[]>('exports:history')
    expect(history.map((h) => h.outDir)).toEqual(expect.arrayContaining(outs))
    await Promise.all([value('settings:set', { language: 'en' }), value('settings:set', { concurrency: 9 })])
    expect(await value('settings:get')).toMatchObject({ language: 'en', concurrency: 9 })
  })
})
