import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { API_V2 } from '../../../main/common/api-version.ts'
import { CccClient } from '../../../main/engine/ccc/client.ts'
import type { Clock } from '../../../main/engine/clock.ts'
import type { RestoreOptions } from '../../../main/engine/export/archive-restore.ts'
import { ExportTable } from '../../../main/engine/export/export-table.ts'
import { readExportStatus } from '../../../main/engine/export/export-status.ts'
import type { JournalEvent } from '../../../main/engine/export/journal-events.ts'
import { isValidEvent } from '../../../main/engine/export/journal-schema.ts'
import { ExportRunner, type NewExport, type RunnerDeps } from '../../../main/engine/export/runner.ts'
import { type Sim, startSim } from '../../sim/index.ts'
import { compactedJournal } from '../../../main/engine/export/compacted-journal.ts'

/**
 * Time for the restorer alone: each sleep is recorded and moves `now` on at once, so polls with
 * their backoff and the 12-hour bound run in milliseconds, and the test reads the delays asked for.
 */
class SkipClock implements Clock {
  t = 0
  readonly sleeps: number[] = []
  now(): number {
    return this.t
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms)
    this.t += ms
    await new Promise((resolve) => setImmediate(resolve))
    if (signal?.aborted) throw signal.reason
  }
}

let sim: Sim
let out: string
let restoreCalls: (readonly string[])[]
const onRestore = (ids: readonly string[]) => void restoreCalls.push(ids)
beforeAll(async () => {
  sim = await startSim({ apiVersion: API_V2, defaultSize: (name) => 3000 + (name.length % 7) * 100 })
  sim.events.on('restore', onRestore)
})
afterAll(() => sim.close())
beforeEach(async () => {
  out = await mkdtemp(join(tmpdir(), 'archive-'))
  sim.resetStats()
  restoreCalls = []
})
afterEach(() => rm(out, { recursive: true, force: true }))

let next = 7_000_000
/** Contact IDs with a seeded call each; their mono recordings are the export's names. */
function calls(n: number): string[] {
  const ids: string[] = []
  for (let i = 0; i < n; i++) {
    const id = `job-${next++}`
    sim.addCall({ contactId: id, startTime: Date.UTC(2026, 4, 1) + i * 1000, recordings: [`${id}-leg.wav`] })
    ids.push(id)
  }
  return ids
}

function deps(restore: RestoreOptions): RunnerDeps {
  const client = new CccClient({ endpoint: sim.endpoint, credentials: { accessKeyId: sim.accessKeyId, accessKeySecret: sim.accessKeySecret } })
  return { client, backoff: { baseMs: 2, capMs: 20 }, apiRate: { initial: 1000 }, progressIntervalMs: 20, syncFolder: async () => {}, restore }
}

const init: NewExport = { instanceId: '', source: { kind: 'names', api: API_V2 }, options: { concurrency: 4, layout: 'flat', maxBytesPerSecond: null } }

async function open(restore: RestoreOptions, names?: readonly string[]): Promise<ExportRunner> {
  const runner = await ExportRunner.open(out, deps(restore), names ? { ...init, instanceId: sim.instanceId } : undefined)
  if (names) runner.add(names)
  return runner
}

async function expectOnDisk(ids: readonly string[]): Promise<void> {
  for (const id of ids) expect((await readFile(join(out, `${id}.wav`))).equals(sim.content(`${id}.wav`)), id).toBe(true)
}

