import { spawn } from 'node:child_process'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CccClient } from '../../../main/engine/ccc/client.ts'
import { ExportRunner, type NewExport } from '../../../main/engine/export/runner.ts'
import { type Sim, startSim } from '../../sim/index.ts'
import { addedNames, countBy, expectVerified, journalEvents, recordListing } from './listing-helpers.ts'

const repo = resolve(import.meta.dirname, '../../..')
const child = join(import.meta.dirname, 'fixtures', 'listing-child.ts')

let sim: Sim
let out: string
beforeAll(async () => {
  sim = await startSim({ defaultSize: () => 4096 })
  out = await mkdtemp(join(tmpdir(), 'listing-kill-'))
})
afterAll(async () => {
  await sim.close()
  await rm(out, { recursive: true, force: true })
})

const DAY = 24 * 60 * 60 * 1000
const WEEK = 7 * DAY

describe('a listing killed with SIGKILL', () => {
  it('resumes at its journalled cursor: no page listed twice into duplicate downloads, every recording downloaded', async () => {
    const from = Date.UTC(2024, 4, 1)
    const to = from + WEEK + 3 * DAY
    const names: string[] = []
    // 260 calls in the first window (pages of 100, 100, 60), 40 in the second; some transferred.
    for (let i = 0; i < 300; i++) {
      const start = i < 260 ? from + i * 60_000 : from + WEEK + (i - 260) * 60_000
      const recordings = i % 25 === 0 ? [`kill-${i}-a.wav`, `kill-${i}-b.wav`] : [`kill-${i}.wav`]
      sim.addCall({ contactId: `kill-${i}`, startTime: start, recordings })
      names.push(...recordings)
    }
    const init: NewExport = {
      instanceId: sim.instanceId,
      source: { kind: 'range', from: new Date(from).toISOString(), to: new Date(to).toISOString() },
      options: { concurrency: 4, layout: 'flat', maxBytesPerSecond: null },
    }
    const seen = recordListing(sim)
    const proc = spawn(process.execPath, ['--import', 'tsx', child, out], {
      cwd: repo,
      env: { ...process.env, CHILD_EXPORT: JSON.stringify({ endpoint: sim.endpoint, accessKeyId: sim.accessKeyId, accessKeySecret: sim.accessKeySecret, init }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const killAt = `${from}:3`
    // Killed while page 3 of the first window is on the wire: pages 1 and 2 are journalled.
    const onList = () => {
      if (seen.requests.at(-1) === killAt) proc.kill('SIGKILL')
    }
    sim.events.on('list', onList)
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => proc.on('exit', (code, signal) => done({ code, signal })))
    sim.events.off('list', onList)
    expect(exit.signal, stderr).toBe('SIGKILL')
    expect(seen.requests).toEqual([`${from}:1`, `${from}:2`, killAt])
    const listed = (await journalEvents(out)).filter((e) => e.type === 'listed')
    expect(listed.at(-1)).toMatchObject({ next: { at: from, page: 3 }, pages: 2 })

    const client = new CccClient({ endpoint: sim.endpoint, credentials: { accessKeyId: sim.accessKeyId, accessKeySecret: sim.accessKeySecret } })
    const runner = await ExportRunner.open(out, { client, apiRate: { initial: 1000 }, backoff: { baseMs: 2, capMs: 20 } })
    expect(await runner.run()).toBe('finished')
    await runner.close()
    seen.stop()

    // The resume went on from page 3; only the page in flight at the kill was asked for twice.
    expect(seen.requests).toEqual([`${from}:1`, `${from}:2`, killAt, killAt, `${from + WEEK}:1`])
    expect([...countBy(await addedNames(out)).values()].every((n) => n === 1)).toBe(true)
    expect(runner.progress().counts).toMatchObject({ total: names.length, done: names.length, failed: 0 })
    await expectVerified(sim, out, Object.fromEntries(names.map((n) => [n, n])))
    expect((await readdir(out)).filter((f) => f.includes('.part'))).toEqual([])
  }, 30_000)
})
