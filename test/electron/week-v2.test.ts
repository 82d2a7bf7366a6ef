import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExportEntry, ImportPreview, RangeCount } from '../../main/common/api.ts'
import { dispatch } from '../../main/electron/dispatch.ts'
import { createHandlers } from '../../main/electron/handlers.ts'
import { KeyringStore } from '../../main/engine/credentials/keyring-store.ts'
import { journalPath } from '../../main/engine/export/journal.ts'
import { journalDone, notReadyInReport } from '../export-output.ts'
import { type Sim, startSim } from '../sim/index.ts'
import { stopWhenJournalled, TOTAL, weekOfCalls } from '../week-of-calls.ts'
import { recordingHost } from './host-recorder.ts'

// Issue 14's "Done when" in the app, through the real handler map and the real keyring: a 2.0
// profile exports a week of more than 10,000 calls (some not ready, some archived), every ready
// recording byte-exact with its call's metadata in the manifest; an export closed mid-run, as an
// app quit closes it, is reopened by the next session's handlers and finishes; a 1.0 profile's
// export works unchanged beside it.
const keyring = process.env.CCC_TEST_KEYRING === '1'

// One call in ten is ready: over 10,000 calls to list, about a thousand tiny files per export.
const week = weekOfCalls({ start: Date.UTC(2026, 5, 1), ready: 7, idOf: (i) => `app-${8_000_000 + i}`, agentOf: (i) => `Agent ${i % 41}` })
const { ready, notReady, archived, readyFiles } = week

