import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { API_V2 } from '../../../main/common/api-version.ts'
import { readExportStatus } from '../../../main/engine/export/export-status.ts'
import { type ExportPlan, Exports } from '../../../main/engine/export/exports.ts'
import type { SourceInfo } from '../../../main/engine/export/journal-events.ts'
import { type Sim, startSim } from '../../sim/index.ts'
import { filesUnder, journalEvents, recordListing } from './listing-helpers.ts'
import { simClient } from './sim-folder.ts'

// CCC 2.0 calls that are not ready yet (RecordingReady false, ccc-api.md §7), and per-call
// refusals of ListMonoRecordings, through the export service the app and the CLI both call.

let sim: Sim
let out: string
let exports: Exports
beforeAll(async () => {
  sim = await startSim({ apiVersion: API_V2, defaultSize: () => 64 })
})
afterAll(() => sim.close())
beforeEach(async () => {
  out = await mkdtemp(join(tmpdir(), 'not-ready-v2-'))
  sim.resetStats()
  exports = new Exports({ clientFor: async () => ({ client: simClient(sim) }), tuning: { backoff: { baseMs: 2, capMs: 20 }, progressIntervalMs: 20 } })
})
afterEach(async () => {
  await exports.close()
  await rm(out, { recursive: true, force: true })
})

const DAY = 24 * 60 * 60 * 1000
let era = Date.UTC(2025, 0, 1)
/** A day of its own for each test: the simulator's calls outlive the test that seeds them. */
function nextDay(): number {
  era += 10 * DAY
  return era
}

function plan(source: SourceInfo, contactIds?: readonly string[]): ExportPlan {
  return {
    outDir: out,
    connection: { instanceId: sim.instanceId, endpoint: sim.endpoint },
    source,
    ...(contactIds ? { contactIds } : {}),
    options: { concurrency: 4 },
  }
}

const day = (t0: number, recording?: 'per-agent'): SourceInfo => ({
  kind: 'range',
  from: new Date(t0).toISOString(),
  to: new Date(t0 + DAY).toISOString(),
  api: API_V2,
  ...(recording ? { recording } : {}),
})

async function runPlan(p: ExportPlan) {
  const { runner, notes } = await exports.start(p)
  const state = await runner.run()
  return { runner, notes, state }
}

async function reportRows(): Promise<string[]> {
  return (await readFile(join(out, 'report.csv'), 'utf8')).split('\r\n').slice(1).filter((l) => l.length > 0)
}

