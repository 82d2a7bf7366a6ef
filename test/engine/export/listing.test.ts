import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { CccClient } from '../../../main/engine/ccc/client.ts'
import type { RpcCaller } from '../../../main/engine/ccc/list-recordings.ts'
import { rewriteJournal } from '../../../main/engine/export/journal.ts'
import { ExportRunner, type NewExport, type RunnerDeps } from '../../../main/engine/export/runner.ts'
import { type Sim, startSim } from '../../sim/index.ts'
import { addedNames, countBy, expectVerified, journalEvents, recordListing } from './listing-helpers.ts'
import { compactedJournal } from '../../../main/engine/export/compacted-journal.ts'

let sim: Sim
let out: string
beforeAll(async () => {
  sim = await startSim({ defaultSize: () => 2048 })
})
afterAll(() => sim.close())
beforeEach(async () => {
  out = await mkdtemp(join(tmpdir(), 'listing-'))
  sim.resetStats()
})
afterEach(() => rm(out, { recursive: true, force: true }))

const DAY = 24 * 60 * 60 * 1000
const WEEK = 7 * DAY
const fastBackoff = { baseMs: 2, capMs: 20 }

function client(): CccClient {
  return new CccClient({ endpoint: sim.endpoint, credentials: { accessKeyId: sim.accessKeyId, accessKeySecret: sim.accessKeySecret } })
}

function deps(extra: Partial<RunnerDeps> = {}): RunnerDeps {
  return { client: client(), backoff: fastBackoff, apiRate: { initial: 1000 }, progressIntervalMs: 20, ...extra }
}

function init(source: NewExport['source'], overrides: Partial<NewExport> = {}): NewExport {
  return { instanceId: sim.instanceId, source, options: { concurrency: 4, layout: 'flat', maxBytesPerSecond: null }, ...overrides }
}

/** Each test seeds calls of its own, far apart in time and with their own contact IDs. */
let era = Date.UTC(2023, 0, 1)
function nextEra(): number {
  era += 60 * DAY
  return era
}

function rangeOf(from: number, to: number): NewExport['source'] {
  return { kind: 'range', from: new Date(from).toISOString(), to: new Date(to).toISOString() }
}

describe('contact IDs', () => {
  it('downloads every recording of each contact, reports those without, and files them by StartTime', async () => {
    const t = Date.UTC(2024, 2, 1, 2) // 10:00 on 1 March in CST
    sim.addCall({ contactId: 'k-transfer', startTime: t, recordings: ['k-leg-1.wav', 'k-leg-2.wav', 'k-leg-3.wav'] })
    sim.addCall({ contactId: 'k-single', startTime: t + DAY, recordings: ['k-single.wav'] })
    sim.addCall({ contactId: 'k-unrecorded', startTime: t, recordings: [] })
    const runner = await ExportRunner.open(out, deps(), init({ kind: 'contacts' }, { options: { concurrency: 4, layout: 'by-date', maxBytesPerSecond: null } }))
    expect(runner.addContacts(['k-transfer', 'k-unrecorded', 'k-single', 'k-unknown', 'k-transfer'])).toBe(4)
    expect(await runner.run()).toBe('finished')
    await runner.close()

    await expectVerified(sim, out, {
      'k-leg-1.wav': '2024/03/01/k-leg-1.wav',
      'k-leg-2.wav': '2024/03/01/k-leg-2.wav',
      'k-leg-3.wav': '2024/03/01/k-leg-3.wav',
      'k-single.wav': '2024/03/02/k-single.wav',
    })
    const p = runner.progress()
    expect(p.counts).toMatchObject({ total: 6, done: 4, skipped: 2, failed: 0 })
    expect(p.listing).toEqual({ pages: 4, found: 4 })
    expect(runner.listingProgress()).toEqual({ pages: 4, found: 4, unrecorded: 2, leftOut: 0, done: true })
    const report = await readFile(join(out, 'report.csv'), 'utf8')
    expect(report).toContain('contact/k-unrecorded,skipped,0,,Skipped,contact k-unrecorded has no recording')
    expect(report).toContain('contact/k-unknown,skipped')
  })

  it('a contact the service refuses is reported, a throttled one is retried', async () => {
    sim.addCall({ contactId: 'r-ok', startTime: nextEra(), recordings: ['r-ok.wav'] })
    sim.addCall({ contactId: 'r-busy', startTime: era, recordings: ['r-busy.wav'] })
    sim.fault('contact:r-busy', { kind: 'throttle', times: 2 })
    // A 400 with a code the catalog does not know: what the service says of a malformed ID.
    sim.fault('contact:r-bad', { kind: 'throttle', code: 'Parameter.Invalid' })
    const runner = await ExportRunner.open(out, deps(), init({ kind: 'contacts' }))
    runner.addContacts(['r-ok', 'r-busy', 'r-bad'])
    expect(await runner.run()).toBe('finished')
    await runner.close()
    expect(runner.table.files.get('r-busy.wav')?.state).toBe('done')
    expect(runner.table.files.get('contact/r-bad')?.error?.message).toMatch(/Parameter\.Invalid/)
    expect(sim.stats.throttled).toBe(2)
  })

  it('resumes after a pause mid-listing without asking for a settled contact again', async () => {
    const ids = Array.from({ length: 14 }, (_, i) => `p-${i}`)
    const t = nextEra()
    ids.forEach((id, i) => sim.addCall({ contactId: id, startTime: t + i, recordings: [`${id}-a.wav`, `${id}-b.wav`] }))
    const seen = recordListing(sim)
    const first = await ExportRunner.open(out, deps(), init({ kind: 'contacts' }))
    first.addContacts(ids)
    const onList = (_action: string, params: Readonly<Record<string, string>>) => {
      if (params.ContactId === 'p-9') void first.pause()
    }
    sim.events.on('list', onList)
    expect(await first.run()).toBe('paused')
    sim.events.off('list', onList)
    expect(first.listingProgress()?.done).toBe(false)
    await first.close()

    const second = await ExportRunner.open(out, deps())
    expect(await second.run()).toBe('finished')
    await second.close()
    seen.stop()
    const counts = countBy(seen.requests)
    // Contacts settled before the pause (the first two chunks of four) are not asked for again.
    for (const id of ids.slice(0, 8)) expect(counts.get(`contact ${id}`), id).toBe(1)
    for (const id of ids) expect(counts.get(`contact ${id}`), id).toBeLessThanOrEqual(2)
    const names = ids.flatMap((id) => [`${id}-a.wav`, `${id}-b.wav`])
    expect((await addedNames(out)).sort()).toEqual([...names].sort())
    await expectVerified(sim, out, Object.fromEntries(names.map((n) => [n, n])))
  })
})

