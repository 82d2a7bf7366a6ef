import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, errorCode, readAll } from './helpers.ts'
import { type Sim, startSim } from './index.ts'

// The simulator's clock, moved by the tests: a restore by time completes when it says so.
let clock = Date.UTC(2026, 5, 1)
let sim: Sim
beforeAll(async () => {
  sim = await startSim({ apiVersion: '2020-07-01', now: () => clock, defaultSize: () => 2048 })
  for (const id of ['job-1', 'job-2', 'job-3']) sim.addCall({ contactId: id, startTime: clock - 86_400_000, recordings: [`${id}-leg.wav`] })
  sim.archive('job-1', { polls: 2 })
  sim.archive('job-2', { polls: Number.POSITIVE_INFINITY, restoreMs: 60_000 })
})
afterAll(() => sim.close())

const v2 = (params: Record<string, string>) => (p: Record<string, string>) => Object.assign(p, params, { Version: '2020-07-01' })

async function v2Call(action: string, params: Record<string, string>): Promise<Response> {
  return call(sim, action, { InstanceId: sim.instanceId }, { now: new Date(clock), edit: v2(params) })
}

async function monoUrl(id: string): Promise<string> {
  const res = await v2Call('GetMonoRecording', { ContactId: id })
  const body = (await res.json()) as { Data?: { FileUrl?: string } }
  expect(res.status).toBe(200)
  return body.Data!.FileUrl!
}

interface Detail {
  ContactId: string
  Exists: string
  Status: string
  StorageType: string
}

async function restore(ids: readonly string[]): Promise<Detail[]> {
  const res = await v2Call('RestoreArchivedRecordings', { ContactIds: JSON.stringify(ids) })
  expect(res.status).toBe(200)
  return ((await res.json()) as { Data: Detail[] }).Data
}

describe('archived recordings (CCC 2.0)', () => {
  it('presign as usual, but OSS refuses the GET with 403 InvalidObjectState until restored; HEAD still answers', async () => {
    const url = await monoUrl('job-1')
    const get = await fetch(url)
    expect(get.status).toBe(403)
    expect(await get.text()).toContain('<Code>InvalidObjectState</Code>')
    expect((await fetch(sim.presign('job-1.wav', { method: 'HEAD' }), { method: 'HEAD' })).status).toBe(200)
  })

  it('restores after the polls it was given, then serves the bytes; an unknown contact is Exists "False"', async () => {
    const seen: (readonly string[])[] = []
    const onRestore = (ids: readonly string[]) => void seen.push(ids)
    sim.events.on('restore', onRestore)
    expect(await restore(['job-1', 'job-404', 'job-3'])).toEqual([
      { ContactId: 'job-1', Exists: 'True', Status: 'Progressing', StorageType: 'Archive' },
      { ContactId: 'job-404', Exists: 'False', Status: 'Completed', StorageType: '' },
      { ContactId: 'job-3', Exists: 'True', Status: 'Completed', StorageType: 'Standard' },
    ])
    expect((await restore(['job-1']))[0]!.Status).toBe('Progressing')
    expect((await fetch(await monoUrl('job-1'))).status).toBe(403)
    expect((await restore(['job-1']))[0]!.Status).toBe('Completed')
    const { bytes } = await readAll(await fetch(await monoUrl('job-1')))
    expect(bytes.equals(sim.content('job-1.wav'))).toBe(true)
    // The legs of the call were restored with it.
    expect((await fetch(sim.presign('job-1-leg.wav'))).status).toBe(200)
    sim.events.off('restore', onRestore)
    expect(seen).toEqual([['job-1', 'job-404', 'job-3'], ['job-1'], ['job-1']])
  })

  it('restores by the simulator clock when told to, however often it is asked', async () => {
    expect((await restore(['job-2']))[0]!.Status).toBe('Progressing')
    for (let i = 0; i < 5; i++) expect((await restore(['job-2']))[0]!.Status).toBe('Progressing')
    clock += 59_999
    expect((await restore(['job-2']))[0]!.Status).toBe('Progressing')
    clock += 1
    expect((await restore(['job-2']))[0]!.Status).toBe('Completed')
    expect((await fetch(await monoUrl('job-2'))).status).toBe(200)
  })

  it('takes at most 20 contact IDs a call, as a JSON array', async () => {
    const many = Array.from({ length: 21 }, (_, i) => `job-${100 + i}`)
    expect(await errorCode(await v2Call('RestoreArchivedRecordings', { ContactIds: JSON.stringify(many) }))).toEqual({ status: 400, code: 'Parameter.Maximum' })
    expect((await restore(many.slice(0, 20))).length).toBe(20)
    expect(await errorCode(await v2Call('RestoreArchivedRecordings', { ContactIds: 'job-1,job-2' }))).toEqual({ status: 400, code: 'Parameter.Invalid' })
    expect(await errorCode(await v2Call('RestoreArchivedRecordings', {}))).toEqual({ status: 400, code: 'Parameter.Null' })
  })
})
