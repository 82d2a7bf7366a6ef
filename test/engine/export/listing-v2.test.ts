import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { API_V2 } from '../../../main/common/api-version.ts'
import { CccClient } from '../../../main/engine/ccc/client.ts'
import { ExportRunner, type NewExport, type RunnerDeps } from '../../../main/engine/export/runner.ts'
import { type Sim, startSim } from '../../sim/index.ts'
import { filesUnder, recordListing } from './listing-helpers.ts'

let sim: Sim
let out: string
beforeAll(async () => {
  sim = await startSim({ apiVersion: API_V2, defaultSize: () => 64 })
})
afterAll(() => sim.close())
beforeEach(async () => {
  out = await mkdtemp(join(tmpdir(), 'listing-v2-'))
  sim.resetStats()
})
afterEach(() => rm(out, { recursive: true, force: true }))

const DAY = 24 * 60 * 60 * 1000
let era = Date.UTC(2024, 0, 1)
function nextEra(): number {
  era += 60 * DAY
  return era
}

function deps(): RunnerDeps {
  // A 1.0 client: the export's journal header makes its calls 2020-07-01.
  const client = new CccClient({ endpoint: sim.endpoint, credentials: { accessKeyId: sim.accessKeyId, accessKeySecret: sim.accessKeySecret } })
  // Folder syncs are the disk's business, not this test's: ten thousand of them take a minute.
  return { client, backoff: { baseMs: 2, capMs: 20 }, apiRate: { initial: 5000 }, progressIntervalMs: 50, syncFolder: async () => {} }
}

function init(source: NewExport['source']): NewExport {
  return { instanceId: sim.instanceId, source, options: { concurrency: 32, layout: 'flat', maxBytesPerSecond: null } }
}

function range(from: number, to: number, extra: Partial<NewExport['source']> = {}): NewExport['source'] {
  return { kind: 'range', from: new Date(from).toISOString(), to: new Date(to).toISOString(), api: API_V2, ...extra } as NewExport['source']
}