describe('archived CCC 2.0 recordings', () => {
  it('restores them in batches of at most 20, polls with growing delays, then downloads them byte-exact', async () => {
    const ids = calls(60)
    const archived = ids.filter((_, i) => i % 4 !== 0)
    for (const id of archived) sim.archive(id, { polls: 2 })
    const clock = new SkipClock()
    // No gathering by time: batches go when full or when the transfers idle, so the count is exact.
    const runner = await open({ clock, gatherMs: Number.POSITIVE_INFINITY, poll: { baseMs: 1000, capMs: 1500 }, random: () => 0.999 }, ids.map((id) => `${id}.wav`))
    let mostRestoring = 0
    runner.onProgress((p) => void (mostRestoring = Math.max(mostRestoring, p.counts.restoring)))
    expect(await runner.run()).toBe('finished')
    await runner.close()

    expect(runner.progress().counts).toMatchObject({ total: 60, done: 60, failed: 0, skipped: 0, restoring: 0 })
    await expectOnDisk(ids)
    expect(mostRestoring).toBeGreaterThan(0)
    // 45 archived: three batches (20, 20, 5), each started once and polled twice.
    expect(restoreCalls.every((c) => c.length <= 20)).toBe(true)
    const started = new Set<string>()
    const starts = restoreCalls.filter((c) => !c.some((id) => started.has(id)) && (c.forEach((id) => started.add(id)), true))
    expect(starts.map((c) => c.length).sort((a, b) => a - b)).toEqual([5, 20, 20])
    expect([...started].sort()).toEqual([...archived].sort())
    expect(restoreCalls.length).toBe(9)
    // Backoff with equal jitter at 0.999: the ceiling 1000 ms, then 2000 capped at 1500.
    expect([...clock.sleeps].sort((a, b) => a - b)).toEqual([999, 999, 999, 1498, 1498, 1498])
    // A file not archived was never restored; an archived one was refused once, then fetched.
    for (const id of archived) expect(sim.stats.ossGets.get(`${id}.wav`), id).toBe(2)
    expect(sim.stats.ossGets.get(`${ids[0]}.wav`)).toBe(1)
  })

  it('keeps restoring across a restart: the journal says so, status counts it, and a resume finishes it', async () => {
    const ids = calls(6)
    const archived = ids.slice(0, 4)
    for (const id of archived) sim.archive(id, { polls: Number.POSITIVE_INFINITY })
    const runner = await open({ clock: new SkipClock(), gatherMs: Number.POSITIVE_INFINITY, poll: { baseMs: 1000, capMs: 1000 } }, ids.map((id) => `${id}.wav`))
    // Paused once every archived file is waiting for its restore and the others are done.
    let eta: number | null | undefined
    runner.onProgress((p) => {
      if (p.counts.restoring !== 4 || p.counts.done !== 2 || eta !== undefined) return
      eta = p.etaSeconds
      void runner.pause()
    })
    expect(await runner.run()).toBe('paused')
    // Only restores left: how long they take is the service's, so no estimate (not "0 s").
    expect(eta).toBeNull()
    await runner.close()
    const status = await readExportStatus(out)
    expect(status?.counts).toMatchObject({ total: 6, done: 2, restoring: 4 })
    expect(await readFile(join(out, 'report.csv'), 'utf8')).toContain(`${archived[0]}.wav,restoring`)

    // The restores complete while nothing runs; the resume asks first, then downloads.
    for (const id of archived) sim.archive(id, { polls: 0 })
    sim.resetStats()
    restoreCalls = []
    const resumed = await open({ clock: new SkipClock(), gatherMs: Number.POSITIVE_INFINITY })
    expect(await resumed.run()).toBe('finished')
    await resumed.close()
    expect(resumed.progress().counts).toMatchObject({ total: 6, done: 6, restoring: 0 })
    expect(restoreCalls.flat().sort()).toEqual([...archived].sort())
    // Restored before any GET: each archived file fetched once, and only after its restore.
    for (const id of archived) expect(sim.stats.ossGets.get(`${id}.wav`), id).toBe(1)
    await expectOnDisk(ids)
  })

  it('skips a recording the restore says does not exist, by name and reason', async () => {
    const [kept, gone] = calls(2)
    sim.archive(gone!, { gone: true })
    const runner = await open({ clock: new SkipClock(), gatherMs: Number.POSITIVE_INFINITY }, [`${kept}.wav`, `${gone}.wav`])
    expect(await runner.run()).toBe('finished')
    await runner.close()
    expect(runner.progress().counts).toMatchObject({ done: 1, skipped: 1, failed: 0 })
    expect(runner.table.files.get(`${gone}.wav`)?.error?.message).toMatch(/^not in archive storage: .*Exists: False/)
    expect(await readFile(join(out, 'report.csv'), 'utf8')).toMatch(new RegExp(`${gone}\\.wav,skipped,.*not in archive storage`))
  })

  it('asks once a call for a contact whose two legs are both archived (per-agent)', async () => {
    const id = `job-${next++}`
    sim.addCall({ contactId: id, startTime: Date.UTC(2026, 4, 2), recordings: [`${id}-a.wav`, `${id}-b.wav`] })
    sim.archive(id, { polls: 1 })
    const clock = new SkipClock()
    const runner = await ExportRunner.open(out, deps({ clock, gatherMs: 5_000 }), { ...init, instanceId: sim.instanceId, source: { kind: 'names', api: API_V2, recording: 'per-agent' } })
    runner.add([`${id}-a.wav`, `${id}-b.wav`])
    expect(await runner.run()).toBe('finished')
    await runner.close()
    expect(runner.progress().counts).toMatchObject({ done: 2, failed: 0 })
    expect(restoreCalls).toEqual([[id], [id]])
    for (const leg of ['a', 'b']) expect((await readFile(join(out, `${id}-${leg}.wav`))).equals(sim.content(`${id}-${leg}.wav`))).toBe(true)
  })

  it('fails an archived recording of a CCC 1.0 export with Oss.Archived (2017-07-05 has no restore)', async () => {
    const v1 = await startSim({ defaultSize: () => 1000 })
    try {
      v1.addCall({ contactId: 'job-1', startTime: Date.UTC(2026, 4, 3), recordings: ['20260503-1.wav'] })
      v1.archive('job-1')
      const client = new CccClient({ endpoint: v1.endpoint, credentials: { accessKeyId: v1.accessKeyId, accessKeySecret: v1.accessKeySecret } })
      const runner = await ExportRunner.open(out, { client, backoff: { baseMs: 2, capMs: 20 }, syncFolder: async () => {} }, { ...init, instanceId: v1.instanceId, source: { kind: 'names' } })
      runner.add(['20260503-1.wav', '20260503-2.wav'])
      expect(await runner.run()).toBe('finished')
      await runner.close()
      expect(runner.progress().failures).toEqual([expect.objectContaining({ code: 'Oss.Archived', count: 1 })])
      expect(runner.progress().counts).toMatchObject({ done: 1, failed: 1, restoring: 0 })
    } finally {
      await v1.close()
    }
  })

  it('fails only the archived files when RestoreArchivedRecordings is refused (Forbidden.RAM), not the export', async () => {
    const [kept, refused] = calls(2)
    sim.archive(refused!)
    sim.fault(`restore:${refused}`, { kind: 'api-hostile', status: 403, code: 'Forbidden.RAM', message: 'User not authorized to operate on the specified resource.' })
    const runner = await open({ clock: new SkipClock(), gatherMs: Number.POSITIVE_INFINITY }, [`${kept}.wav`, `${refused}.wav`])
    expect(await runner.run()).toBe('finished')
    await runner.close()
    expect(runner.progress().counts).toMatchObject({ done: 1, failed: 1, restoring: 0 })
    expect(runner.progress().failures).toEqual([expect.objectContaining({ code: 'Restore.Forbidden', count: 1, sample: expect.stringMatching(/^RestoreArchivedRecordings: Forbidden\.RAM: /) })])
  })

  it('fails a restore that never completes with Restore.TimedOut once the bound has passed', async () => {
    const [stuck] = calls(1)
    sim.archive(stuck!, { polls: Number.POSITIVE_INFINITY })
    const clock = new SkipClock()
    const runner = await open({ clock, gatherMs: Number.POSITIVE_INFINITY, maxWaitMs: 10_000, poll: { baseMs: 1000, capMs: 4000 }, random: () => 0.999 }, [`${stuck}.wav`])
    expect(await runner.run()).toBe('finished')
    await runner.close()
    expect(runner.progress().counts).toMatchObject({ failed: 1, restoring: 0 })
    expect(runner.progress().failures).toEqual([expect.objectContaining({ code: 'Restore.TimedOut', count: 1 })])
    // 999, 1998, 3996, then what is left of the 10 s: polled until the bound, not past it.
    expect(clock.sleeps).toEqual([999, 1998, 3996, 3007])
    expect(restoreCalls.length).toBe(5)
    expect(await readFile(join(out, 'report.csv'), 'utf8')).toContain(`${stuck}.wav,failed,0,,Restore.TimedOut,`)
  })
})

