import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, errorCode } from './helpers.ts'
import { startSim, type Sim } from './index.ts'
import { MAX_RANGE_MS } from './list-actions.ts'

let sim: Sim
const T0 = Date.UTC(2024, 2, 1)
const DAY = 24 * 60 * 60 * 1000

beforeAll(async () => {
  sim = await startSim()
  sim.addCall({ contactId: 'early', startTime: T0, recordings: ['early.wav'] })
  sim.addCall({ contactId: 'edge', startTime: T0 + MAX_RANGE_MS, recordings: ['edge-1.wav', 'edge-2.wav'] })
  sim.addCall({ contactId: 'quiet', startTime: T0 + DAY, recordings: [], contactType: 'Outbound', phone: '13711112222' })
})
afterAll(() => sim.close())

type Cdr = { CallDetailRecords: { TotalCount?: number; PageNumber: number; PageSize: number; List: { CallDetailRecord?: { ContactId: string; Recordings?: { Recording?: unknown[] } }[] } } }

function cdr(params: Record<string, string>) {
  return call(sim, 'ListCallDetailRecords', { InstanceId: sim.instanceId, ...params })
}

const ids = (body: Cdr) => (body.CallDetailRecords.List.CallDetailRecord ?? []).map((c) => c.ContactId)

describe('simulator ListCallDetailRecords', () => {
  it('refuses a range over 7 days with 400 Parameter.Invalid, and accepts exactly 7 days', async () => {
    expect(await errorCode(await cdr({ StartTime: String(T0), StopTime: String(T0 + MAX_RANGE_MS + 1) }))).toEqual({ status: 400, code: 'Parameter.Invalid' })
    expect((await cdr({ StartTime: String(T0), StopTime: String(T0 + MAX_RANGE_MS) })).status).toBe(200)
    expect(await errorCode(await cdr({ StartTime: String(T0), StopTime: String(T0 + DAY), PageSize: '101' }))).toEqual({ status: 400, code: 'Parameter.Invalid' })
    expect(await errorCode(await cdr({ StartTime: String(T0) }))).toEqual({ status: 400, code: 'MissingStopTime' })
  })

  it('is inclusive at both ends, newest first by default, oldest first with OrderBy=ASC', async () => {
    const range = { StartTime: String(T0), StopTime: String(T0 + MAX_RANGE_MS), PageSize: '100' }
    expect(ids((await (await cdr(range)).json()) as Cdr)).toEqual(['edge', 'quiet', 'early'])
    expect(ids((await (await cdr({ ...range, OrderBy: 'ASC' })).json()) as Cdr)).toEqual(['early', 'quiet', 'edge'])
    // The next window starts where this one stopped, and still has the boundary call.
    const next = { StartTime: String(T0 + MAX_RANGE_MS), StopTime: String(T0 + 2 * MAX_RANGE_MS), PageSize: '100' }
    expect(ids((await (await cdr(next)).json()) as Cdr)).toEqual(['edge'])
  })

  it('fills TotalCount on page 1 only and renders an empty list without its array', async () => {
    const range = { StartTime: String(T0), StopTime: String(T0 + MAX_RANGE_MS), PageSize: '2', OrderBy: 'ASC' }
    const p1 = (await (await cdr({ ...range, PageNumber: '1' })).json()) as Cdr
    const p2 = (await (await cdr({ ...range, PageNumber: '2' })).json()) as Cdr
    const p3 = (await (await cdr({ ...range, PageNumber: '3' })).json()) as Cdr
    expect(p1.CallDetailRecords.TotalCount).toBe(3)
    expect(p2.CallDetailRecords).not.toHaveProperty('TotalCount')
    expect(ids(p2)).toEqual(['edge'])
    expect(p3.CallDetailRecords.List).toEqual({})
    const quiet = p1.CallDetailRecords.List.CallDetailRecord?.[1]
    expect(quiet).toMatchObject({ ContactId: 'quiet', Recordings: {} })
  })

  it('filters by phone, contact type and disposition; WithRecording=false leaves recordings out', async () => {
    const range = { StartTime: String(T0), StopTime: String(T0 + MAX_RANGE_MS), PageSize: '100' }
    expect(ids((await (await cdr({ ...range, PhoneNumber: '13711112222' })).json()) as Cdr)).toEqual(['quiet'])
    expect(ids((await (await cdr({ ...range, ContactType: 'Outbound' })).json()) as Cdr)).toEqual(['quiet'])
    expect(ids((await (await cdr({ ...range, ContactDisposition: 'NoAnswer' })).json()) as Cdr)).toEqual([])
    const bare = (await (await cdr({ ...range, WithRecording: 'false' })).json()) as Cdr
    expect(bare.CallDetailRecords.List.CallDetailRecord?.every((c) => c.Recordings === undefined)).toBe(true)
  })

  it('tells tests about each listing call and applies faults', async () => {
    const seen: string[] = []
    const listener = (action: string, params: Readonly<Record<string, string>>) => seen.push(`${action}:${params.PageNumber ?? params.ContactId}`)
    sim.events.on('list', listener)
    try {
      sim.fault('ListCallDetailRecords', { kind: 'throttle' })
      const range = { StartTime: String(T0), StopTime: String(T0 + DAY), PageNumber: '1' }
      expect(await errorCode(await cdr(range))).toEqual({ status: 400, code: 'Throttling' })
      expect((await cdr(range)).status).toBe(200)
      sim.fault('contact:early', { kind: 'api-unavailable' })
      expect(await errorCode(await call(sim, 'ListRecordingsByContactId', { InstanceId: sim.instanceId, ContactId: 'early' }))).toEqual({ status: 503, code: 'ServiceUnavailable' })
    } finally {
      sim.events.off('list', listener)
    }
    expect(seen).toEqual(['ListCallDetailRecords:1', 'ListCallDetailRecords:1', 'ListRecordingsByContactId:early'])
  })
})

describe('simulator ListRecordingsByContactId', () => {
  it('answers every recording of the call, an empty list otherwise', async () => {
    const res = await call(sim, 'ListRecordingsByContactId', { InstanceId: sim.instanceId, ContactId: 'edge' })
    const body = (await res.json()) as { Recordings: { Recording: { FileName: string; StartTime: number }[] } }
    expect(body.Recordings.Recording.map((r) => r.FileName)).toEqual(['edge-1.wav', 'edge-2.wav'])
    expect(body.Recordings.Recording[1]!.StartTime).toBeGreaterThan(body.Recordings.Recording[0]!.StartTime)
    const none = (await (await call(sim, 'ListRecordingsByContactId', { InstanceId: sim.instanceId, ContactId: 'quiet' })).json()) as Record<string, unknown>
    expect(none).toMatchObject({ Success: true, Code: 'OK', Recordings: {} })
    expect(await errorCode(await call(sim, 'ListRecordingsByContactId', { InstanceId: 'nope', ContactId: 'edge' }))).toEqual({ status: 404, code: 'NotExist.Instance' })
    expect(await errorCode(await call(sim, 'ListRecordingsByContactId', { InstanceId: sim.instanceId }))).toEqual({ status: 400, code: 'MissingContactId' })
  })
})
