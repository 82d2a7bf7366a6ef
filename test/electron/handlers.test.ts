import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExportProgress } from '../../main/common/progress.ts'
import { dispatch } from '../../main/electron/dispatch.ts'
import { createHandlers } from '../../main/electron/handlers.ts'
import { isTrustedSender } from '../../main/electron/sender-check.ts'
import { KeyringStore } from '../../main/engine/credentials/keyring-store.ts'
import { importNames } from '../../main/engine/import/csv.ts'
import { type Sim, startSim } from '../sim/index.ts'
import { recordingHost } from './host-recorder.ts'

describe('sender check', () => {
  const app = 'file:///opt/ccc/resources/app.asar/dist/renderer/index.html'
  it('accepts our own page in its top frame only', () => {
    expect(isTrustedSender({ url: app, isTop: true }, app)).toBe(true)
    expect(isTrustedSender({ url: `${app}#/queue`, isTop: true }, app)).toBe(true)
    expect(isTrustedSender({ url: app, isTop: false }, app)).toBe(false)
    expect(isTrustedSender({ url: 'file:///tmp/evil.html', isTop: true }, app)).toBe(false)
    expect(isTrustedSender({ url: 'https://example.com/', isTop: true }, app)).toBe(false)
    expect(isTrustedSender(null, app)).toBe(false)
    expect(isTrustedSender({ url: 'http://127.0.0.1:5173/x', isTop: true }, 'http://127.0.0.1:5173/')).toBe(true)
    expect(isTrustedSender({ url: 'http://127.0.0.1:5174/x', isTop: true }, 'http://127.0.0.1:5173/')).toBe(false)
  })
})

const keyring = process.env.CCC_TEST_KEYRING === '1'