describe('the restore line of the journal', () => {
  const header: JournalEvent = { type: 'export', version: 1, id: 'x', createdAt: '2026-12-04T00:00:00Z', instanceId: 'i', source: { kind: 'names', api: API_V2 }, options: { concurrency: 2, layout: 'flat', maxBytesPerSecond: null } }
  const replay = (events: readonly JournalEvent[]): ExportTable => {
    const t = new ExportTable()
    for (const e of events) t.apply(e)
    return t
  }

  it('replays to restoring until a later done, fail or skip, and survives compaction', () => {
    const events: JournalEvent[] = [
      header,
      { type: 'add', names: ['a.wav', 'b.wav', 'c.wav', 'd.wav'] },
      { type: 'restore', names: ['a.wav', 'b.wav', 'c.wav'], at: '2026-12-04T01:00:00Z' },
      { type: 'done', name: 'b.wav', bytes: 3, path: 'b.wav' },
      { type: 'fail', name: 'c.wav', code: 'Restore.TimedOut', message: 'still Progressing', attempts: 1 },
      // A restore line after the file was settled changes nothing.
      { type: 'restore', names: ['b.wav'] },
    ]
    const t = replay(events)
    expect(t.counts).toMatchObject({ restoring: 1, done: 1, failed: 1, queued: 1 })
    const compacted = [...compactedJournal(t)]
    expect(compacted).toContainEqual({ type: 'restore', names: ['a.wav'] })
    expect(replay(compacted).counts).toEqual(t.counts)
  })

  it('is checked like any other line: names must be strings', () => {
    expect(isValidEvent({ type: 'restore', names: ['a.wav'], at: '2026-12-04T01:00:00Z' })).toBe(true)
    expect(isValidEvent({ type: 'restore', names: [1] })).toBe(false)
    expect(isValidEvent({ type: 'restore', names: ['a.wav'], at: 5 })).toBe(false)
  })
})