describe.skipIf(!keyring)('a week of more than 10,000 CCC 2.0 calls in the app', () => {
  let sim: Sim
  let v1: Sim
  let dir: string
  const service = `ccc-recordings-test-week-${process.pid}`
  let handlers: ReturnType<typeof createHandlers>
  // One session of the app: handlers over the config folder and the keyring, as main.ts makes them.
  const session = () =>
    createHandlers({ host: recordingHost().host, secrets: new KeyringStore({ service }), configDir: join(dir, 'config'), fetch: globalThis.fetch, emit: () => {} })
  const value = async <T>(method: string, request?: unknown): Promise<T> => {
    const reply = await dispatch(handlers, method, request)
    if (!reply.ok) throw new Error(`${method}: ${reply.error.code}: ${reply.error.message}`)
    return reply.value as T
  }
  const weekSource = { kind: 'range', from: week.from, to: week.to }

  beforeAll(async () => {
    sim = await startSim({ apiVersion: '2020-07-01', instanceId: 'ccc-app-week', defaultSize: () => 64 })
    week.addTo(sim)
    v1 = await startSim({ instanceId: 'ccc-app-week-v1', defaultSize: () => 64 })
    dir = await mkdtemp(join(tmpdir(), 'week-v2-app-'))
    handlers = session()
    await value('profiles:save', {
      profile: { name: 'two', region: 'cn-shanghai', instanceId: sim.instanceId, accessKeyId: sim.accessKeyId, endpoint: sim.endpoint, apiVersion: '2020-07-01' },
      secret: sim.accessKeySecret,
    })
    // A profile as saved before 2.0 existed: no generation, which means 1.0.
    await value('profiles:save', { profile: { name: 'one', region: 'cn-shanghai', instanceId: v1.instanceId, accessKeyId: v1.accessKeyId, endpoint: v1.endpoint }, secret: v1.accessKeySecret })
  })
  afterAll(async () => {
    if (handlers) {
      await dispatch(handlers, 'profiles:remove', { name: 'two' })
      await dispatch(handlers, 'profiles:remove', { name: 'one' })
      await handlers.close()
    }
    await sim?.close()
    await v1?.close()
    await rm(dir, { recursive: true, force: true })
  })

  /** Every archived call back in archive storage: each export must restore them itself. */
  const archiveAgain = () => week.archiveIn(sim)

  /** Restores asked for while `body` runs. */
  async function restoresDuring(body: () => Promise<void>): Promise<string[]> {
    const restored = new Set<string>()
    const on = (contacts: readonly string[]) => contacts.forEach((c) => restored.add(c))
    sim.events.on('restore', on)
    try {
      await body()
    } finally {
      sim.events.off('restore', on)
    }
    return [...restored].sort()
  }

  async function expectExported(out: string): Promise<void> {
    const status = await handlers.exports.status(out)
    expect(status?.counts).toMatchObject({ done: ready.length, skipped: notReady.length, failed: 0 })
    for (const id of ready) expect((await readFile(join(out, `${id}.wav`))).equals(sim.content(`${id}.wav`)), id).toBe(true)
    const skipped = await notReadyInReport(out)
    expect(skipped.size).toBe(notReady.length)
    for (const id of notReady) expect(skipped.has(id), id).toBe(true)
    await week.expectManifest(out)
  }

  it('counts the week, exports every ready recording byte-exact with its metadata, skips those not ready and restores the archived ones', async () => {
    const range = await value<ImportPreview>('import:preview', { source: weekSource })
    expect(await value<RangeCount>('import:count', { token: range.token, profile: 'two' })).toMatchObject({ calls: TOTAL })
    const out = join(dir, 'whole')
    archiveAgain()
    const restored = await restoresDuring(async () => {
      await value('export:start', { token: range.token, profile: 'two', outDir: out, concurrency: 16 })
      expect(await handlers.exports.get(out)!.run()).toBe('finished')
    })
    expect(restored).toEqual([...archived].sort())
    await expectExported(out)
  }, 120_000)

  it('an export closed mid-run, as quitting the app closes it, is reopened by the next session and finishes', async () => {
    const range = await value<ImportPreview>('import:preview', { source: weekSource })
    const out = join(dir, 'quit')
    archiveAgain()
    const restored = await restoresDuring(async () => {
      await value('export:start', { token: range.token, profile: 'two', outDir: out, concurrency: 16 })
      const running = handlers.exports.get(out)!.run()
      // Closed once 20 files are journalled done.
      const watch = stopWhenJournalled(sim, out, 20, () => handlers.close())
      try {
        expect(await running).toBe('paused')
      } finally {
        watch.detach()
      }
      expect(watch.stopped()).toBeDefined()
      await watch.stopped()
      const before = await journalDone(out)
      expect(before.length).toBeGreaterThanOrEqual(20)
      expect(before.length).toBeLessThan(ready.length)
      expect(before.filter((n) => !readyFiles.has(n))).toEqual([])

      // The next session: History lists the folder, export:resume reopens it from its journal.
      handlers = session()
      const history = await value<ExportEntry[]>('exports:history')
      expect(history.map((e) => e.id)).toContain(out)
      sim.resetStats()
      await value('export:resume', { id: out })
      expect(await handlers.exports.get(out)!.run()).toBe('finished')
      // Resumed, not started over: nothing verified before the quit is fetched again.
      for (const name of before) expect(sim.stats.ossGets.get(name) ?? 0, `${name} was verified before the quit`).toBe(0)
      // What it did fetch (the simulator counts GETs by these names) is only what was still to do.
      const fetched = [...sim.stats.ossGets.keys()]
      expect(fetched.length).toBeGreaterThan(0)
      expect(fetched.filter((n) => !readyFiles.has(n) || before.includes(n))).toEqual([])
    })
    expect(restored).toEqual([...archived].sort())
    await expectExported(out)
  }, 120_000)

  it('a 1.0 profile in the same setup exports a names list unchanged', async () => {
    const names = ['20260601-0001.wav', '20260601-0002.wav']
    const list = await value<ImportPreview>('import:preview', { source: { kind: 'text', text: names.join('\n') } })
    const out = join(dir, 'v1')
    await value('export:start', { token: list.token, profile: 'one', outDir: out })
    expect(await handlers.exports.get(out)!.run()).toBe('finished')
    for (const n of names) expect((await readFile(join(out, n))).equals(v1.content(n)), n).toBe(true)
    expect(JSON.parse((await readFile(journalPath(out), 'utf8')).split('\n')[0]!).source).not.toHaveProperty('api')
  })
})
