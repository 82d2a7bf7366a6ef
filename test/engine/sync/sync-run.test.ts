import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { CccClient } from '../../../main/engine/ccc/client.ts'
import { Exports } from '../../../main/engine/export/exports.ts'
import { readExportHeader } from '../../../main/engine/export/journal.ts'
import { adoptExport } from '../../../main/engine/sync/adopt.ts'
import { finishSync, startSync } from '../../../main/engine/sync/sync-run.ts'
import { DEFAULT_MARGIN_MS, DEFAULT_OVERLAP_MS, readSyncLast, readSyncSettings, type SyncSettings, writeSyncSettings } from '../../../main/engine/sync/sync-settings.ts'
import { type Sim, startSim } from '../../sim/index.ts'
import { addedNames, countBy, filesUnder } from '../export/listing-helpers.ts'

let sim: Sim
let out: string
beforeAll(async () => {
  sim = await startSim({ defaultSize: () => 1500 })
})
afterAll(() => sim.close())
beforeEach(async (ctx) => {
  out = await mkdtemp(join(tmpdir(), 'sync-'))
  ctx.onTestFinished(() => rm(out, { recursive: true, force: true }))
})

const MIN = 60 * 1000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
const iso = (ms: number) => new Date(ms).toISOString()

function exports(): Exports {
  const client = new CccClient({ endpoint: sim.endpoint, credentials: { accessKeyId: sim.accessKeyId, accessKeySecret: sim.accessKeySecret } })
  return new Exports({ clientFor: async () => ({ client }), tuning: { backoff: { baseMs: 2, capMs: 20 }, apiRate: { initial: 1000 }, progressIntervalMs: 20 } })
}

function settingsFor(since: number): SyncSettings {
  const options = { concurrency: 4, nameTemplate: '{date}/{fileName}', timeZone: 'UTC' }
  return { version: 1, connection: { instanceId: sim.instanceId }, filters: {}, options, since: iso(since), mark: null, overlapMs: DEFAULT_OVERLAP_MS, marginMs: DEFAULT_MARGIN_MS }
}

/** One night: the sync as `ccc-recordings sync` runs it, at `now`. */
async function night(now: number): Promise<{ state: string; downloads: number; markAdvanced: boolean }> {
  const settings = (await readSyncSettings(out))!
  const before = [...sim.stats.ossGets.values()].reduce((a, b) => a + b, 0)
  const ex = exports()
  const start = await startSync(ex, out, settings, now)
  const state = await start.runner.run()
  const last = await finishSync(out, settings, start, state === 'finished' ? 0 : 4, now)
  await ex.close()
  const downloads = [...sim.stats.ossGets.values()].reduce((a, b) => a + b, 0) - before
  return { state, downloads, markAdvanced: last.markAdvanced }
}

async function manifestNames(): Promise<string[]> {
  const text = await readFile(join(out, 'manifest.jsonl'), 'utf8')
  return text.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { fileName: string }).fileName).sort()
}

