import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { CccClient } from '../../../main/engine/ccc/client.ts'
import { Exports } from '../../../main/engine/export/exports.ts'
import { readExportHeader } from '../../../main/engine/export/journal.ts'
import { adoptExport } from '../../../main/engine/sync/adopt.ts'
import { finishSync, startSync } from '../../../main/engine/sync/sync-run.ts'
import { DEFAULT_MARGIN_MS, readSyncSettings, writeSyncSettings } from '../../../main/engine/sync/sync-settings.ts'
import { type Sim, startSim } from '../../sim/index.ts'
import { filesUnder } from '../export/listing-helpers.ts'

let sim: Sim
let out: string
beforeAll(async () => {
  sim = await startSim({ defaultSize: () => 1500 })
})
afterAll(() => sim.close())
beforeEach(async (ctx) => {
  out = await mkdtemp(join(tmpdir(), 'sync-adopted-'))
  ctx.onTestFinished(() => rm(out, { recursive: true, force: true }))
})

const MIN = 60 * 1000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
const iso = (ms: number) => new Date(ms).toISOString()

function exports(): Exports {
  const client = new CccClient({ endpoint: sim.endpoint, credentials: { accessKeyId: sim.accessKeyId, accessKeySecret: sim.accessKeySecret } })
  return new Exports({ clientFor: async () => ({ client }), tuning: { backoff: { baseMs: 2, capMs: 20 }, apiRate: { initial: 1000 } } })
}

/** One sync run at `now`, as `ccc-recordings sync` runs it. */
async function night(now: number): Promise<void> {
  const settings = (await readSyncSettings(out))!
  const ex = exports()
  const start = await startSync(ex, out, settings, now)
  const state = await start.runner.run()
  await finishSync(out, settings, start, state === 'finished' ? 0 : 4, now)
  await ex.close()
}

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