describe('CCC 2.0 date range', () => {
  it('lists more than 10,000 calls of a week in windows of at most 10,000, skips those not ready, restores the archived ones, and fetches the rest byte-exact with their metadata', async () => {
    const t0 = nextEra()
    const total = 10_250
    // Most are not ready, so the week holds over 10,000 calls to list but the test downloads about
    // a thousand (the downloads, not the listing, are what take time).
    const isReady = (i: number) => i % 10 === 3
    const ids: string[] = []
    for (let i = 0; i < total; i++) {
      const id = `job-${9_000_000 + i}`
      ids.push(id)
      sim.addCall({ contactId: id, startTime: t0 + Math.floor((i * 7 * DAY) / total), recordings: [`${id}-leg.wav`], notReady: !isReady(i), agentName: 'Li Lei' })
      // Some ready ones are in archive storage: restored, then downloaded like the rest (issue 14 item 4).
      if (i % 1000 === 3) sim.archive(id, { polls: 0 })
    }
    const restored: string[] = []
    const onRestore = (contacts: readonly string[]) => void restored.push(...contacts)
    sim.events.on('restore', onRestore)
    const listing = recordListing(sim)
    const runner = await ExportRunner.open(out, deps(), init(range(t0, t0 + 7 * DAY)))
    expect(await runner.run()).toBe('finished')
    await runner.close()
    listing.stop()
    sim.events.off('restore', onRestore)
    expect(new Set(restored)).toEqual(new Set(ids.filter((_, i) => i % 1000 === 3)))

    const notReady = ids.filter((_, i) => !isReady(i))
    const ready = ids.filter((_, i) => isReady(i))
    expect(runner.progress().counts).toMatchObject({ done: ready.length, skipped: notReady.length, failed: 0 })
    const files = await filesUnder(out)
    expect(files).toEqual(ready.map((id) => `${id}.wav`).sort())
    for (const id of ready) {
      expect((await readFile(join(out, `${id}.wav`))).equals(sim.content(`${id}.wav`)), id).toBe(true)
    }
    // Never a page past 100: the week was split.
    expect(listing.requests.length).toBeGreaterThan(100)
    expect(listing.requests.every((r) => Number(r.split(':')[1]) <= 100)).toBe(true)
    const report = await readFile(join(out, 'report.csv'), 'utf8')
    expect(report).toContain(`call/${notReady[0]},skipped`)
    expect(report).toContain('not ready yet')
    const manifest = await readFile(join(out, 'manifest.csv'), 'utf8')
    const row = manifest.split('\r\n').find((l) => l.includes(`${ready[1]}.wav`))!
    expect(row).toContain(ready[1])
    expect(row).toContain('Li Lei (Li Lei@sim)')
    expect(row).toContain('Inbound')
    expect(row).toContain('满意')
  }, 40_000)

  it('a relist picks up a call that became ready', async () => {
    const t0 = nextEra()
    sim.addCall({ contactId: 'job-1001', startTime: t0 + 1000, recordings: ['job-1001-a.wav'] })
    sim.addCall({ contactId: 'job-1002', startTime: t0 + 2000, recordings: ['job-1002-a.wav'], notReady: true })
    const first = await ExportRunner.open(out, deps(), init(range(t0, t0 + DAY)))
    expect(await first.run()).toBe('finished')
    await first.close()
    expect(await filesUnder(out)).toEqual(['job-1001.wav'])
    // The simulator cannot change a call, so a fresh instance stands for "later".
    const later = await startSim({ apiVersion: API_V2, defaultSize: () => 64, instanceId: sim.instanceId, accessKeyId: sim.accessKeyId, accessKeySecret: sim.accessKeySecret })
    try {
      later.addCall({ contactId: 'job-1001', startTime: t0 + 1000, recordings: ['job-1001-a.wav'] })
      later.addCall({ contactId: 'job-1002', startTime: t0 + 2000, recordings: ['job-1002-a.wav'] })
      const d = { ...deps(), client: new CccClient({ endpoint: later.endpoint, credentials: { accessKeyId: sim.accessKeyId, accessKeySecret: sim.accessKeySecret } }) }
      const again = await ExportRunner.open(out, d, init(range(t0, t0 + DAY)))
      expect(again.relist()).toBe(true)
      expect(await again.run()).toBe('finished')
      await again.close()
      expect(await filesUnder(out)).toEqual(['job-1001.wav', 'job-1002.wav'])
    } finally {
      await later.close()
    }
  })

  it('per-agent: one file per leg, each with its agent; multichannel: one MKV per call', async () => {
    const t0 = nextEra()
    sim.addCall({ contactId: 'job-2001', startTime: t0 + 1000, recordings: ['job-2001-x-1.wav', 'job-2001-x-2.wav'] })
    sim.addCall({ contactId: 'job-2002', startTime: t0 + 2000, recordings: ['job-2002-x-1.wav'] })
    const legs = await ExportRunner.open(out, deps(), init(range(t0, t0 + DAY, { recording: 'per-agent' })))
    expect(await legs.run()).toBe('finished')
    await legs.close()
    expect(await filesUnder(out)).toEqual(['job-2001-x-1.wav', 'job-2001-x-2.wav', 'job-2002-x-1.wav'])
    expect((await readFile(join(out, 'job-2001-x-2.wav'))).equals(sim.content('job-2001-x-2.wav'))).toBe(true)

    const out2 = await mkdtemp(join(tmpdir(), 'listing-v2-mkv-'))
    try {
      const mkv = await ExportRunner.open(out2, deps(), init(range(t0, t0 + DAY, { recording: 'multichannel' })))
      expect(await mkv.run()).toBe('finished')
      await mkv.close()
      expect(await filesUnder(out2)).toEqual(['job-2001.mkv', 'job-2002.mkv'])
      expect((await readFile(join(out2, 'job-2002.mkv'))).equals(sim.content('job-2002.mkv'))).toBe(true)
    } finally {
      await rm(out2, { recursive: true, force: true })
    }
  })

  it('takes a failed contact lookup again when its group is retried while the run still downloads: at the run\'s end, then on resume', async () => {
    const t0 = nextEra()
    sim.addCall({ contactId: 'job-3601', startTime: t0, recordings: ['job-3601-a.wav'] })
    sim.addCall({ contactId: 'job-3602', startTime: t0, recordings: ['job-3602-a.wav'] })
    // job-3601 downloads slowly, so the run is still under way when job-3602's lookup has failed.
    sim.setSize('job-3601.wav', 256 * 1024)
    sim.fault('job-3601.wav', { kind: 'slow', bytesPerSecond: 256 * 1024, times: 1 })
    sim.fault('contact:job-3602', { kind: 'api-v2-error', code: 'Parameter.Format', times: 1 })
    const runner = await ExportRunner.open(out, deps(), init({ kind: 'contacts', api: API_V2 }))
    runner.addContacts(['job-3601', 'job-3602'])
    const failedRow = new Promise<void>((resolve) => {
      const off = runner.onProgress((p) => {
        if (p.counts.failed === 1 && p.bytes > 0) {
          off()
          resolve()
        }
      })
    })
    const running = runner.run()
    await failedRow
    expect(runner.retryGroup('Parameter.Format')).toBe(1)
    await running
    // The listing's cursor moved back once the run ended: the export has work left, not finished.
    expect(runner.progress().state).toBe('paused')
    expect(runner.listingProgress()).toMatchObject({ done: false })
    expect(await runner.run()).toBe('finished')
    await runner.close()
    expect(await filesUnder(out)).toEqual(['job-3601.wav', 'job-3602.wav'])
    expect(runner.progress().counts).toMatchObject({ done: 2, failed: 0, total: 2 })
  })

  it('contact IDs through GetCallDetailRecord; an expired URL is renewed', async () => {
    const t0 = nextEra()
    sim.addCall({ contactId: 'job-3001', startTime: t0, recordings: ['job-3001-a.wav'] })
    sim.addCall({ contactId: 'job-3002', startTime: t0, recordings: ['job-3002-a.wav'], notReady: true })
    sim.fault('job-3001.wav', { kind: 'expire-url', times: 1 })
    const runner = await ExportRunner.open(out, deps(), init({ kind: 'contacts', api: API_V2 }))
    runner.addContacts(['job-3001', 'job-3002', 'job-3999'])
    expect(await runner.run()).toBe('finished')
    await runner.close()
    expect(await filesUnder(out)).toEqual(['job-3001.wav'])
    // The not-ready call is skipped (to be asked for again later); an ID CCC does not know is a
    // failure under its code, so the export does not pass for complete.
    expect(runner.progress().counts).toMatchObject({ done: 1, skipped: 1, failed: 1 })
    expect(runner.table.files.get('contact/job-3999')).toMatchObject({ state: 'failed', error: { message: expect.stringMatching(/^GetCallDetailRecord failed for contact job-3999: /) } })
    // Nor is its row a recording found.
    expect(runner.listingProgress()).toMatchObject({ found: 1, unrecorded: 1 })
    expect(sim.stats.downloadRecordingCalls.get('job-3001.wav')).toBe(2)
  })
})
