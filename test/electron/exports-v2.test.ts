import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ImportPreview, RangeCount } from '../../main/common/api.ts'
import { dispatch } from '../../main/electron/dispatch.ts'
import { createHandlers } from '../../main/electron/handlers.ts'
import { KeyringStore } from '../../main/engine/credentials/keyring-store.ts'
import { type Sim, startSim } from '../sim/index.ts'
import { recordingHost } from './host-recorder.ts'

// Issue 14 in the app: with a CCC 2.0 profile, export:start journals the generation and the
// recording kind chosen, a date range is counted with 2020-07-01, and a names list is used only
// when every name is a contact ID plus .wav/.mkv, else refused with how to export contact IDs.
const keyring = process.env.CCC_TEST_KEYRING === '1'

describe.skipIf(!keyring)('exports with a CCC 2.0 profile, through the handler map', () => {
  let sim: Sim
  let dir: string
  let handlers: ReturnType<typeof createHandlers>
  const call = (method: string, request?: unknown) => dispatch(handlers, method, request)
  const value = async <T>(method: string, request?: unknown): Promise<T> => {
    const reply = await call(method, request)
    if (!reply.ok) throw new Error(`${method}: ${reply.error.code}: ${reply.error.message}`)
    return reply.value as T
  }
  const run = (outDir: string) => handlers.exports.get(outDir)!.run()

  beforeAll(async () => {
    sim = await startSim({ apiVersion: '2020-07-01', instanceId: 'ccc-app-v2', defaultSize: () => 2048 })
    const t0 = Date.UTC(2026, 2, 2, 2, 0, 0)
    sim.addCall({ contactId: 'job-801', startTime: t0, recordings: ['job-801-a.wav', 'job-801-b.wav'], agentName: '张三' })
    sim.addCall({ contactId: 'job-802', startTime: t0 + 86_400_000, recordings: ['job-802-a.wav'] })
    dir = await mkdtemp(join(tmpdir(), 'exports-v2-'))
    handlers = createHandlers({
      host: recordingHost().host,
      secrets: new KeyringStore({ service: `ccc-recordings-test-v2-${process.pid}` }),
      configDir: join(dir, 'config'),
      fetch: globalThis.fetch,
      emit: () => {},
    })
    await value('profiles:save', {
      profile: { name: 'two', region: 'cn-shanghai', instanceId: sim.instanceId, accessKeyId: sim.accessKeyId, endpoint: sim.endpoint, apiVersion: '2020-07-01' },
      secret: sim.accessKeySecret,
    })
  })
  afterAll(async () => {
    await call('profiles:remove', { name: 'two' })
    await handlers.close()
    await sim.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('a date range: counted with 2020-07-01, each call\'s mixed WAV downloaded (mono by default)', async () => {
    const range = await value<ImportPreview>('import:preview', { source: { kind: 'range', from: '2026-03-01T00:00:00+08:00', to: '2026-03-08T00:00:00+08:00' } })
    expect(await value<RangeCount>('import:count', { token: range.token, profile: 'two' })).toMatchObject({ calls: 2, sample: ['job-801.wav', 'job-802.wav'] })
    expect(await value<RangeCount>('import:count', { token: range.token, profile: 'two', recording: 'multichannel' })).toMatchObject({ sample: ['job-801.mkv', 'job-802.mkv'] })
    const out = join(dir, 'range')
    await value('export:start', { token: range.token, profile: 'two', outDir: out })
    await run(out)
    expect((await readdir(out)).filter((n) => n.endsWith('.wav')).sort()).toEqual(['job-801.wav', 'job-802.wav'])
    expect((await readFile(join(out, 'job-801.wav'))).equals(sim.content('job-801.wav'))).toBe(true)
  })

  it('contact IDs with the recording kind chosen: per-agent legs, and multichannel MKVs', async () => {
    const legs = await value<ImportPreview>('import:preview', { source: { kind: 'contacts', text: 'job-801\njob-802\n' } })
    const perAgent = join(dir, 'legs')
    await value('export:start', { token: legs.token, profile: 'two', outDir: perAgent, recording: 'per-agent' })
    await run(perAgent)
    expect((await readdir(perAgent)).filter((n) => n.endsWith('.wav')).sort()).toEqual(['job-801-a.wav', 'job-801-b.wav', 'job-802-a.wav'])

    const mkv = await value<ImportPreview>('import:preview', { source: { kind: 'contacts', text: 'job-802\n' } })
    const multi = join(dir, 'multi')
    await value('export:start', { token: mkv.token, profile: 'two', outDir: multi, recording: 'multichannel' })
    await run(multi)
    expect((await readFile(join(multi, 'job-802.mkv'))).equals(sim.content('job-802.mkv'))).toBe(true)
  })

  it('a names list: contact IDs plus .wav are used as such; 1.0 file names are refused with what to do', async () => {
    const ok = await value<ImportPreview>('import:preview', { source: { kind: 'text', text: 'job-801.wav\n' } })
    expect(ok.contactNames).toBe(true)
    const out = join(dir, 'names')
    await value('export:start', { token: ok.token, profile: 'two', outDir: out })
    await run(out)
    expect((await readFile(join(out, 'job-801.wav'))).equals(sim.content('job-801.wav'))).toBe(true)

    const v1 = await value<ImportPreview>('import:preview', { source: { kind: 'text', text: '20260305-1234567.wav\n' } })
    expect(v1.contactNames).toBeUndefined()
    const refused = await call('export:start', { token: v1.token, profile: 'two', outDir: join(dir, 'refused') })
    expect(refused).toMatchObject({ ok: false, error: { code: 'Api.V1NamesOnV2', message: expect.stringMatching(/contact ID/) } })
  })
})
