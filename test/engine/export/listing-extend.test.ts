import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { CccClient } from '../../../main/engine/ccc/client.ts'
import { type ExportPlan, Exports } from '../../../main/engine/export/exports.ts'
import { readExportStatus } from '../../../main/engine/export/export-status.ts'
import { journalPath } from '../../../main/engine/export/journal.ts'
import { ExportRunner, type NewExport, type RunnerDeps } from '../../../main/engine/export/runner.ts'
import { type Sim, startSim } from '../../sim/index.ts'
import { addedNames, countBy, journalEvents } from './listing-helpers.ts'

let sim: Sim
let out: string
beforeAll(async () => {
  sim = await startSim({ defaultSize: () => 1024 })
})
afterAll(() => sim.close())
beforeEach(async () => {
  out = await mkdtemp(join(tmpdir(), 'extend-'))
})
afterEach(() => rm(out, { recursive: true, force: true }))

const HOUR = 60 * 60 * 1000
const DAY = 24 * HOUR
const iso = (ms: number) => new Date(ms).toISOString()

function deps(): RunnerDeps {
  const client = new CccClient({ endpoint: sim.endpoint, credentials: { accessKeyId: sim.accessKeyId, accessKeySecret: sim.accessKeySecret } })
  return { client, backoff: { baseMs: 2, capMs: 20 }, apiRate: { initial: 1000 }, progressIntervalMs: 20 }
}

function service(): Exports {
  const client = new CccClient({ endpoint: sim.endpoint, credentials: { accessKeyId: sim.accessKeyId, accessKeySecret: sim.accessKeySecret } })
  return new Exports({ clientFor: () => Promise.resolve({ client }), tuning: { backoff: { baseMs: 2, capMs: 20 }, apiRate: { initial: 1000 }, progressIntervalMs: 20 } })
}

function init(from: number, to: number): NewExport {
  return { instanceId: sim.instanceId, source: { kind: 'range', from: iso(from), to: iso(to) }, options: { concurrency: 4, layout: 'flat', maxBytesPerSecond: null } }
}

