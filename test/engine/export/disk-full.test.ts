import { execFileSync } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CccClient } from '../../../main/engine/ccc/client.ts'
import { ExportRunner } from '../../../main/engine/export/runner.ts'
import { skipReason } from '../../requirement.ts'
import { type Sim, startSim } from '../../sim/index.ts'

// A real full disk: a small tmpfs. Mounting needs root (CI runs as root); elsewhere this is skipped.
function tryMount(dir: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

let mountPoint: string
let mounted = false
let noMount: string | null = null
beforeAll(async () => {
  mountPoint = await mkdtemp(join(tmpdir(), 'full-disk-'))
  mounted = process.platform === 'linux' && process.getuid?.() === 0 && tryMount(mountPoint, '320k')
  // CI's Linux container is privileged and sets CCC_REQUIRE=root: there a failed mount fails the test.
  noMount = skipReason('root', mounted ? null : 'mounting a small tmpfs needs root on Linux (and, in a container, --privileged)')
})
afterAll(async () => {
  if (mounted) execFileSync('umount', ['-l', mountPoint])
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
    const client = new CccClient({ endpoint: sim.endpoint, credentials: { accessKeyId: sim.accessKeyId, accessKeySecret: sim.accessKeySecret } })
    const out = join(mountPoint, 'out')
    const runner = await ExportRunner.open(out, { client }, { instanceId: sim.instanceId, source: { kind: 'names' }, options: { concurrency: 2, layout: 'flat', maxBytesPerSecond: null } })
    runner.add(names)
    expect(await runner.run()).toBe('paused')
    const p = runner.progress()
    expect(p.reason?.code).toBe('DiskFull')
    expect(p.counts.failed).toBe(0)
    expect(p.counts.done).toBeLessThan(names.length)

    execFileSync('mount', ['-o', 'remount,size=4m', mountPoint])
    expect(await runner.run()).toBe('finished')
    await runner.close()
    for (const n of names) expect((await readFile(join(out, n))).equals(sim.content(n))).toBe(true)
    expect((await readdir(out)).filter((f) => f.includes('.part'))).toEqual([])
  })
})
