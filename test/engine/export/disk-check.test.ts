import { mkdir, readFile, symlink, truncate, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type RecheckReason, type RecheckSink, recheckDoneFiles, scanDoneFiles } from '../../../main/engine/export/disk-check.ts'
import { readExportStatus } from '../../../main/engine/export/export-status.ts'
import { ExportTable } from '../../../main/engine/export/export-table.ts'
import type { ExportPlan, Exports } from '../../../main/engine/export/exports.ts'
import { journalPath, STATE_DIR } from '../../../main/engine/export/journal.ts'
import type { RecheckEvent } from '../../../main/engine/export/journal-events.ts'
import { simAndFolder, simExports } from './sim-folder.ts'

const at = simAndFolder('disk-check-')
let exports: Exports

beforeEach(() => {
  exports = service()
})
afterEach(() => exports.close())

function service(): Exports {
  return simExports(at.sim)
}

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}.wav`)

function plan(outDir: string, list: readonly string[]): ExportPlan {
  return { outDir, connection: { instanceId: at.sim.instanceId, endpoint: at.sim.endpoint }, source: { kind: 'names' }, names: list, options: { concurrency: 3 } }
}

/** The names a check finds, by reason (the check itself tells indexes and keeps nothing). */
async function found(out: string, table: ExportTable): Promise<Record<RecheckReason, string[]>> {
  const names: Record<RecheckReason, string[]> = { missing: [], changed: [] }
  await scanDoneFiles(out, table, (index, reason) => void names[reason].push(table.files.nameAt(index)))
  return names
}

/** Deletes two files, truncates one and overwrites one with same-size garbage. */
async function damage(out: string, list: readonly string[]): Promise<void> {
  await unlink(join(out, list[0]!))
  await truncate(join(out, list[1]!), 10)
  await unlink(join(out, list[2]!))
  await writeFile(join(out, list[3]!), Buffer.alloc(at.sim.content(list[3]!).length, 7))
}

describe('files the journal calls done are checked on disk', () => {
  it('downloads again what is missing or of another size, on download again, and says so', async () => {
    const out = join(at.dir, 'out')
    const list = names('check', 6)
    const first = await exports.start(plan(out, list))
    expect(await first.runner.run()).toBe('finished')
    await exports.close()
    await damage(out, list)

    // status reads without writing: what is not there is to do.
    const status = await readExportStatus(out)
    // A finished export with work to do again is one to resume (History offers Resume).
    expect(status).toMatchObject({ state: 'paused', counts: { done: 3, queued: 3 }, recheck: { missing: 2, changed: 1 } })

    at.sim.resetStats()
    exports = service()
    const again = await exports.start(plan(out, list))
    expect(again.notes.recheck).toEqual({ missing: 2, changed: 1 })
    expect(again.runner.table.counts).toMatchObject({ done: 3, queued: 3 })
    expect(await again.runner.run()).toBe('finished')
    await exports.close()
    for (const n of list.slice(0, 3)) expect((await readFile(join(out, n))).equals(at.sim.content(n))).toBe(true)
    expect([...at.sim.stats.wholeBodies.keys()].sort()).toEqual(list.slice(0, 3).sort())
    // Same size, other bytes: a verify's job (SHA-256), not a stat's.
    expect((await readFile(join(out, list[3]!))).equals(at.sim.content(list[3]!))).toBe(false)

    const lines = (await readFile(journalPath(out), 'utf8')).trim().split('\n').map((l) => JSON.parse(l))
    expect(lines.filter((e) => e.type === 'recheck')).toEqual([
      { type: 'recheck', names: [list[0], list[2]], reason: 'missing' },
      { type: 'recheck', names: [list[1]], reason: 'changed' },
    ])
    expect(await readExportStatus(out)).toMatchObject({ state: 'finished' })
    expect((await readExportStatus(out))?.recheck).toBeUndefined()
  })

  it('does the same on resume, and a table that ignores the new line (an older build) still replays', async () => {
    const out = join(at.dir, 'out')
    const list = names('resume', 3)
    const first = await exports.start(plan(out, list))
    await first.runner.run()
    await exports.close()
    await unlink(join(out, list[1]!))
    exports = service()
    const runner = await exports.resume(out)
    expect(runner.replay?.disk).toEqual({ missing: 1, changed: 0 })
    // Which file: the journal's recheck line, written while opening.
    const lines = (await readFile(journalPath(out), 'utf8')).trim().split('\n').map((l) => JSON.parse(l))
    expect(lines.filter((e) => e.type === 'recheck')).toEqual([{ type: 'recheck', names: [list[1]], reason: 'missing' }])
    expect(runner.table.files.get(list[1]!)?.state).toBe('queued')
    expect(await runner.run()).toBe('finished')
    expect((await readFile(join(out, list[1]!))).equals(at.sim.content(list[1]!))).toBe(true)
    expect(await exports.status(out)).toMatchObject({ counts: { done: 3 }, recheck: { missing: 1, changed: 0 } })
  })

  it('takes a symlink or a folder where a file was for a missing file', async () => {
    const out = join(at.dir, 'links')
    await mkdir(out)
    await writeFile(join(at.dir, 'elsewhere.wav'), 'xyz')
    await symlink(join(at.dir, 'elsewhere.wav'), join(out, 'a.wav'))
    await mkdir(join(out, 'b.wav'))
    await writeFile(join(out, 'c.wav'), 'xyz')
    const table = new ExportTable()
    table.add(['a.wav', 'b.wav', 'c.wav'])
    for (const n of ['a.wav', 'b.wav', 'c.wav']) table.apply({ type: 'done', name: n, bytes: 3, path: n })
    expect(await found(out, table)).toEqual({ missing: ['a.wav', 'b.wav'], changed: [] })
  })

  it('checks 20,000 done files in slices, quickly', async () => {
    const out = join(at.dir, 'many')
    await mkdir(join(out, STATE_DIR), { recursive: true })
    const table = new ExportTable()
    const list = names('many', 20_000)
    table.add(list)
    for (const n of list) table.apply({ type: 'done', name: n, bytes: 1, path: n })
    for (let i = 0; i < list.length; i += 500) {
      await Promise.all(list.slice(i, i + 500).map((n, j) => (i + j === 7 ? undefined : writeFile(join(out, n), 'x'))))
    }
    // Its speed (about 0.3 s here) is a benchmark's business, not a test's.
    expect(await found(out, table)).toEqual({ missing: [list[7]], changed: [] })
  })

  it('journals what opening requeues in batches as it goes, flushing every few lines', async () => {
    const out = join(at.dir, 'batches')
    await mkdir(out)
    const table = new ExportTable()
    const list = names('batch', 40)
    table.add(list)
    for (const n of list) table.apply({ type: 'done', name: n, bytes: 3, path: n })
    // Every third file is there as journalled, every fifth (of the others) has another size.
    for (let i = 0; i < list.length; i++) {
      if (i % 3 === 0) await writeFile(join(out, list[i]!), 'xyz')
      else if (i % 5 === 0) await writeFile(join(out, list[i]!), 'x')
    }
    const steps: (RecheckEvent | 'flush')[] = []
    const sink: RecheckSink = {
      append: (event) => void steps.push(event),
      flush: async () => void steps.push('flush'),
    }
    const counts = await recheckDoneFiles(out, table, sink, 2)
    const missing = list.filter((_, i) => i % 3 !== 0 && i % 5 !== 0)
    const changed = list.filter((_, i) => i % 3 !== 0 && i % 5 === 0)
    expect(counts).toEqual({ missing: missing.length, changed: changed.length })
    const lines = steps.filter((s): s is RecheckEvent => s !== 'flush')
    // Each reason's names in order, two a line; only the last line of each can be short.
    expect(lines.filter((e) => e.reason === 'missing').flatMap((e) => e.names)).toEqual(missing)
    expect(lines.filter((e) => e.reason === 'changed').flatMap((e) => e.names)).toEqual(changed)
    expect(lines.slice(0, -2).every((e) => e.names.length === 2)).toBe(true)
    // Flushed during the scan, every 8 full lines: what waits unwritten stays bounded.
    let unflushed = 0
    let most = 0
    for (const s of steps) {
      unflushed = s === 'flush' ? 0 : unflushed + 1
      most = Math.max(most, unflushed)
    }
    expect(most).toBeLessThanOrEqual(8 + 2)
    expect(steps.filter((s) => s === 'flush')).toHaveLength(Math.floor((Math.floor(missing.length / 2) + Math.floor(changed.length / 2)) / 8))
    // The table now has them to do.
    expect(table.counts).toMatchObject({ done: list.length - missing.length - changed.length, queued: missing.length + changed.length })
  })
})
