import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CccError } from '../../../main/common/errors.ts'
import { CccClient } from '../../../main/engine/ccc/client.ts'
import { listCallDetailRecords, MAX_RANGE_MS } from '../../../main/engine/ccc/list-call-details.ts'
import { listRecordingsByContactId, type RpcCaller } from '../../../main/engine/ccc/list-recordings.ts'
import { type Sim, startSim } from '../../sim/index.ts'

let sim: Sim
let client: CccClient
const T0 = Date.UTC(2024, 2, 1)

beforeAll(async () => {
  sim = await startSim()
  client = new CccClient({ endpoint: sim.endpoint, credentials: { accessKeyId: sim.accessKeyId, accessKeySecret: sim.accessKeySecret } })
  sim.addCall({ contactId: 'c-transfer', startTime: T0 + 1000, recordings: ['a-1.wav', 'a-2.wav', 'a-3.wav'], phone: '13900000001' })
  sim.addCall({ contactId: 'c-silent', startTime: T0 + 2000, recordings: [], disposition: 'NoAnswer' })
  for (let i = 0; i < 5; i++) sim.addCall({ contactId: `c-page-${i}`, startTime: T0 + 10_000 + i, recordings: [`p-${i}.wav`] })
})
afterAll(() => sim.close())

/** A stand-in for the gateway where the real one cannot be made to answer in a given shape. */
function replying(reply: Record<string, unknown>): RpcCaller {
  return { call: async () => reply }
}

describe('listRecordingsByContactId', () => {
  it('returns every recording of a transferred call, in order, with start times', async () => {
    const list = await listRecordingsByContactId(client, sim.instanceId, 'c-transfer')
    expect(list.map((r) => r.fileName)).toEqual(['a-1.wav', 'a-2.wav', 'a-3.wav'])
    expect(list[0]).toMatchObject({ contactId: 'c-transfer', startTime: T0 + 1000, callingNumber: '13900000001' })
    expect(list[1]!.startTime).toBeGreaterThan(list[0]!.startTime!)
  })

  it('returns an empty list for a call without a recording and for an unknown contact', async () => {
    expect(await listRecordingsByContactId(client, sim.instanceId, 'c-silent')).toEqual([])
    expect(await listRecordingsByContactId(client, sim.instanceId, 'no-such-contact')).toEqual([])
  })

  it('reads a single object, a missing key and string numbers as POP may send them', async () => {
    const one = await listRecordingsByContactId(replying({ Recordings: { Recording: { FileName: 'solo.wav', StartTime: '1709251200000' } } }), 'i', 'c')
    expect(one).toEqual([expect.objectContaining({ fileName: 'solo.wav', startTime: 1709251200000 })])
    expect(await listRecordingsByContactId(replying({}), 'i', 'c')).toEqual([])
    expect(await listRecordingsByContactId(replying({ Recordings: '' }), 'i', 'c')).toEqual([])
    expect(await listRecordingsByContactId(replying({ Recordings: { Recording: [{ FileName: '' }, { FileName: 'x.wav' }] } }), 'i', 'c')).toHaveLength(1)
  })

  it('fails with the classified code for a wrong instance', async () => {
    const e = await listRecordingsByContactId(client, 'wrong-instance', 'c-transfer').catch((x: unknown) => x)
    expect(e).toBeInstanceOf(CccError)
    expect((e as CccError).code).toBe('NotExist.Instance')
    expect((e as CccError).fatal).toBe(true)
  })
})

describe('listCallDetailRecords', () => {
  const query = { startTime: T0, stopTime: T0 + MAX_RANGE_MS, pageSize: 2 }

  it('pages oldest first, with TotalCount on page 1 only', async () => {
    const p1 = await listCallDetailRecords(client, sim.instanceId, { ...query, pageNumber: 1 })
    const p2 = await listCallDetailRecords(client, sim.instanceId, { ...query, pageNumber: 2 })
    expect(p1.totalCount).toBe(7)
    expect(p2.totalCount).toBeNull()
    expect(p1.records.map((r) => r.contactId)).toEqual(['c-transfer', 'c-silent'])
    expect(p2.records.map((r) => r.contactId)).toEqual(['c-page-0', 'c-page-1'])
    expect(p1.records[0]!.recordings.map((r) => r.fileName)).toEqual(['a-1.wav', 'a-2.wav', 'a-3.wav'])
    expect(p1.records[1]).toMatchObject({ contactDisposition: 'NoAnswer', recordings: [] })
  })

  it('sends the filters', async () => {
    const p = await listCallDetailRecords(client, sim.instanceId, { ...query, pageNumber: 1, pageSize: 100, phoneNumber: '13900000001' })
    expect(p.records.map((r) => r.contactId)).toEqual(['c-transfer'])
    const none = await listCallDetailRecords(client, sim.instanceId, { ...query, pageNumber: 1, pageSize: 100, contactDisposition: 'Busy' })
    expect(none.records).toEqual([])
  })

  it('refuses a range over 7 days or a page over 100 before sending it', async () => {
    await expect(listCallDetailRecords(client, sim.instanceId, { ...query, stopTime: T0 + MAX_RANGE_MS + 1, pageNumber: 1 })).rejects.toThrow(RangeError)
    await expect(listCallDetailRecords(client, sim.instanceId, { ...query, pageSize: 101, pageNumber: 1 })).rejects.toThrow(RangeError)
  })

  it('normalises a single record and missing lists', async () => {
    const single = await listCallDetailRecords(
      replying({ CallDetailRecords: { TotalCount: '1', List: { CallDetailRecord: { ContactId: 'x', StartTime: 5, Recordings: { Recording: { FileName: 'x.wav' } } } } } }),
      'i',
      { ...query, pageNumber: 1 },
    )
    expect(single.totalCount).toBe(1)
    expect(single.records).toEqual([expect.objectContaining({ contactId: 'x', startTime: 5, recordings: [expect.objectContaining({ fileName: 'x.wav' })] })])
    const empty = await listCallDetailRecords(replying({ CallDetailRecords: { PageNumber: 3, List: {} } }), 'i', { ...query, pageNumber: 3 })
    expect(empty).toMatchObject({ totalCount: null, pageNumber: 3, records: [] })
    await expect(listCallDetailRecords(replying({ RequestId: 'r' }), 'i', { ...query, pageNumber: 1 })).rejects.toMatchObject({ code: 'Http.Unexpected' })
  })
})
