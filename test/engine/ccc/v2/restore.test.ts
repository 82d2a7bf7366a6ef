import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_V2 } from '../../../../main/common/api-version.ts'
import { CccClient } from '../../../../main/engine/ccc/client.ts'
import type { RpcCaller } from '../../../../main/engine/ccc/list-shape.ts'
import { contactIdOfName, restoreArchivedRecordings } from '../../../../main/engine/ccc/v2/restore.ts'
import { type Sim, startSim } from '../../../sim/index.ts'

let sim: Sim
let client: CccClient
beforeAll(async () => {
  sim = await startSim({ apiVersion: API_V2 })
  sim.addCall({ contactId: 'job-11', startTime: Date.UTC(2026, 0, 1), recordings: ['job-11-x.wav'] })
  sim.addCall({ contactId: 'job-12', startTime: Date.UTC(2026, 0, 1), recordings: ['job-12-x.wav'] })
  sim.archive('job-11', { polls: 1 })
  client = new CccClient({ endpoint: sim.endpoint, credentials: { accessKeyId: sim.accessKeyId, accessKeySecret: sim.accessKeySecret } })
})
afterAll(() => sim.close())

/** A stand-in for the gateway where the real one cannot be made to answer in a given shape. */
function replying(reply: Record<string, unknown>): RpcCaller {
  return { call: async () => reply }
}

describe('restoreArchivedRecordings', () => {
  it('starts, then polls, a restore through the signed 2020-07-01 call', async () => {
    const first = await restoreArchivedRecordings(client, sim.instanceId, ['job-11', 'job-12', 'job-99'])
    expect([...first.values()]).toEqual([
      { contactId: 'job-11', exists: true, completed: false, storageType: 'Archive' },
      { contactId: 'job-12', exists: true, completed: true, storageType: 'Standard' },
      { contactId: 'job-99', exists: false, completed: true },
    ])
    expect((await restoreArchivedRecordings(client, sim.instanceId, ['job-11'])).get('job-11')?.completed).toBe(true)
  })

  it('reads Exists as the model types it (a string), a boolean too, and an absent one as "exists"', async () => {
    const reply = { Code: 'OK', Data: [
      { ContactId: 'a', Exists: 'FALSE', Status: 'Completed' },
      { ContactId: 'b', Exists: false, Status: 'completed' },
      { ContactId: 'c', Status: 'Progressing' },
      { Exists: 'False' },
    ] }
    const details = await restoreArchivedRecordings(replying(reply), 'i', ['a', 'b', 'c'])
    expect([...details.values()].map((d) => [d.contactId, d.exists, d.completed])).toEqual([['a', false, true], ['b', false, true], ['c', true, false]])
    // One item as the XML-shaped JSON renders it: the object itself, not a list.
    const one = await restoreArchivedRecordings(replying({ Data: { ContactId: 'd', Exists: 'True', Status: 'Progressing' } }), 'i', ['d'])
    expect(one.get('d')).toEqual({ contactId: 'd', exists: true, completed: false })
  })
})

describe('contactIdOfName', () => {
  it('reads the contact ID of each recording kind, a leg by its prefix', () => {
    expect(contactIdOfName('job-5.wav', 'mono')).toBe('job-5')
    expect(contactIdOfName('job-5.mkv', 'multichannel')).toBe('job-5')
    expect(contactIdOfName('job-5-798f1e90-1f82-42da-914c-46580c8f4c85-1656926518491.wav', 'per-agent')).toBe('job-5')
    expect(contactIdOfName('20260305-1234567 (1).wav', 'mono')).toBeUndefined()
  })
})