describe('relist with a window (the engine side of sync)', () => {
  it('moves a range on to a later end, lists again from the window start, and adds nothing twice', async () => {
    const t0 = Date.UTC(2022, 5, 1)
    sim.addCall({ contactId: 'x-1', startTime: t0 + HOUR, recordings: ['x-1.wav'] })
    const first = await ExportRunner.open(out, deps(), init(t0, t0 + DAY))
    expect(await first.run()).toBe('finished')
    await first.close()

    // A call of the first day that reached the records late, and one of the second day.
    sim.addCall({ contactId: 'x-late', startTime: t0 + DAY - HOUR, recordings: ['x-late.wav'] })
    sim.addCall({ contactId: 'x-2', startTime: t0 + DAY + HOUR, recordings: ['x-2.wav'] })
    const second = await ExportRunner.open(out, deps())
    expect(second.relist({ from: t0 + DAY - 2 * HOUR, to: iso(t0 + 2 * DAY) })).toBe(true)
    expect(second.listingProgress()?.done).toBe(false)
    expect(await second.run()).toBe('finished')
    expect(second.listingProgress()).toMatchObject({ done: true, found: 3 })
    await second.close()
    expect((await readExportStatus(out))?.listing).toMatchObject({ done: true, found: 3 })
    expect(second.table.counts).toMatchObject({ total: 3, done: 3 })
    expect([...countBy(await addedNames(out)).values()].every((n) => n === 1)).toBe(true)

    // The journal keeps the new end: a resume (and a compacted journal) list to it.
    const reopened = await ExportRunner.open(out, deps())
    expect(reopened.header.source).toMatchObject({ kind: 'range', from: iso(t0), to: iso(t0 + 2 * DAY) })
    // The next night's window overlaps this one: what it finds again is not counted again.
    expect(reopened.relist({ from: t0 + DAY - 2 * HOUR, to: iso(t0 + 2 * DAY + HOUR) })).toBe(true)
    expect(await reopened.run()).toBe('finished')
    expect(reopened.listingProgress()).toMatchObject({ done: true, found: 3, unrecorded: 0 })
    await reopened.close()
    const sources = (await journalEvents(out)).filter((e) => e.type === 'source')
    expect(sources).toHaveLength(2)
    // An older build's relist journalled its counts from 0 and was stopped there: the rows still count.
    await appendFile(journalPath(out), `${JSON.stringify({ type: 'listed', next: { at: t0, page: 1 }, pages: 0, found: 0, unrecorded: 0 })}\n`)
    const old = await ExportRunner.open(out, deps())
    expect(old.listingProgress()).toMatchObject({ done: false, found: 3, unrecorded: 0 })
    await old.close()
    // status says so too: a script sees more may come, not "0 to do" alone.
    expect((await readExportStatus(out))?.listing).toMatchObject({ done: false, found: 3 })
  })

  it('takes the same range asked again with a later end: a folder ended at 23:59:59 gets its last second, a relist and its retries', async () => {
    const t0 = Date.UTC(2022, 8, 1)
    const end = t0 + DAY
    sim.addCall({ contactId: 'y-1', startTime: t0 + HOUR, recordings: ['y-1.wav'] })
    sim.addCall({ contactId: 'y-bad', startTime: t0 + 2 * HOUR, recordings: ['y-bad.wav'] })
    sim.addCall({ contactId: 'y-last', startTime: end - 400, recordings: ['y-last.wav'] })
    sim.fault('y-bad.wav', { kind: 'oss-unavailable', times: 6 })
    const plan = (to: number): ExportPlan => ({
      outDir: out,
      connection: { instanceId: sim.instanceId },
      source: { kind: 'range', from: iso(t0), to: iso(to) },
      options: { concurrency: 2, layout: 'flat' },
    })
    // How the app ended a day before its ends were exclusive.
    const first = service()
    const old = await first.start(plan(end - 1000))
    expect(await old.runner.run()).toBe('finished')
    expect(old.runner.table.counts).toMatchObject({ total: 2, done: 1, failed: 1 })
    await first.close()
    sim.addCall({ contactId: 'y-late', startTime: t0 + 3 * HOUR, recordings: ['y-late.wav'] })

    const second = service()
    const again = await second.start(plan(end))
    expect(again.notes).toMatchObject({ relisted: true, retried: 1 })
    expect(again.runner.header.source).toMatchObject({ to: iso(end) })
    expect(await again.runner.run()).toBe('finished')
    expect(again.runner.table.counts).toMatchObject({ total: 4, done: 4 })
    await second.close()
    // Asked with the old end once more, the folder keeps the later one.
    const third = service()
    const older = await third.start(plan(end - 1000))
    expect(older.runner.header.source).toMatchObject({ to: iso(end) })
    await third.close()
  })

  it('moves an unfinished range on to the later end asked, without calling it a relist', async () => {
    const t0 = Date.UTC(2022, 10, 1)
    const plan = (to: number): ExportPlan => ({ outDir: out, connection: { instanceId: sim.instanceId }, source: { kind: 'range', from: iso(t0), to: iso(to) }, options: { concurrency: 2, layout: 'flat' } })
    const first = service()
    await first.start(plan(t0 + DAY - 1000))
    await first.close()
    const second = service()
    const again = await second.start(plan(t0 + DAY))
    expect(again.notes).toMatchObject({ relisted: false, retried: 0 })
    expect(again.runner.header.source).toMatchObject({ to: iso(t0 + DAY) })
    expect(again.runner.listingProgress()?.done).toBe(false)
    await second.close()
  })

  it('keeps a verified file whose call a relisting finds outside the filter (its agent renamed since)', async () => {
    const t0 = Date.UTC(2022, 9, 1)
    sim.addCall({ contactId: 'z-1', startTime: t0 + HOUR, agentName: '张三', recordings: ['z-1.wav'] })
    sim.addCall({ contactId: 'z-2', startTime: t0 + 2 * HOUR, agentName: '李四', recordings: ['z-2.wav'] })
    sim.addCall({ contactId: 'z-3', startTime: t0 + 3 * HOUR, agentName: '王五', recordings: ['z-3.wav'] })
    const plan: ExportPlan = {
      outDir: out,
      connection: { instanceId: sim.instanceId },
      source: { kind: 'range', from: iso(t0), to: iso(t0 + DAY), filter: { agent: '张三' } },
      options: { concurrency: 2, layout: 'flat', nameTemplate: '{agent}/{contactId}{ext}' },
    }
    const first = service()
    const run1 = await first.start(plan)
    expect(await run1.runner.run()).toBe('finished')
    expect(run1.runner.table.files.get('z-1.wav')?.state).toBe('done')
    await first.close()

    expect(run1.runner.table.files.get('z-3.wav')?.state).toBe('skipped')
    sim.renameAgent('z-1', '张三丰')
    // And the other way: a call whose record now names the agent asked for is downloaded after all.
    sim.renameAgent('z-3', '张三')
    const second = service()
    const run2 = await second.start(plan)
    expect(run2.notes.relisted).toBe(true)
    expect(await run2.runner.run()).toBe('finished')
    await second.close()
    expect(run2.runner.table.files.get('z-1.wav')?.state).toBe('done')
    expect(run2.runner.table.files.get('z-3.wav')?.state).toBe('done')
    const manifest = await readFile(join(out, 'manifest.csv'), 'utf8')
    expect(manifest).toContain('张三/z-1.wav,z-1.wav,')
    // Named, and its call kept, as the listing that left it out saw it: a path is rendered once.
    expect(manifest).toMatch(/王五\/z-3\.wav,z-3\.wav,\d+,\d+,[0-9a-f]{64},[^,]+,crc64,z-3,/)
  })

  it('refuses a window on an export that is not a date range, and a window before the range', async () => {
    const runner = await ExportRunner.open(out, deps(), { instanceId: sim.instanceId, source: { kind: 'names' }, options: { concurrency: 1, layout: 'flat', maxBytesPerSecond: null } })
    expect(runner.relist({ from: 0, to: iso(DAY) })).toBe(false)
    await runner.close()
    const out2 = await mkdtemp(join(tmpdir(), 'extend-'))
    const t0 = Date.UTC(2022, 7, 1)
    const range = await ExportRunner.open(out2, deps(), init(t0, t0 + DAY))
    expect(range.relist({ from: t0, to: iso(t0 - DAY) })).toBe(false)
    await range.close()
    await rm(out2, { recursive: true, force: true })
  })
})
