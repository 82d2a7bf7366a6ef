import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Sim, startSim } from '../sim/index.ts'
import { mountTmpfs, resizeTmpfs, tmpfsSkip, unmountTmpfs } from '../tmpfs.ts'
import { runCli } from './run-cli.ts'

// A real full disk under the journal: a small tmpfs.
let sim: Sim
let work: string
let mountPoint: string
let mounted = false
beforeAll(async () => {
  sim = await startSim()
  work = await mkdtemp(join(tmpdir(), 'journal-full-'))
  mountPoint = join(work, 'disk')
  await mkdir(mountPoint)
  mounted = mountTmpfs(mountPoint, '160k')
})
afterAll(async () => {
  if (mounted) unmountTmpfs(mountPoint)
  await rm(work, { recursive: true, force: true })
  await sim.close()
})

describe('a journal that cannot be written', () => {
  it('pauses with DiskFull and exit 4, prints the summary and releases the lock; resume finishes once there is room', async (ctx) => {
    const noMount = tmpfsSkip(mounted)
    if (noMount !== null) ctx.skip(noMount)
    // Empty recordings take no space on a tmpfs: only the journal's lines fill it.
    const names = Array.from({ length: 2000 }, (_, i) => `journal-full-${i}.wav`)
    for (const n of names) sim.setSize(n, 0)
    const listPath = join(work, 'names.txt')
    await writeFile(listPath, `${names.join('\n')}\n`)
    const out = join(mountPoint, 'out')
    const env = { ALIBABA_CLOUD_ACCESS_KEY_ID: sim.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: sim.accessKeySecret, CCC_RECORDINGS_CONFIG_DIR: join(work, 'config') }
    const r = await runCli(['download', listPath, '--out', out, '--instance', sim.instanceId, '--endpoint', sim.endpoint, '--concurrency', '16'], env)
    expect(r.stderr).not.toMatch(/unexpected error/)
    expect(r.code).toBe(4)
    // Paused at the first failed write: not every file was fetched while nothing was remembered.
    const done = Number(/^Paused: (\d+) of 2000/m.exec(r.stdout)?.[1])
    expect(done).toBeLessThan(2000)
    expect(r.stdout).toMatch(/DiskFull/)
    expect(r.stdout).toMatch(/Continue with: ccc-recordings resume/)
    // The report could not be written on the full disk either: the summary does not point to it as this run's.
    const written = await stat(join(out, 'report.csv')).then(() => true, () => false)
    expect(r.stdout.includes('(not updated: it could not be written at the end of this run; the next run writes it)')).toBe(!written)
    await expect(stat(join(out, '.ccc-recordings', 'lock'))).rejects.toMatchObject({ code: 'ENOENT' })

    // The journal could not say why it stopped: status reads the disk itself.
    const full = await runCli(['status', out], env)
    expect(full.stdout).toMatch(/^Free on its disk: .+, too little to go on \(a full disk pauses an export, and can keep its journal from saying so\): free some space; then resume continues it$/m)

    resizeTmpfs(mountPoint, '2m')
    const resumed = await runCli(['resume', out], env)
    expect(resumed.code).toBe(0)
    expect(resumed.stdout).toMatch(/Finished: 2000 of 2000 verified on disk/)
    const after = await runCli(['status', out, '--json'], env)
    expect(JSON.parse(after.stdout)).toMatchObject({ freeBytes: expect.any(Number) })
    expect((await runCli(['status', out], env)).stdout).toMatch(/^Free on its disk: [^,]+$/m)
  })
})