describe('date range', () => {
  it('walks 7-day windows, 100 calls a page, stopping on a short page, and leaves out calls outside the range', async () => {
    const from = nextEra()
    const to = from + 2 * WEEK + 2 * DAY
    const expected: string[] = []
    // 250 calls in the first window: pages of 100, 100 and 50.
    for (let i = 0; i < 250; i++) {
      const name = `w1-${String(i).padStart(3, '0')}.wav`
      sim.addCall({ contactId: `w1-${i}`, startTime: from + i * 60_000, recordings: [name] })
      expected.push(name)
    }
    // Exactly on the first boundary: the simulator returns it for both windows.
    sim.addCall({ contactId: 'w-boundary', startTime: from + WEEK, recordings: ['w-boundary-1.wav', 'w-boundary-2.wav'] })
    expected.push('w-boundary-1.wav', 'w-boundary-2.wav')
    sim.addCall({ contactId: 'w2-quiet', startTime: from + WEEK + DAY, recordings: [] })
    sim.addCall({ contactId: 'w3-last', startTime: to - 1, recordings: ['w3-last.wav'] })
    expected.push('w3-last.wav')
    // Outside [from, to): before it, and exactly at its (exclusive) end.
    sim.addCall({ contactId: 'w-before', startTime: from - 1, recordings: ['w-before.wav'] })
    sim.addCall({ contactId: 'w-at-end', startTime: to, recordings: ['w-at-end.wav'] })

    const seen = recordListing(sim)
    const runner = await ExportRunner.open(out, deps(), init(rangeOf(from, to)))
    expect(await runner.run()).toBe('finished')
    await runner.close()
    seen.stop()

    // Windows of at most seven days: two whole weeks, then the two days left.
    const [w1, w2, w3] = [from, from + WEEK, from + 2 * WEEK]
    expect(to - w3).toBe(2 * DAY)
    expect(seen.requests).toEqual([`${w1}:1`, `${w1}:2`, `${w1}:3`, `${w2}:1`, `${w3}:1`])
    expect((await addedNames(out)).filter((n) => !n.startsWith('call/')).sort()).toEqual([...expected].sort())
    await expectVerified(sim, out, Object.fromEntries(expected.map((n) => [n, n])))
    expect(runner.table.files.get('call/w2-quiet')).toMatchObject({ state: 'skipped' })
    expect(runner.table.files.get('call/w2-quiet')?.error?.message).toMatch(/has no recording/)
    expect(runner.listingProgress()).toEqual({ pages: 5, found: expected.length, unrecorded: 1, leftOut: 0, done: true })
    expect(runner.progress().counts).toMatchObject({ done: expected.length, skipped: 1, failed: 0 })
  })

  it('starts downloading while the listing goes on', async () => {
    const from = nextEra()
    for (let i = 0; i < 150; i++) sim.addCall({ contactId: `o-${i}`, startTime: from + i, recordings: [`o-${i}.wav`] })
    const firstDownload = new Promise<void>((resolve) => sim.events.once('resolve', () => resolve()))
    const real = client()
    // Page 2 is asked for only once a file of page 1 is being downloaded: a runner that listed
    // everything before downloading anything would wait here until the test times out.
    const gated: RpcCaller = {
      async call(action, params, options) {
        if (action === 'ListCallDetailRecords' && params.PageNumber === '2') await firstDownload
        return real.call(action, params, options)
      },
    }
    const states: string[] = []
    const runner = await ExportRunner.open(out, deps({ rpc: gated }), init(rangeOf(from, from + DAY)))
    runner.onProgress((p) => states.push(p.state))
    expect(await runner.run()).toBe('finished')
    await runner.close()
    expect(runner.progress().counts.done).toBe(150)
    expect(states).toContain('listing')
  }, 15_000)

  it('a listing that keeps failing pauses the export at its cursor; resume finishes it', async () => {
    const from = nextEra()
    for (let i = 0; i < 120; i++) sim.addCall({ contactId: `f-${i}`, startTime: from + i, recordings: [`f-${i}.wav`] })
    const seen = recordListing(sim)
    const runner = await ExportRunner.open(out, deps(), init(rangeOf(from, from + DAY)))
    // Page 1 answers; page 2 fails as often as InternalError is tried (the fault is taken after the event).
    let lists = 0
    const failPage2 = () => {
      if (++lists === 2) sim.fault('ListCallDetailRecords', { kind: 'api-internal', times: 3 })
    }
    sim.events.on('list', failPage2)
    expect(await runner.run()).toBe('paused')
    const p = runner.progress()
    expect(p.reason?.code).toBe('InternalError')
    // What the first page found was downloaded before the export paused.
    expect(p.counts.done).toBe(100)
    sim.events.off('list', failPage2)
    expect(await runner.run()).toBe('finished')
    await runner.close()
    seen.stop()
    expect(seen.requests).toEqual([`${from}:1`, `${from}:2`, `${from}:2`, `${from}:2`, `${from}:2`])
    expect(runner.progress().counts.done).toBe(120)
  })

  it('pauses cleanly when paused the moment it starts, before the listing began', async () => {
    const from = nextEra()
    for (let i = 0; i < 5; i++) sim.addCall({ contactId: `pz-${i}`, startTime: from + i, recordings: [`pz-${i}.wav`] })
    const runner = await ExportRunner.open(out, deps(), init(rangeOf(from, from + DAY)))
    const run = runner.run()
    // While the run's first journal flush is under way.
    expect(await runner.pause()).toBe('paused')
    expect(await run).toBe('paused')
    expect(await runner.run()).toBe('finished')
    await runner.close()
    expect(runner.progress().counts.done).toBe(5)
  })

  it('stops once on an export-fatal code', async () => {
    const from = nextEra()
    const runner = await ExportRunner.open(out, deps(), init(rangeOf(from, from + DAY), { instanceId: 'no-such-instance' }))
    expect(await runner.run()).toBe('stopped')
    await runner.close()
    expect(runner.progress().reason?.code).toBe('NotExist.Instance')
  })

  it('refuses another range, or another kind of source, in the same folder', async () => {
    const from = nextEra()
    const runner = await ExportRunner.open(out, deps(), init(rangeOf(from, from + DAY)))
    await runner.close()
    await expect(ExportRunner.open(out, deps(), init(rangeOf(from, from + 2 * DAY)))).rejects.toThrow(/already holds an export of the calls/)
    await expect(ExportRunner.open(out, deps(), init({ kind: 'names' }))).rejects.toThrow(/already holds an export/)
    const same = await ExportRunner.open(out, deps(), init(rangeOf(from, from + DAY)))
    await same.close()
  })

  it('keeps the cursor and contact IDs through journal compaction', async () => {
    const t = nextEra()
    sim.addCall({ contactId: 'cmp-1', startTime: t, recordings: ['cmp-1.wav'] })
    const runner = await ExportRunner.open(out, deps(), init({ kind: 'contacts' }))
    runner.addContacts(['cmp-1', 'cmp-none'])
    await runner.run()
    await runner.close()
    await rewriteJournal(out, compactedJournal(runner.table))
    const types = (await journalEvents(out)).map((e) => e.type)
    expect(types).toContain('contacts')
    expect(types.filter((t) => t === 'listed')).toHaveLength(1)
    sim.resetStats()
    const again = await ExportRunner.open(out, deps())
    expect(again.listingProgress()).toEqual({ pages: 2, found: 1, unrecorded: 1, leftOut: 0, done: true })
    expect(await again.run()).toBe('finished')
    await again.close()
    expect(sim.stats.apiCalls).toBe(0)
  })
})