describe('a CCC 2.0 call whose recording was not ready', () => {
  it('is told from a call that recorded nothing (most likely unanswered), which is still looked up again', async () => {
    const t0 = nextDay()
    sim.addCall({ contactId: 'job-1101', startTime: t0 + 1000, recordings: ['job-1101-a.wav'], notReady: true })
    sim.addCall({ contactId: 'job-1102', startTime: t0 + 2000, recordings: [] })
    expect((await runPlan(plan(day(t0)))).state).toBe('finished')
    const rows = await reportRows()
    expect(rows).toContainEqual(expect.stringMatching(/^call\/job-1101,skipped,.*not ready yet; run the same range again later/))
    expect(rows).toContainEqual(expect.stringMatching(/^call\/job-1102,skipped,.*call job-1102: 0 s recorded, so most likely it was not answered; if it was, the recording is not ready yet/))
  })


  it('is a row of the filter that leaves its call out, not one to wait for', async () => {
    const t0 = nextDay()
    sim.addCall({ contactId: 'job-1201', startTime: t0 + 1000, recordings: ['job-1201-a.wav'], notReady: true, agentName: '李四' })
    sim.addCall({ contactId: 'job-1202', startTime: t0 + 2000, recordings: ['job-1202-a.wav'], notReady: true, agentName: '张三' })
    const { runner, state } = await runPlan(plan({ ...(day(t0) as Extract<SourceInfo, { kind: 'range' }>), filter: { agent: '张三' } }))
    expect(state).toBe('finished')
    // Counted as the filter's, not as a call without a recording.
    expect(runner.listingProgress()?.unrecorded).toBe(1)
    expect(runner.table.listed).toEqual({ found: 0, unrecorded: 1, leftOut: 1 })
    const rows = await reportRows()
    expect(rows).toContainEqual(expect.stringMatching(/^call\/job-1201,skipped,.*left out by the filter agent/))
    expect(rows).not.toContainEqual(expect.stringMatching(/^call\/job-1201,.*not ready/))
    expect(rows).toContainEqual(expect.stringMatching(/^call\/job-1202,skipped,.*not ready yet; run the same range again later/))
  })

  it('loses its skipped row once the same range, run again, fetches its recording; a replay of the journal agrees', async () => {
    const t0 = nextDay()
    sim.addCall({ contactId: 'job-1005', startTime: t0 + 1000, recordings: ['job-1005-a.wav'] })
    sim.addCall({ contactId: 'job-1006', startTime: t0 + 2000, recordings: ['job-1006-a.wav'], notReady: true })
    sim.addCall({ contactId: 'job-1007', startTime: t0 + 3000, recordings: ['job-1007-a.wav'] })
    const first = await runPlan(plan(day(t0)))
    expect(first.state).toBe('finished')
    expect(first.runner.progress().counts).toMatchObject({ done: 2, skipped: 1, total: 3 })
    expect(await reportRows()).toContainEqual(expect.stringMatching(/^call\/job-1006,skipped,.*run the same range again later/))

    sim.makeReady('job-1006')
    const again = await runPlan(plan(day(t0)))
    expect(again.notes.relisted).toBe(true)
    expect(again.state).toBe('finished')
    expect(await filesUnder(out)).toEqual(['job-1005.wav', 'job-1006.wav', 'job-1007.wav'])
    expect((await readFile(join(out, 'job-1006.wav'))).equals(sim.content('job-1006.wav'))).toBe(true)
    // One row per call, each verified: the placeholder is gone from the counts and the report.
    expect(again.runner.progress().counts).toMatchObject({ done: 3, skipped: 0, total: 3 })
    const rows = await reportRows()
    expect(rows.map((r) => r.split(',').slice(0, 2).join(','))).toEqual(['job-1005.wav,done', 'job-1007.wav,done', 'job-1006.wav,done'])
    expect((await journalEvents(out)).filter((e) => e.type === 'drop')).toEqual([{ type: 'drop', names: ['call/job-1006'] }])

    await exports.close()
    const status = await readExportStatus(out)
    expect(status?.counts).toMatchObject({ done: 3, skipped: 0, total: 3 })
    expect(status?.listing).toMatchObject({ found: 3, unrecorded: 0 })
  })

  it('in a contacts export, is looked up again, alone, when the same contact IDs are given again, until it is fetched', async () => {
    const t0 = nextDay()
    sim.addCall({ contactId: 'job-2001', startTime: t0 + 1000, recordings: ['job-2001-a.wav'] })
    sim.addCall({ contactId: 'job-2002', startTime: t0 + 2000, recordings: ['job-2002-a.wav'], notReady: true })
    const ids = ['job-2001', 'job-2002']
    const source: SourceInfo = { kind: 'contacts', api: API_V2 }
    const first = await runPlan(plan(source, ids))
    expect(first.state).toBe('finished')
    // There is no range to run again: the row says what to run instead.
    const row = (await reportRows()).find((r) => r.startsWith('call/job-2002,'))
    expect(row).toMatch(/skipped,.*not ready yet; run the same contact IDs again later/)
    expect(row).not.toMatch(/range/)

    // Still not ready: asked again, still one row, counted once.
    const listing = recordListing(sim)
    const still = await runPlan(plan(source, ids))
    expect(still.notes).toMatchObject({ contacts: 2, knownContacts: 1, contactsAgain: 1 })
    expect(still.state).toBe('finished')
    expect(listing.requests).toEqual(['contact job-2002'])
    expect(still.runner.progress().counts).toMatchObject({ done: 1, skipped: 1, total: 2 })
    expect(still.runner.listingProgress()).toMatchObject({ pages: 2, found: 1, unrecorded: 1, done: true })

    sim.makeReady('job-2002')
    listing.requests.length = 0
    const ready = await runPlan(plan(source, ids))
    listing.stop()
    expect(ready.notes).toMatchObject({ knownContacts: 1, contactsAgain: 1 })
    expect(ready.state).toBe('finished')
    expect(listing.requests).toEqual(['contact job-2002'])
    expect(await filesUnder(out)).toEqual(['job-2001.wav', 'job-2002.wav'])
    expect((await readFile(join(out, 'job-2002.wav'))).equals(sim.content('job-2002.wav'))).toBe(true)
    expect(ready.runner.progress().counts).toMatchObject({ done: 2, skipped: 0, total: 2 })
    expect((await reportRows()).some((r) => r.startsWith('call/'))).toBe(false)

    // Nothing is left to look up again: the same IDs once more are all known.
    await exports.close()
    expect((await readExportStatus(out))?.listing).toMatchObject({ pages: 2, found: 2, unrecorded: 0 })
    const done = await exports.start(plan(source, ids))
    expect(done.notes).toMatchObject({ knownContacts: 2 })
    expect(done.notes.contactsAgain).toBeUndefined()
  })

  it('given again but not run, the contacts to look up again are in the journal: a resume looks up those alone', async () => {
    const t0 = nextDay()
    const ids = ['job-2101', 'job-2102', 'job-2103']
    sim.addCall({ contactId: 'job-2101', startTime: t0 + 1000, recordings: ['job-2101-a.wav'], notReady: true })
    sim.addCall({ contactId: 'job-2102', startTime: t0 + 2000, recordings: ['job-2102-a.wav'] })
    sim.addCall({ contactId: 'job-2103', startTime: t0 + 3000, recordings: ['job-2103-a.wav'], notReady: true })
    const source: SourceInfo = { kind: 'contacts', api: API_V2 }
    expect((await runPlan(plan(source, ids))).runner.progress().counts).toMatchObject({ done: 1, skipped: 2 })

    sim.makeReady('job-2101')
    sim.makeReady('job-2103')
    const given = await exports.start(plan(source, ids))
    expect(given.notes).toMatchObject({ knownContacts: 1, contactsAgain: 2 })
    await exports.close()
    const listing = recordListing(sim)
    const resumed = await exports.resume(out)
    expect(await resumed.run()).toBe('finished')
    listing.stop()
    expect(listing.requests).toEqual(['contact job-2101', 'contact job-2103'])
    expect(await filesUnder(out)).toEqual(['job-2101.wav', 'job-2102.wav', 'job-2103.wav'])
    expect(resumed.listingProgress()).toMatchObject({ pages: 3, found: 3, unrecorded: 0, done: true })
  })
})