describe.skipIf(!keyring)('handler map with the real engine, keychain and simulator', () => {
  let sim: Sim
  let dir: string
  const secret = 'handlers-secret-a1b2c3d4e5f6'
  const events: ExportProgress[] = []
  const { host, calls } = recordingHost()
  let handlers: ReturnType<typeof createHandlers>
  const replies: unknown[] = []
  const call = async (method: string, request?: unknown) => {
    const reply = await dispatch(handlers, method, request)
    replies.push(reply)
    return reply
  }
  const value = async <T>(method: string, request?: unknown): Promise<T> => {
    const reply = await call(method, request)
    if (!reply.ok) throw new Error(`${method}: ${reply.error.code}: ${reply.error.message}`)
    return reply.value as T
  }

  beforeAll(async () => {
    sim = await startSim({ accessKeySecret: secret })
    dir = await mkdtemp(join(tmpdir(), 'handlers-'))
    handlers = createHandlers({
      host,
      secrets: new KeyringStore({ service: `ccc-recordings-test-${process.pid}` }),
      configDir: join(dir, 'config'),
      fetch: globalThis.fetch,
      emit: (_event, payload) => events.push(payload),
    })
  })
  afterAll(async () => {
    await handlers.close()
    await sim.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('validates every request and names the field', async () => {
    expect(await call('profiles:save', { profile: { name: '', region: 'cn-shanghai', instanceId: 'i', accessKeyId: 'LTAIabcdefgh' } })).toMatchObject({
      ok: false,
      error: { code: 'Ipc.InvalidRequest', message: expect.stringMatching(/profile\.name/) },
    })
    expect(await call('no:such', {})).toMatchObject({ ok: false, error: { code: 'Ipc.UnknownMethod' } })
    expect(await call('export:files', { id: '/x', offset: -1, limit: 10 })).toMatchObject({ ok: false, error: { code: 'Ipc.InvalidRequest' } })
  })

  it('saves a profile with its secret once, and never gives the secret back', async () => {
    const saved = await value<{ accessKeyIdMasked: string }>('profiles:save', {
      profile: { name: 'sim', region: 'cn-shanghai', instanceId: sim.instanceId, accessKeyId: sim.accessKeyId, endpoint: sim.endpoint },
      secret,
    })
    expect(saved.accessKeyIdMasked).toBe(`${sim.accessKeyId.slice(0, 4)}****${sim.accessKeyId.slice(-4)}`)
    expect(await value('profiles:test', { name: 'sim' })).toMatchObject({ kind: 'ok', ok: true })
    expect(await value('profiles:list')).toEqual([expect.objectContaining({ name: 'sim', isDefault: true })])
  })

  it('previews a GB18030 CSV dropped as bytes, runs the export, and pushes progress', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `h-${i}.wav`)
    sim.remove(names[4]!)
    sim.remove(names[5]!)
    const csv = iconv.encode(`话务ID,录音文件名\n${names.map((n, i) => `c${i},${n}`).join('\n')}\nc99,${names[0]}\n`, 'gb18030')
    const preview = await value<{ token: string; names: number; duplicates: number; encoding: string; column: string }>('import:preview', {
      source: { kind: 'bytes', fileName: '录音.csv', data: new Uint8Array(csv) },
    })
    expect(preview).toMatchObject({ names: 12, duplicates: 1, encoding: 'gb18030', column: '录音文件名' })
    const out = join(dir, 'out')
    await value('export:start', { token: preview.token, profile: 'sim', outDir: out, concurrency: 3 })
    const runner = handlers.exports.get(out)!
    await runner.run()
    expect(events.at(-1)).toMatchObject({ id: out, state: 'finished', counts: { done: 10, failed: 2 } })
    expect(events.at(-1)?.failures).toEqual([expect.objectContaining({ code: 'NotExist.Record', count: 2 })])

    const page = await value<{ total: number; rows: { name: string }[] }>('export:files', { id: out, offset: 0, limit: 5, state: 'failed' })
    expect(page.total).toBe(2)
    expect(page.rows.map((r) => r.name)).toEqual([names[4], names[5]])

    // Saved as CSV, the group imports again as a list of names.
    const saveTo = join(dir, 'failed.csv')
    const { host: saving } = recordingHost({ save: saveTo })
    Object.assign(host, { pickSavePath: saving.pickSavePath })
    expect(await value('export:saveGroup', { id: out, code: 'NotExist.Record' })).toBe(saveTo)
    expect((await importNames(saveTo)).names).toEqual([names[4], names[5]])

    sim.replace(names[4]!)
    sim.replace(names[5]!)
    expect(await value('export:retryGroup', { id: out, code: 'NotExist.Record' })).toBe(2)
    await runner.run()
    expect(runner.progress().counts).toMatchObject({ done: 12, failed: 0 })

    const history = await value<{ outDir: string; counts: { done: number } }[]>('exports:history')
    expect(history[0]).toMatchObject({ outDir: out, counts: { done: 12 } })
    await value('shell:openPath', { path: out })
    expect(calls).toContainEqual({ method: 'openPath', path: out })
  })

  it('exports by contact IDs and by date range, listing inside the export', async () => {
    const t0 = Date.UTC(2026, 2, 2, 2, 0, 0)
    sim.addCall({ contactId: 'job-a', startTime: t0, recordings: ['ja-1.wav', 'ja-2.wav'] })
    sim.addCall({ contactId: 'job-b', startTime: t0 + 86_400_000, recordings: ['jb-1.wav'] })
    sim.addCall({ contactId: 'job-c', startTime: t0 + 2 * 86_400_000, recordings: [] })

    const contacts = await value<{ token: string; names: number }>('import:preview', { source: { kind: 'contacts', text: 'ContactId\njob-a\njob-b\njob-a\n' } })
    expect(contacts.names).toBe(2)
    const byContact = join(dir, 'by-contact')
    await value('export:start', { token: contacts.token, profile: 'sim', outDir: byContact, layout: 'by-date' })
    await handlers.exports.get(byContact)!.run()
    expect(handlers.exports.get(byContact)!.progress().counts).toMatchObject({ done: 3, failed: 0 })
    expect((await readFile(join(byContact, '2026/03/02/ja-2.wav'))).equals(sim.content('ja-2.wav'))).toBe(true)

    const range = await value<{ token: string; sourceName: string }>('import:preview', {
      source: { kind: 'range', from: '2026-03-01T00:00:00+08:00', to: '2026-03-10T00:00:00+08:00' },
    })
    expect(range.sourceName).toMatch(/calls from/)
    const byRange = join(dir, 'by-range')
    await value('export:start', { token: range.token, profile: 'sim', outDir: byRange })
    await handlers.exports.get(byRange)!.run()
    // Three files, and the call without a recording reported rather than dropped.
    expect(handlers.exports.get(byRange)!.progress().counts).toMatchObject({ done: 3, skipped: 1 })

    // The same range into the same folder again: a call recorded since is listed and downloaded.
    sim.addCall({ contactId: 'job-d', startTime: t0 + 3 * 86_400_000, recordings: ['jd-1.wav'] })
    const again = await value<{ token: string }>('import:preview', { source: { kind: 'range', from: '2026-03-01T00:00:00+08:00', to: '2026-03-10T00:00:00+08:00' } })
    await value('export:start', { token: again.token, profile: 'sim', outDir: byRange })
    const rerun = handlers.exports.get(byRange)!
    const running = rerun.run()
    // While it runs, a second export into the folder is refused rather than run beside it.
    const third = await value<{ token: string }>('import:preview', { source: { kind: 'text', text: 'x.wav' } })
    expect(await call('export:start', { token: third.token, profile: 'sim', outDir: byRange })).toMatchObject({ ok: false, error: { code: 'Export.Busy' } })
    await running
    expect(rerun.progress().counts).toMatchObject({ done: 4, skipped: 1 })
    expect((await readFile(join(byRange, 'jd-1.wav'))).equals(sim.content('jd-1.wav'))).toBe(true)

    expect(await call('import:preview', { source: { kind: 'range', from: '2026-03-10T00:00:00Z', to: '2026-03-01T00:00:00Z' } })).toMatchObject({
      ok: false,
      error: { code: expect.stringMatching(/^Source\./) },
    })
  })

  it('retries the files that failed when the same list is started again, as the CLI does', async () => {
    const names = Array.from({ length: 5 }, (_, i) => `again-${i}.wav`)
    sim.remove(names[1]!)
    const out = join(dir, 'again')
    const text = names.join('\n')
    const first = await value<{ token: string }>('import:preview', { source: { kind: 'text', text } })
    await value('export:start', { token: first.token, profile: 'sim', outDir: out })
    await handlers.exports.get(out)!.run()
    expect(handlers.exports.get(out)!.progress().counts).toMatchObject({ done: 4, failed: 1 })

    sim.replace(names[1]!)
    sim.resetStats()
    const second = await value<{ token: string }>('import:preview', { source: { kind: 'text', text } })
    const started = await value<{ outDir: string; source: string }>('export:start', { token: second.token, profile: 'sim', outDir: out })
    expect(started).toMatchObject({ outDir: out, source: 'a list of file names' })
    const runner = handlers.exports.get(out)!
    await runner.run()
    expect(runner.progress().counts).toMatchObject({ done: 5, failed: 0 })
    expect([...sim.stats.downloadRecordingCalls.keys()]).toEqual([names[1]])
    // The progress the page got says which export it is, so the Queue need not ask history.
    expect(events.at(-1)).toMatchObject({ id: out, state: 'finished', export: { outDir: out, reportPath: join(out, 'report.csv'), profile: 'sim' } })
  })

  it('let nothing it answered carry the secret', () => {
    expect(JSON.stringify(replies)).not.toContain(secret)
    expect(JSON.stringify(events)).not.toContain(secret)
  })

  it('reports a file it cannot read by name', async () => {
    // Chosen in the dialog, then gone before it was read.
    Object.assign(host, { pickFile: recordingHost({ file: join(dir, 'nope.csv') }).host.pickFile })
    await value('dialog:pickFile')
    const reply = await call('import:preview', { source: { kind: 'file', path: join(dir, 'nope.csv') } })
    expect(reply).toMatchObject({ ok: false, error: { message: expect.stringMatching(/nope\.csv/) } })
  })
})
