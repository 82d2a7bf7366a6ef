import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_V2 } from '../../../main/common/api-version.ts'
import { catalogEntry } from '../../../main/common/error-catalog.ts'
import { isCccError } from '../../../main/common/errors.ts'
import { testConnection } from '../../../main/engine/credentials/connection-test.ts'
import { GenerationAwareClient } from '../../../main/engine/credentials/generation-client.ts'
import { ExportRunner, type RunnerDeps } from '../../../main/engine/export/runner.ts'
import { type Sim, startSim } from '../../sim/index.ts'

// Issue 14 item 1 in an export: a call of the wrong generation stops the export with a message that
// says which generation the instance seems to be, not with a bare "instance does not exist".
let v1: Sim
let v2: Sim
beforeAll(async () => {
  v1 = await startSim({ defaultSize: () => 64 })
  v2 = await startSim({ apiVersion: API_V2, instanceId: 'ccc-gen-v2', defaultSize: () => 64 })
  v2.addCall({ contactId: 'job-61', startTime: Date.UTC(2026, 0, 3), recordings: ['job-61-a.wav'] })
})
afterAll(async () => {
  await Promise.all([v1.close(), v2.close()])
})

const client = (sim: Sim, version?: typeof API_V2) =>
  new GenerationAwareClient({ endpoint: sim.endpoint, credentials: { accessKeyId: sim.accessKeyId, accessKeySecret: sim.accessKeySecret }, ...(version ? { version } : {}) })

async function codeOf(run: () => Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await run()
  } catch (e) {
    if (isCccError(e)) return { code: e.code, message: e.message }
    throw e
  }
  throw new Error('expected a CccError')
}

describe('GenerationAwareClient', () => {
  it('a 1.0 call of a 2.0 instance fails with Api.InstanceIsV2, the other generation asked once', async () => {
    const c = client(v2)
    v2.resetStats()
    const first = await codeOf(() => c.downloadRecording(v2.instanceId, 'job-61.wav'))
    expect(first.code).toBe('Api.InstanceIsV2')
    expect(first.message).toMatch(/set the profile's API version \(or --api-version\) to 2020-07-01/)
    expect(catalogEntry(first.code).handling).toBe('fatal')
    expect((await codeOf(() => c.downloadRecording(v2.instanceId, 'job-62.wav'))).code).toBe('Api.InstanceIsV2')
    expect(v2.stats.actionCalls.get('ListCallDetailRecords')).toBe(1)
  })

  it('a 2.0 call of a 1.0 instance fails with Api.InstanceIsV1', async () => {
    expect((await codeOf(() => client(v1, API_V2).call('GetMonoRecording', { InstanceId: v1.instanceId, ContactId: 'job-1' }))).code).toBe('Api.InstanceIsV1')
  })

  it('an instance neither generation knows keeps its own not-found', async () => {
    expect((await codeOf(() => client(v1).downloadRecording('no-such-instance', 'a.wav'))).code).toBe('NotExist.Instance')
    expect((await codeOf(() => client(v1, API_V2).call('GetMonoRecording', { InstanceId: 'no-such-instance', ContactId: 'job-1' }))).code).toBe('NotExists.InstanceId')
  })

  it('stops a 1.0 export of a 2.0 instance once, saying which generation it seems to be', async () => {
    const out = await mkdtemp(join(tmpdir(), 'generation-'))
    try {
      const deps: RunnerDeps = { client: client(v2), backoff: { baseMs: 2, capMs: 20 }, apiRate: { initial: 5000 }, progressIntervalMs: 50, syncFolder: async () => {} }
      const runner = await ExportRunner.open(out, deps, { instanceId: v2.instanceId, source: { kind: 'names' }, options: { concurrency: 2, layout: 'flat', maxBytesPerSecond: null } })
      runner.add(['job-61.wav', 'job-62.wav'])
      expect(await runner.run()).toBe('stopped')
      await runner.close()
      expect(runner.progress().reason?.code).toBe('Api.InstanceIsV2')
    } finally {
      await rm(out, { recursive: true, force: true })
    }
  })

  it('the connection test reads its verdict as the instance-is-v2 outcome', async () => {
    const o = await testConnection(client(v2), v2.instanceId)
    expect({ kind: o.kind, code: o.code, apiVersion: o.apiVersion }).toEqual({ kind: 'instance-is-v2', code: 'Api.InstanceIsV2', apiVersion: API_V2 })
  })
})