describe('sync: an archive folder kept up to date night after night', () => {
  it('three nights with late calls: every ready recording once, a complete manifest, the mark only over complete windows', async () => {
    const T = Date.UTC(2021, 2, 10, 2) // a night at 02:00 UTC
    sim.addCall({ contactId: 's-1', startTime: T - 2 * DAY, recordings: ['s-1.wav'] })
    sim.addCall({ contactId: 's-2', startTime: T - DAY, recordings: ['s-2a.wav', 's-2b.wav'] })
    sim.addCall({ contactId: 's-3', startTime: T - 10 * MIN, recordings: ['s-3.wav'] }) // in the margin: next night
    sim.addCall({ contactId: 's-old', startTime: T - 4 * DAY, recordings: ['s-old.wav'] }) // before --since
    await writeSyncSettings(out, settingsFor(T - 3 * DAY))

    expect(await night(T)).toEqual({ state: 'finished', downloads: 3, markAdvanced: true })
    expect((await readSyncSettings(out))!.mark).toBe(iso(T - DAY / 96))
    // A second run straight after downloads nothing.
    expect(await night(T + MIN)).toMatchObject({ state: 'finished', downloads: 0 })

    // Night 2: a call of last evening whose recording was ready late, and the day's calls.
    sim.addCall({ contactId: 's-late', startTime: T - HOUR, recordings: ['s-late.wav'] })
    sim.addCall({ contactId: 's-4', startTime: T + 12 * HOUR, recordings: ['s-4.wav'] })
    expect(await night(T + DAY)).toMatchObject({ state: 'finished', downloads: 3, markAdvanced: true })

    // Night 3: the listing fails for good mid-window: the mark stays, and the rerun completes it.
    sim.addCall({ contactId: 's-5', startTime: T + DAY + 3 * HOUR, recordings: ['s-5.wav'] })
    const mark2 = (await readSyncSettings(out))!.mark
    // As often as InternalError is tried: the listing gives up, and the fault is used up.
    sim.fault('ListCallDetailRecords', { kind: 'api-internal', times: 3 })
    const failed = await night(T + 2 * DAY)
    expect(failed).toMatchObject({ state: 'paused', markAdvanced: false })
    expect((await readSyncSettings(out))!.mark).toBe(mark2)
    expect((await readSyncLast(out))!.markAdvanced).toBe(false)
    expect(await night(T + 2 * DAY + 5 * MIN)).toMatchObject({ state: 'finished', downloads: 1, markAdvanced: true })
    expect((await readSyncSettings(out))!.mark).toBe(iso(T + 2 * DAY + 5 * MIN - DAY / 96))

    const all = ['s-1.wav', 's-2a.wav', 's-2b.wav', 's-3.wav', 's-late.wav', 's-4.wav', 's-5.wav'].sort()
    expect((await filesUnder(out)).map((p) => p.split('/').pop()).sort()).toEqual(all)
    expect(await manifestNames()).toEqual(all)
    expect([...countBy(await addedNames(out)).values()].every((n) => n === 1)).toBe(true)
    for (const name of all) expect(sim.stats.ossGets.get(name) ?? 0, name).toBeLessThanOrEqual(1)
  }, 30_000)

  it('a run stopped mid-window continues next time from its journal', async () => {
    const T = Date.UTC(2021, 5, 10, 2)
    for (let i = 0; i < 150; i++) sim.addCall({ contactId: `k-${i}`, startTime: T - DAY + i * MIN, recordings: [`k-${i}.wav`] })
    await writeSyncSettings(out, settingsFor(T - 2 * DAY))
    const settings = (await readSyncSettings(out))!
    const ex = exports()
    const start = await startSync(ex, out, settings, T)
    // Stopped as a kill would: after the first page, before the listing completed.
    const onList = () => void start.runner.pause()
    let pages = 0
    const counter = () => {
      if (++pages === 2) onList()
    }
    sim.events.on('list', counter)
    await start.runner.run()
    sim.events.off('list', counter)
    const last = await finishSync(out, settings, start, 130, T)
    await ex.close()
    expect(last.markAdvanced).toBe(false)
    expect((await readSyncSettings(out))!.mark).toBeNull()

    expect(await night(T + 10 * MIN)).toMatchObject({ state: 'finished', markAdvanced: true })
    expect((await filesUnder(out)).length).toBe(150)
    expect(await manifestNames()).toHaveLength(150)
    expect([...countBy(await addedNames(out)).values()].every((n) => n === 1)).toBe(true)
  }, 30_000)
})

