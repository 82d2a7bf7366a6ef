import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../main/electron/dispatch.ts'
import { createHandlers } from '../../main/electron/handlers.ts'
import { KeyringStore } from '../../main/engine/credentials/keyring-store.ts'
import { type Sim, startSim } from '../sim/index.ts'
import { recordingHost } from './host-recorder.ts'

const keyring = process.env.CCC_TEST_KEYRING === '1'

async function filesUnder(dir: string): Promise<string[]> {
  const all = await readdir(dir, { recursive: true, withFileTypes: true })
  return all
    .filter((e) => e.isFile() && !relative(dir, join(e.parentPath, e.name)).startsWith('.ccc'))
    .map((e) => relative(dir, join(e.parentPath, e.name)).replaceAll('\\', '/'))
    .filter((p) => p.endsWith('.wav'))
    .sort()
}

describe.skipIf(!keyring)('naming, filters and verify through the handlers (issue 13 in the app)', () => {
  let sim: Sim
  let dir: string
  let handlers: ReturnType<typeof createHandlers>
  const secret = 'calls-secret-a1b2c3d4e5f6'
  const call = (method: string, request?: unknown) => dispatch(handlers, method, request)
  const value = async <T>(method: string, request?: unknown): Promise<T> => {
    const reply = await call(method, request)
    if (!reply.ok) throw new Error(`${method}: ${reply.error.code}: ${reply.error.message}`)
    return reply.value as T
  }
  const csv = ['录音文件名,坐席,开始时间', 'z-1.wav,张伟,2026-03-01 09:15:00', 'l-1.wav,李娜,2026-03-01 10:00:00', 'z-2.wav,张伟,2026-03-02 11:30:00'].join('\n')
  const preview = () => value<{ token: string }>('import:preview', { source: { kind: 'bytes', fileName: 'calls.csv', data: new TextEncoder().encode(csv) } })

  beforeAll(async () => {
    sim = await startSim({ accessKeySecret: secret })
    dir = await mkdtemp(join(tmpdir(), 'call-choices-'))
    handlers = createHandlers({
      host: recordingHost().host,
      secrets: new KeyringStore({ service: `ccc-recordings-test-calls-${process.pid}` }),
      configDir: join(dir, 'config'),
      fetch: globalThis.fetch,
      emit: () => {},
    })
    await value('profiles:save', { profile: { name: 'sim', region: 'cn-shanghai', instanceId: sim.instanceId, accessKeyId: sim.accessKeyId, endpoint: sim.endpoint }, secret })
  })
  afterAll(async () => {
    await handlers.close()
    await sim.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('previews names in the chosen time zone, China Standard Time when none is chosen, and refuses an unknown zone', async () => {
    const { token } = await preview()
    const template = '{date}_{HH}{mm}_{fileName}'
    expect(await value('import:names', { token, template })).toEqual(['2026-03-01_0915_z-1.wav', '2026-03-01_1000_l-1.wav', '2026-03-02_1130_z-2.wav'])
    expect(await value('import:names', { token, template, timeZone: 'Asia/Shanghai' })).toEqual(['2026-03-01_0915_z-1.wav', '2026-03-01_1000_l-1.wav', '2026-03-02_1130_z-2.wav'])
    expect(await value('import:names', { token, template, timeZone: 'UTC' })).toEqual(['2026-03-01_0115_z-1.wav', '2026-03-01_0200_l-1.wav', '2026-03-02_0330_z-2.wav'])
    expect(await call('import:names', { token, template, timeZone: 'Mars/Olympus' })).toMatchObject({ ok: false, error: { code: 'Template.Invalid' } })
  })

  it('previews the first names a template or preset gives, and refuses a bad one with its code', async () => {
    const { token } = await preview()
    expect(await value('import:names', { token, template: 'by-agent-date' })).toEqual(['张伟/2026/03/01/z-1.wav', '李娜/2026/03/01/l-1.wav', '张伟/2026/03/02/z-2.wav'])
    expect(await value('import:names', { token, template: 'flat' })).toEqual(['z-1.wav', 'l-1.wav', 'z-2.wav'])
    expect(await call('import:names', { token, template: '{agent}/{nope}' })).toMatchObject({ ok: false, error: { code: 'Template.Invalid', message: expect.stringContaining('nope') } })
    expect(await call('import:names', { token, template: '{col:客户}' })).toMatchObject({ ok: false, error: { code: 'Template.Invalid' } })
  })

  it('exports only the filtered calls under the template, then verifies the folder and names a changed file', async () => {
    const { token } = await preview()
    const out = join(dir, 'zhang')
    const start = { token, profile: 'sim', outDir: out, nameTemplate: '{agent}/{date}_{fileName}', filter: { agent: '张伟' } }
    expect(await call('export:start', { ...start, filter: { minDuration: 5, maxDuration: 1 } })).toMatchObject({ ok: false, error: { code: 'Filter.Invalid' } })
    await value('export:start', start)
    await handlers.exports.get(out)!.run()
    expect(await filesUnder(out)).toEqual(['张伟/2026-03-01_z-1.wav', '张伟/2026-03-02_z-2.wav'])

    expect(await value('exports:verify', { id: out })).toMatchObject({ ok: true, files: 2, missing: 0, changed: 0, problems: [] })
    await writeFile(join(out, '张伟/2026-03-01_z-1.wav'), 'not a recording')
    const after = await value<{ ok: boolean; changed: number; problems: unknown[] }>('exports:verify', { id: out })
    expect(after).toMatchObject({ ok: false, changed: 1, problems: [{ kind: 'changed', path: '张伟/2026-03-01_z-1.wav' }] })
    const history = await value<{ outDir: string; lastVerified?: { ok: boolean } }[]>('exports:history')
    expect(history.find((h) => h.outDir === out)?.lastVerified).toMatchObject({ ok: false, changed: 1 })
    expect(after).not.toHaveProperty('noManifest')
    // A folder whose export never wrote a manifest is checked against its journal, and says so.
    await rm(join(out, 'manifest.jsonl'))
    expect(await value('exports:verify', { id: out })).toMatchObject({ noManifest: true, sinceManifest: 2, changed: 1 })
  })

  it('says what an export not run to its end has still to download, when its folder is verified', async () => {
    const { token } = await preview()
    const out = join(dir, 'unrun')
    // One recording held back long enough for the pause to find it unfinished.
    sim.fault('l-1.wav', { kind: 'slow', bytesPerSecond: 64, times: 1 })
    await value('export:start', { token, profile: 'sim', outDir: out })
    await handlers.exports.get(out)!.pause()
    // The pause may come before the slow reply was asked for: the fault must not slow the next test.
    sim.clearFaults('l-1.wav')
    const verified = await value<{ ok: boolean; toDo?: number }>('exports:verify', { id: out })
    expect(verified.ok).toBe(true)
    expect(verified.toDo).toBeGreaterThanOrEqual(1)
  })

  it('says when a start into a folder kept the naming its export began with', async () => {
    const out = join(dir, 'kept')
    const first = await preview()
    expect((await value<{ namingKept?: string }>('export:start', { token: first.token, profile: 'sim', outDir: out, nameTemplate: '{agent}/{fileName}' })).namingKept).toBeUndefined()
    await handlers.exports.get(out)!.run()
    const again = await preview()
    expect(await value<{ namingKept?: string }>('export:start', { token: again.token, profile: 'sim', outDir: out, nameTemplate: 'by-date' })).toMatchObject({ namingKept: '{agent}/{fileName}' })
    await handlers.exports.get(out)!.run()
    expect(await filesUnder(out)).toEqual(['张伟/z-1.wav', '张伟/z-2.wav', '李娜/l-1.wav'])
  })

  it('counts a date range’s calls before Start, from page 1 of each window, with an estimate of the bytes', async () => {
    const t0 = Date.UTC(2026, 4, 4, 2, 0, 0)
    for (let i = 0; i < 130; i++) sim.addCall({ contactId: `cnt-${i}`, startTime: t0 + i * 3_600_000, recordings: [`cnt-${i}.wav`] })
    const { token } = await value<{ token: string }>('import:preview', { source: { kind: 'range', from: '2026-05-04T00:00:00+08:00', to: '2026-05-17T23:59:59+08:00' } })
    const counted = await value<{ calls: number; estimatedBytes: number | null }>('import:count', { token, profile: 'sim' })
    expect(counted.calls).toBe(130)
    expect(counted.estimatedBytes === null || counted.estimatedBytes > 0).toBe(true)
    const year = await value<{ token: string }>('import:preview', { source: { kind: 'range', from: '2025-01-01T00:00:00+08:00', to: '2025-12-31T23:59:59+08:00' } })
    expect(await value('import:count', { token: year.token, profile: 'sim' })).toMatchObject({ calls: null, estimatedBytes: null })
  })

  it('names a date range’s first recordings as the export will, under the template and the filter, and estimates what the filter keeps', async () => {
    const t0 = Date.UTC(2026, 5, 1, 1, 0, 0)
    for (let i = 0; i < 10; i++) sim.addCall({ contactId: `ag-${i}`, startTime: t0 + i * 60_000, recordings: [`ag-${i}.wav`], agentName: i % 2 === 0 ? '张三' : '李四', duration: 100 })
    const { token } = await value<{ token: string }>('import:preview', { source: { kind: 'range', from: '2026-06-01T00:00:00+08:00', to: '2026-06-02T00:00:00+08:00' } })
    type Counted = { calls: number; estimatedBytes: number; sample: string[] }
    const all = await value<Counted>('import:count', { token, profile: 'sim', template: '{agent}/{HH}{mm}_{fileName}' })
    expect(all.calls).toBe(10)
    expect(all.sample).toEqual(['张三/0900_ag-0.wav', '李四/0901_ag-1.wav', '张三/0902_ag-2.wav', '李四/0903_ag-3.wav', '张三/0904_ag-4.wav'])
    const zhang = await value<Counted>('import:count', { token, profile: 'sim', template: '{agent}/{HH}{mm}_{fileName}', filter: { agent: '张三' } })
    // TotalCount is the range's; the names and the bytes are what the filter keeps.
    expect(zhang.calls).toBe(10)
    expect(zhang.sample).toEqual(['张三/0900_ag-0.wav', '张三/0902_ag-2.wav', '张三/0904_ag-4.wav', '张三/0906_ag-6.wav', '张三/0908_ag-8.wav'])
    expect(zhang.estimatedBytes).toBe(all.estimatedBytes / 2)
    // A template half typed names nothing yet, and the count stands.
    expect(await value<Counted>('import:count', { token, profile: 'sim', template: '{agent' })).toMatchObject({ calls: 10, sample: [] })
  })

  it('lists at most three pages for a range’s first names, however few calls the filter keeps', async () => {
    const t0 = Date.UTC(2026, 6, 1, 1, 0, 0)
    // Five pages of another agent's calls, then one of 张三's.
    for (let i = 0; i < 500; i++) sim.addCall({ contactId: `pg-${i}`, startTime: t0 + i * 1000, recordings: [`pg-${i}.wav`], agentName: '李四' })
    sim.addCall({ contactId: 'pg-last', startTime: t0 + 600_000, recordings: ['pg-last.wav'], agentName: '张三' })
    const { token } = await value<{ token: string }>('import:preview', { source: { kind: 'range', from: '2026-07-01T00:00:00+08:00', to: '2026-07-02T00:00:00+08:00' } })
    sim.resetStats()
    const counted = await value<{ calls: number; sample: string[] }>('import:count', { token, profile: 'sim', filter: { agent: '张三' } })
    expect(counted).toMatchObject({ calls: 501, sample: [] })
    // One page for the count, three for the names.
    expect(sim.stats.actionCalls.get('ListCallDetailRecords')).toBe(4)
  })

  it('counts the files accepted on their length alone, for the export detail', async () => {
    sim.fault('n-1.wav', { kind: 'no-checksum' })
    const { token } = await value<{ token: string }>('import:preview', { source: { kind: 'text', text: 'n-1.wav\nn-2.wav\n' } })
    const out = join(dir, 'length')
    await value('export:start', { token, profile: 'sim', outDir: out })
    await handlers.exports.get(out)!.run()
    const history = await value<{ outDir: string; lengthOnly?: number; counts: { done: number } }[]>('exports:history')
    expect(history.find((h) => h.outDir === out)).toMatchObject({ lengthOnly: 1, counts: { done: 2 } })
  })
})