describe('a per-agent CCC 2.0 export', () => {
  it('makes a call that ListMonoRecordings refuses alone a row of its own, fetches the others, and fetches it when the range is run again', async () => {
    const t0 = nextDay()
    sim.addCall({ contactId: 'job-3001', startTime: t0 + 1000, recordings: ['job-3001-x-1.wav', 'job-3001-x-2.wav'] })
    sim.addCall({ contactId: 'job-3002', startTime: t0 + 2000, recordings: ['job-3002-x-1.wav'] })
    sim.addCall({ contactId: 'job-3003', startTime: t0 + 3000, recordings: ['job-3003-x-1.wav'] })
    // Parameter.Format: "that one call cannot succeed, the others may" (the error catalog).
    sim.fault('contact:job-3002', { kind: 'api-v2-error', code: 'Parameter.Format' })
    const first = await runPlan(plan(day(t0, 'per-agent')))
    expect(first.state).toBe('finished')
    expect(await filesUnder(out)).toEqual(['job-3001-x-1.wav', 'job-3001-x-2.wav', 'job-3003-x-1.wav'])
    expect(first.runner.progress().counts).toMatchObject({ done: 3, skipped: 0, failed: 1, total: 4 })
    expect(await reportRows()).toContainEqual(expect.stringMatching(/^call\/job-3002,failed,.*Parameter\.Format,ListMonoRecordings failed for call job-3002: Parameter\.Format/))
    // A retry does not list the whole range for it (nor does a resume): the same range asked again does.
    expect(first.runner.retryGroup('Parameter.Format')).toBe(0)
    expect(first.runner.retryTransient()).toBe(0)

    const again = await runPlan(plan(day(t0, 'per-agent')))
    expect(again.state).toBe('finished')
    expect(await filesUnder(out)).toEqual(['job-3001-x-1.wav', 'job-3001-x-2.wav', 'job-3002-x-1.wav', 'job-3003-x-1.wav'])
    // The failed row went once the call answered: nothing failed, nothing left over.
    expect(again.runner.progress().counts).toMatchObject({ done: 4, skipped: 0, failed: 0, total: 4 })
  })

  it('still stops on an export-fatal ListMonoRecordings error', async () => {
    const t0 = nextDay()
    sim.addCall({ contactId: 'job-4001', startTime: t0 + 1000, recordings: ['job-4001-x-1.wav'] })
    sim.addCall({ contactId: 'job-4002', startTime: t0 + 2000, recordings: ['job-4002-x-1.wav'] })
    sim.fault('contact:job-4002', { kind: 'api-hostile', code: 'Forbidden.RAM', status: 403, message: 'not allowed' })
    const { runner, state } = await runPlan(plan(day(t0, 'per-agent')))
    expect(state).toBe('stopped')
    expect(runner.progress().reason).toMatchObject({ code: 'Forbidden.RAM' })
    expect((await readFile(join(out, 'report.csv'), 'utf8')).includes('call/job-4002')).toBe(false)
  })
})