describe("a night's failures are that night's", () => {
  /** A call whose recording CCC has deleted: DownloadRecording answers NotExist.Record. */
  const deletedCall = (contactId: string, startTime: number) => {
    sim.addCall({ contactId, startTime, recordings: [`${contactId}.wav`] })
    sim.remove(`${contactId}.wav`)
  }

  it('a recording CCC deleted fails the night it is found; later nights carry it without failing again, and a new one is the new night\'s', async () => {
    const T = Date.UTC(2021, 7, 10, 2)
    sim.addCall({ contactId: 'f-1', startTime: T - DAY, recordings: ['f-1.wav'] })
    deletedCall('f-gone', T - DAY + HOUR)
    await writeSyncSettings(out, settingsFor(T - 2 * DAY))
    await night(T)
    expect(await readSyncLast(out)).toMatchObject({ counts: { failed: 1 }, failedThisRun: 1 })

    // An InternalError past its retries on night 2: a passing failure, tried again (and failing again) each night.
    sim.addCall({ contactId: 'f-2', startTime: T + 6 * HOUR, recordings: ['f-2.wav'] })
    sim.fault('f-2.wav', { kind: 'api-internal', times: 1000 })
    await night(T + DAY)
    expect(await readSyncLast(out)).toMatchObject({ counts: { failed: 2 }, failedThisRun: 1 })
    await night(T + DAY + HOUR)
    expect(await readSyncLast(out)).toMatchObject({ counts: { failed: 2 }, failedThisRun: 1 })

    // It passed: what is left failed is the deleted recording, from night 1.
    sim.clearFaults('f-2.wav')
    await night(T + DAY + 2 * HOUR)
    expect(await readSyncLast(out)).toMatchObject({ counts: { failed: 1 }, failedThisRun: 0 })

    deletedCall('f-gone2', T + 2 * DAY - 3 * HOUR)
    await night(T + 2 * DAY)
    expect(await readSyncLast(out)).toMatchObject({ counts: { failed: 2 }, failedThisRun: 1 })
  }, 60_000)

  it('reports again the failures of a night that did not finish: its exit code never said them', async () => {
    const T = Date.UTC(2021, 8, 10, 2)
    sim.addCall({ contactId: 'p-1', startTime: T - DAY, recordings: ['p-1.wav'] })
    // Deleted long ago, and reported on night 1: no night after that is to fail for it again.
    deletedCall('p-old', T - DAY + HOUR)
    await writeSyncSettings(out, settingsFor(T - 2 * DAY))
    await night(T)
    expect(await readSyncLast(out)).toMatchObject({ counts: { failed: 1 }, failedThisRun: 1 })

    // Night 2 finds a deleted recording, then is stopped (a shutdown) before it finishes.
    deletedCall('p-gone', T + HOUR)
    for (let i = 0; i < 40; i++) sim.addCall({ contactId: `p-${i + 2}`, startTime: T + 2 * HOUR + i * MIN, recordings: [`p-${i + 2}.wav`] })
    const settings = (await readSyncSettings(out))!
    const ex = exports()
    const start = await startSync(ex, out, settings, T + DAY)
    let resolvedGone = false
    const onResolve = (name: string) => void (resolvedGone ||= name === 'p-gone.wav')
    const onBody = () => void (resolvedGone && start.runner.table.counts.failed > 1 && start.runner.pause())
    sim.events.on('resolve', onResolve)
    sim.events.on('body', onBody)
    const state = await start.runner.run()
    sim.events.off('resolve', onResolve)
    sim.events.off('body', onBody)
    expect(state).toBe('paused')
    await finishSync(out, settings, start, 143, T + DAY)
    await ex.close()

    // Night 3 finishes: what night 2 found is its to report, once; night 1's is not again.
    await night(T + DAY + HOUR)
    expect(await readSyncLast(out)).toMatchObject({ state: 'finished', counts: { failed: 2 }, failedThisRun: 1 })
    await night(T + DAY + 2 * HOUR)
    expect(await readSyncLast(out)).toMatchObject({ counts: { failed: 2 }, failedThisRun: 0 })
  }, 60_000)

  it('takes a blank journal (a disk that filled before its first line) for a first run', async () => {
    const T = Date.UTC(2021, 9, 10, 2)
    sim.addCall({ contactId: 'b-1', startTime: T - DAY, recordings: ['b-1.wav'] })
    await writeSyncSettings(out, settingsFor(T - 2 * DAY))
    await writeFile(join(out, '.ccc-recordings', 'journal.jsonl'), '')
    expect(await night(T)).toMatchObject({ state: 'finished', downloads: 1, markAdvanced: true })
  })

  it("reads an older build's record, which counted every failure as the night's", async () => {
    const last = { at: iso(0), window: { from: iso(0), to: iso(0) }, exitCode: 3, state: 'finished', markAdvanced: true, mark: iso(0), counts: { total: 4, done: 2, failed: 2, skipped: 0 } }
    await mkdir(join(out, '.ccc-recordings'), { recursive: true })
    await writeFile(join(out, '.ccc-recordings', 'sync-last.json'), JSON.stringify(last))
    expect(await readSyncLast(out)).toEqual({ ...last, failedThisRun: 2 })
  })
})

describe('sync of a folder adopted from a download whose --to is still ahead', () => {
  it('puts the mark no later than now minus the margin, so calls made after the run are listed by the next', async () => {
    const T = Date.UTC(2022, 11, 5, 10, 40)
    sim.addCall({ contactId: 'ad-1', startTime: T - 5 * HOUR, recordings: ['ad-1.wav'] })
    // The download of a range that ends two days after it ran.
    const ex = exports()
    const { runner } = await ex.start({ outDir: out, connection: { instanceId: sim.instanceId }, source: { kind: 'range', from: iso(T - 11 * HOUR), to: iso(T + 2 * DAY) } })
    expect(await runner.run()).toBe('finished')
    await ex.close()
    await writeSyncSettings(out, adoptExport((await readExportHeader(out))!)!)

    await night(T)
    expect((await readSyncSettings(out))!.mark).toBe(iso(T - DEFAULT_MARGIN_MS))

    // Calls CCC records after that run: one that ended just after it, one an hour later.
    sim.addCall({ contactId: 'ad-2', startTime: T - 25 * MIN, recordings: ['ad-2.wav'] })
    sim.addCall({ contactId: 'ad-3', startTime: T + HOUR, recordings: ['ad-3.wav'] })
    await night(T + 3 * HOUR)
    expect((await filesUnder(out)).sort()).toEqual(['ad-1.wav', 'ad-2.wav', 'ad-3.wav'])
    expect((await readSyncSettings(out))!.mark).toBe(iso(T + 3 * HOUR - DEFAULT_MARGIN_MS))
  }, 30_000)
})
