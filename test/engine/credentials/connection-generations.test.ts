import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_V1, API_V2 } from '../../../main/common/api-version.ts'
import { CONNECTION_OUTCOME_TEXT } from '../../../main/common/connection-outcomes.ts'
import { ERROR_CATALOG } from '../../../main/common/error-catalog.ts'
import { CccClient } from '../../../main/engine/ccc/client.ts'
import { PROBE_FILE_NAME, testConnection } from '../../../main/engine/credentials/connection-test.ts'
import { type Sim, startSim } from '../../sim/index.ts'

// Issue 14 item 1: the connection test tells CCC 1.0 and 2.0 instances apart with one cheap read
// call of each generation, against simulators that know their instance's generation.
let v1: Sim
let v2: Sim
beforeAll(async () => {
  v1 = await startSim()
  v2 = await startSim({ apiVersion: API_V2, instanceId: 'ccc-test-v2' })
})
afterAll(async () => {
  await Promise.all([v1.close(), v2.close()])
})

const client = (sim: Sim) => new CccClient({ credentials: { accessKeyId: sim.accessKeyId, accessKeySecret: sim.accessKeySecret }, endpoint: sim.endpoint })
const calls = (sim: Sim, action: string) => sim.stats.actionCalls.get(action) ?? 0

describe('the connection test and the API generations', () => {
  it('a 1.0 instance: one DownloadRecording probe, OK, detected as 2017-07-05', async () => {
    v1.resetStats()
    const o = await testConnection(client(v1), v1.instanceId)
    expect({ kind: o.kind, ok: o.ok, apiVersion: o.apiVersion }).toEqual({ kind: 'ok', ok: true, apiVersion: API_V1 })
    expect(v1.stats.downloadRecordingCalls.get(PROBE_FILE_NAME)).toBe(1)
    expect(v1.stats.apiCalls).toBe(1)
  })

  it('a 2.0 instance under a profile without a generation: the 1.0 probe finds no instance, the 2.0 one does', async () => {
    v2.resetStats()
    const o = await testConnection(client(v2), v2.instanceId)
    expect({ kind: o.kind, ok: o.ok, code: o.code, apiVersion: o.apiVersion }).toEqual({
      kind: 'instance-is-v2',
      ok: false,
      code: 'Api.InstanceIsV2',
      apiVersion: API_V2,
    })
    // The message says which generation, in both languages, as the catalog does.
    expect(o.message).toEqual(ERROR_CATALOG['Api.InstanceIsV2'].meaning)
    expect(o.message['zh-CN']).toContain('2020-07-01')
    expect(o.message.en).toContain('2020-07-01')
    expect(o.detail).toMatch(/does not exist/)
    expect(calls(v2, 'DownloadRecording')).toBe(1)
    expect(calls(v2, 'ListCallDetailRecords')).toBe(1)
  })

  it('a 2.0 instance under a 2.0 profile: one ListCallDetailRecords probe of one row, OK', async () => {
    v2.resetStats()
    const seen: Record<string, string>[] = []
    v2.events.on('list', (_action, params) => seen.push({ ...params }))
    const o = await testConnection(client(v2), v2.instanceId, { apiVersion: API_V2 })
    v2.events.removeAllListeners('list')
    expect({ kind: o.kind, ok: o.ok, apiVersion: o.apiVersion }).toEqual({ kind: 'ok', ok: true, apiVersion: API_V2 })
    expect(v2.stats.apiCalls).toBe(1)
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({ Version: API_V2, PageNumber: '1', PageSize: '1' })
    expect(Number(seen[0]!.EndTime) - Number(seen[0]!.StartTime)).toBe(60_000)
  })

  it('a 1.0 instance under a 2.0 profile: the 2.0 answer is NotExists.InstanceId, the 1.0 probe reaches it', async () => {
    const o = await testConnection(client(v1), v1.instanceId, { apiVersion: API_V2 })
    expect({ kind: o.kind, ok: o.ok, code: o.code, apiVersion: o.apiVersion }).toEqual({
      kind: 'instance-is-v1',
      ok: false,
      code: 'Api.InstanceIsV1',
      apiVersion: API_V1,
    })
    expect(o.action).toEqual(CONNECTION_OUTCOME_TEXT['instance-is-v1'].action)
  })

  it('an instance neither generation knows: the profile generation\'s own code, no generation', async () => {
    const one = await testConnection(client(v2), 'no-such-instance')
    expect({ kind: one.kind, code: one.code, apiVersion: one.apiVersion }).toEqual({ kind: 'instance-or-region-wrong', code: 'NotExist.Instance', apiVersion: undefined })
    const two = await testConnection(client(v2), 'no-such-instance', { apiVersion: API_V2 })
    expect({ kind: two.kind, code: two.code, status: two.status }).toEqual({ kind: 'instance-or-region-wrong', code: 'NotExists.InstanceId', status: 404 })
  })

  it('a RAM refusal tells nothing of the generation', async () => {
    v2.set({ permissions: false })
    try {
      const o = await testConnection(client(v2), v2.instanceId, { apiVersion: API_V2 })
      expect({ kind: o.kind, code: o.code, apiVersion: o.apiVersion }).toEqual({ kind: 'no-permission', code: 'Forbidden.RAM', apiVersion: undefined })
    } finally {
      v2.set({ permissions: true })
    }
  })
})
