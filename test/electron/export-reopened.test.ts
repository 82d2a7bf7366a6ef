/**
 * An export this session did not open (a paused one after a restart, one another program holds),
 * through the real handler map, engine, keychain and simulator: Cancel opens it from its journal
 * without running it; Pause has nothing to pause; another program's hold is said, not ignored.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExportEntry } from '../../main/common/api.ts'
import { dispatch } from '../../main/electron/dispatch.ts'
import { createHandlers } from '../../main/electron/handlers.ts'
import { KeyringStore } from '../../main/engine/credentials/keyring-store.ts'
import { type Sim, startSim } from '../sim/index.ts'
import { recordingHost } from './host-recorder.ts'

const keyring = process.env.CCC_TEST_KEYRING === '1'

type App = ReturnType<typeof createHandlers>

describe.skipIf(!keyring)('cancel and pause of an export this session did not open', () => {
  let sim: Sim
  let dir: string
  const secret = 'reopened-secret-k3j4h5g6'
  const service = `ccc-recordings-test-reopened-${process.pid}`
  const apps: App[] = []
  /** The app started (again): a new handler map on the same config folder and keychain. */
  const launch = (save: string | null = null): App => {
    const app = createHandlers({ host: recordingHost({ save }).host, secrets: new KeyringStore({ service }), configDir: join(dir, 'config'), fetch: globalThis.fetch, emit: () => undefined })
    apps.push(app)
    return app
  }
  const call = (app: App, method: string, request?: unknown) => dispatch(app, method, request)
  const stateIn = async (app: App, out: string) => {
    const reply = await call(app, 'exports:history')
    return reply.ok ? (reply.value as ExportEntry[]).find((e) => e.outDir === out)?.state : reply.error.code
  }
  const journalStates = async (out: string) =>
    (await readFile(join(out, '.ccc-recordings', 'journal.jsonl'), 'utf8'))
      .split('\n')
      .filter((l) => l.includes('"type":"state"'))
      .map((l) => (JSON.parse(l) as { state: string }).state)
  /** Starts an export of `names` into `out` and pauses it at once: what quitting mid-export leaves. */
  const startPaused = async (app: App, out: string, names: readonly string[]) => {
    const preview = await call(app, 'import:preview', { source: { kind: 'text', text: names.join('\n') } })
    if (!preview.ok) throw new Error(preview.error.message)
    const { token } = preview.value as { token: string }
    expect(await call(app, 'export:start', { token, profile: 'sim', outDir: out, concurrency: 1 })).toMatchObject({ ok: true })
    expect(await call(app, 'export:pause', { id: out })).toEqual({ ok: true, value: undefined })
    expect(app.exports.get(out)?.state).toBe('paused')
  }
  const many = (prefix: string) => Array.from({ length: 200 }, (_, i) => `${prefix}-${i}.wav`)

  beforeAll(async () => {
    sim = await startSim({ accessKeySecret: secret })
    dir = await mkdtemp(join(tmpdir(), 'export-reopened-'))
    const app = launch()
    expect(await call(app, 'profiles:save', { profile: { name: 'sim', region: 'cn-shanghai', instanceId: sim.instanceId, accessKeyId: sim.accessKeyId, endpoint: sim.endpoint }, secret })).toMatchObject({ ok: true })
  })
  afterAll(async () => {
    await call(apps[0]!, 'profiles:remove', { name: 'sim' })
    for (const app of apps) await app.close()
    await sim.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('cancels a paused export after a restart (Pause has nothing to do): journalled, in History, nothing downloaded', async () => {
    const out = join(dir, 'restart')
    const before = launch()
    await startPaused(before, out, many('r'))
    await before.close()

    const after = launch()
    expect(await stateIn(after, out)).toBe('paused')
    // Nothing runs it: Pause has nothing to do, and does not open it.
    expect(await call(after, 'export:pause', { id: out })).toEqual({ ok: true, value: undefined })
    expect(after.exports.get(out)).toBeUndefined()
    sim.resetStats()
    expect(await call(after, 'export:cancel', { id: out })).toEqual({ ok: true, value: undefined })
    expect(await stateIn(after, out)).toBe('cancelled')
    expect((await journalStates(out)).at(-1)).toBe('cancelled')
    // Opened to be cancelled, never run: not one recording asked for.
    expect(after.exports.get(out)?.active).toBe(false)
    expect(sim.stats.downloadRecordingCalls.size).toBe(0)
  })

  it('refuses to cancel or pause an export another program has open, rather than answer ok', async () => {
    const out = join(dir, 'held')
    // Its lock is held as the CLI's would be: the lock file names a live process.
    const holder = launch()
    await startPaused(holder, out, many('h'))

    const other = launch()
    expect(await call(other, 'export:cancel', { id: out })).toMatchObject({ ok: false, error: { code: 'Export.InUse', message: expect.stringContaining(out) } })
    expect(await call(other, 'export:pause', { id: out })).toMatchObject({ ok: false, error: { code: 'Export.InUse', message: expect.stringContaining(out) } })
    expect(holder.exports.get(out)?.state).toBe('paused')
    expect((await journalStates(out)).at(-1)).toBe('paused')
  })

  it('leaves a finished export finished, and names the file a failed group could not be saved to', async () => {
    const out = join(dir, 'finished')
    const names = ['f-1.wav', 'f-2.wav']
    sim.remove('f-2.wav')
    const before = launch()
    const preview = await call(before, 'import:preview', { source: { kind: 'text', text: names.join('\n') } })
    expect(await call(before, 'export:start', { token: (preview as { value: { token: string } }).value.token, profile: 'sim', outDir: out })).toMatchObject({ ok: true })
    await before.exports.get(out)!.run()
    await before.close()

    // A folder where the save dialog's file should be: EISDIR, which the page knows as a write failure.
    const saveTo = join(dir, 'a-folder.csv')
    await mkdir(saveTo)
    const after = launch(saveTo)
    expect(await call(after, 'export:cancel', { id: out })).toEqual({ ok: true, value: undefined })
    expect(await stateIn(after, out)).toBe('finished')
    expect(await call(after, 'export:saveGroup', { id: out, code: 'NotExist.Record' })).toMatchObject({
      ok: false,
      error: { code: 'Local.WriteFailed', message: expect.stringContaining(saveTo) },
    })
  })
})
