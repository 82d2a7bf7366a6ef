import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ExportRunner } from '../../../main/engine/export/runner.ts'
import { type Sim, startSim } from '../../sim/index.ts'
import { mountTmpfs, resizeTmpfs, tmpfsSkip, unmountTmpfs } from '../../tmpfs.ts'
import { simClient } from './sim-folder.ts'

let mountPoint: string
let mounted = false
let noMount: string | null = null
beforeAll(async () => {
  mountPoint = await mkdtemp(join(tmpdir(), 'full-disk-'))
  mounted = mountTmpfs(mountPoint, '320k')
  noMount = tmpfsSkip(mounted)
})
afterAll(async () => {
  if (mounted) unmountTmpfs(mountPoint)
  await rm(mountPoint, { recursive: true, force: true })
})

describe('a full disk', () => {
  let sim: Sim
  beforeAll(async () => {
    sim = await startSim()
  })
  afterAll(() => sim.close())

  it('pauses the export with DiskFull, marks nothing failed, and resume finishes once there is room', async (ctx) => {
    if (noMount !== null) ctx.skip(noMount)
    const names = Array.from({ length: 6 }, (_, i) => `full-${i}.wav`)
    for (const n of names) sim.setSize(n, 100 * 1024)
    const client = simClient(sim)
    const out = join(mountPoint, 'out')
    const runner = await ExportRunner.open(out, { client }, { instanceId: sim.instanceId, source: { kind: 'names' }, options: { concurrency: 2, layout: 'flat', maxBytesPerSecond: null } })
    runner.add(names)
    expect(await runner.run()).toBe('paused')
    const p = runner.progress()
    expect(p.reason?.code).toBe('DiskFull')
    expect(p.counts.failed).toBe(0)
    expect(p.counts.done).toBeLessThan(names.length)

    resizeTmpfs(mountPoint, '4m')
    expect(await runner.run()).toBe('finished')
    await runner.close()
    for (const n of names) expect((await readFile(join(out, n))).equals(sim.content(n))).toBe(true)
    expect((await readdir(out)).filter((f) => f.includes('.part'))).toEqual([])
  })
})
