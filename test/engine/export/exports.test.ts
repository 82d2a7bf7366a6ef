import { appendFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ExportUpdate } from '../../../main/common/progress.ts'
import { readExportStatus } from '../../../main/engine/export/export-status.ts'
import type { Connection, ExportPlan, Exports } from '../../../main/engine/export/exports.ts'
import { FolderLock } from '../../../main/engine/export/folder-lock.ts'
import { journalPath } from '../../../main/engine/export/journal.ts'
import { rejectionOf } from '../../rejection.ts'
import { simAndFolder, simExports } from './sim-folder.ts'

const at = simAndFolder('exports-')
let exports: Exports
let updates: ExportUpdate[]
const asked: Connection[] = []

beforeEach(() => {
  updates = []
  exports = service()
})
afterEach(() => exports.close())

function service(): Exports {
  return simExports(at.sim, { asked: (connection) => asked.push(connection), onProgress: (u) => updates.push(u) })
}

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}.wav`)

function plan(outDir: string, list: readonly string[]): ExportPlan {
  return {
    outDir,
    connection: { instanceId: at.sim.instanceId, region: 'cn-shanghai', endpoint: at.sim.endpoint, profile: 'sim' },
    source: { kind: 'names', file: 'calls.csv' },
    names: list,
    options: { concurrency: 3 },
  }
}

describe('the export service', () => {
  it('starts an export from a plan, and its status and progress say which export it is', async () => {
    const out = join(at.dir, 'out')
    const list = names('start', 6)
    const { runner, notes } = await exports.start(plan(out, list))
    expect(notes).toEqual({ names: 6, knownNames: 0, contacts: 0, knownContacts: 0, relisted: false, retried: 0 })
    expect(runner.header).toMatchObject({ instanceId: at.sim.instanceId, profile: 'sim', endpoint: at.sim.endpoint, options: { concurrency: 3, layout: 'flat', maxBytesPerSecond: null } })
    expect(exports.open()).toEqual([runner])
    expect(await runner.run()).toBe('finished')
    const status = await exports.status(out)
    expect(status).toMatchObject({ id: out, outDir: out, state: 'finished', profile: 'sim', source: 'a list of file names', counts: { done: 6, total: 6 } })
    expect(updates.at(-1)).toMatchObject({ id: out, state: 'finished', export: { outDir: out, instanceId: at.sim.instanceId, reportPath: join(out, 'report.csv') } })
    // Read from the journal by another reader, the same status but for how fast it went.
    await exports.close()
    expect(await readExportStatus(out)).toEqual(status)
  })

  it('retries what failed when the same list is started again, and fetches nothing verified', async () => {
    const out = join(at.dir, 'out')
    const list = names('again', 5)
    at.sim.remove(list[2]!)
    const first = await exports.start(plan(out, list))
    await first.runner.run()
    expect(first.runner.progress().counts).toMatchObject({ done: 4, failed: 1 })

    at.sim.replace(list[2]!)
    at.sim.resetStats()
    // A finished export open in this process is closed and continued, as after a restart.
    const { runner, notes } = await exports.start(plan(out, list))
    expect(runner).not.toBe(first.runner)
    expect(notes).toMatchObject({ names: 5, knownNames: 5, retried: 1 })
    expect(await runner.run()).toBe('finished')
    expect(runner.progress().counts).toMatchObject({ done: 5, failed: 0 })
    expect([...at.sim.stats.downloadRecordingCalls.keys()]).toEqual([list[2]])
  })

  it('refuses a second start into a folder whose export is running', async () => {
    const out = join(at.dir, 'out')
    const list = names('busy', 4)
    for (const n of list) at.sim.fault(n, { kind: 'slow', bytesPerSecond: 256 * 1024, times: 1 })
    const { runner } = await exports.start(plan(out, list))
    const running = runner.run()
    const refused = await rejectionOf(exports.start(plan(out, names('other', 1))))
    expect(refused).toMatchObject({ code: 'Export.Busy' })
    expect(await running).toBe('finished')
    expect(exports.get(out)).toBe(runner)

    // Two starts at once into one folder: the first opens it, the second is refused.
    const twice = join(at.dir, 'twice')
    const both = await Promise.allSettled([exports.start(plan(twice, names('one', 1))), exports.start(plan(twice, names('two', 1)))])
    expect(both.map((r) => r.status)).toEqual(['fulfilled', 'rejected'])
    expect(both[1]).toMatchObject({ reason: { code: 'Export.Busy' } })
  })

  it('resumes from the journal with the connection its header names, and says when there is none', async () => {
    const out = join(at.dir, 'out')
    await exports.start(plan(out, names('resume', 2)))
    await exports.close()
    asked.length = 0
    const again = service()
    try {
      const runner = await again.resume(out, { profile: 'other', concurrency: 2 })
      expect(asked).toEqual([{ instanceId: at.sim.instanceId, region: 'cn-shanghai', endpoint: at.sim.endpoint, profile: 'other' }])
      expect(runner.header.options.concurrency).toBe(2)
      expect(await again.resume(out)).toBe(runner)
      expect(await runner.run()).toBe('finished')
    } finally {
      await again.close()
    }
    expect(await rejectionOf(exports.resume(join(at.dir, 'nothing')))).toMatchObject({ code: 'Export.NotFound' })
  })

  it('reports an export whose journal says running, with no process left, as paused and interrupted', async () => {
    const out = join(at.dir, 'out')
    const { runner } = await exports.start(plan(out, names('killed', 3)))
    await runner.run()
    await exports.close()
    // What a process killed mid-run leaves: its last journalled state is `running`.
    await appendFile(journalPath(out), `${JSON.stringify({ type: 'state', state: 'running', at: new Date().toISOString() })}\n`)
    expect(await service().status(out)).toMatchObject({ state: 'paused', interrupted: true, counts: { done: 3 } })
    // While a live process holds the folder, it is running.
    const lock = await FolderLock.acquire(out)
    try {
      const live = await readExportStatus(out)
      expect(live).toMatchObject({ state: 'running' })
      expect(live?.interrupted).toBeUndefined()
    } finally {
      await lock.release()
    }
    // Opened here but not run: this process holds the lock, and still nothing runs it.
    await exports.resume(out)
    expect(await exports.status(out)).toMatchObject({ state: 'paused', interrupted: true })
    // What `status` in another process reads meanwhile: the lock is live, the journal says why it is idle.
    expect(await readExportStatus(out)).toMatchObject({ state: 'paused', interrupted: true })
    expect(await exports.status(join(at.dir, 'nothing'))).toBeUndefined()
  })
})
