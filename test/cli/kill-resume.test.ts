import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ExportTable } from '../../main/engine/export/export-table.ts'
import { replayJournal } from '../../main/engine/export/journal.ts'
import { type Sim, startSim } from '../sim/index.ts'
import { killGroup, spawnCli } from './run-cli.ts'

let sim: Sim
let work: string
beforeAll(async () => {
  sim = await startSim()
  work = await mkdtemp(join(tmpdir(), 'kill-'))
})
afterAll(async () => {
  await sim.close()
  await rm(work, { recursive: true, force: true })
})

async function doneNames(out: string): Promise<Set<string>> {
  const table = new ExportTable()
  await replayJournal(out, (e) => table.apply(e))
  return new Set([...table.files].filter(([, e]) => e.state === 'done').map(([n]) => n))
}

describe('SIGKILL at any moment, then resume', () => {
  it('finishes the export with every file verified and no finished file fetched again', async () => {
    const small = Array.from({ length: 30 }, (_, i) => `kill-${i}.wav`)
    const slow = ['kill-slow-a.wav', 'kill-slow-b.wav']
    for (const n of small) sim.setSize(n, 64 * 1024)
    for (const n of slow) {
      sim.setSize(n, 400 * 1024)
      sim.fault(n, { kind: 'slow', bytesPerSecond: 400 * 1024, times: 10 })
    }
    const all = [...slow, ...small]
    const list = join(work, 'names.txt')
    await writeFile(list, all.join('\n'))
    const out = join(work, 'out')
    const env = {
      ALIBABA_CLOUD_ACCESS_KEY_ID: sim.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: sim.accessKeySecret,
      CCC_RECORDINGS_CONFIG_DIR: join(work, 'config'),
    }
    const whole = new Map<string, number>()
    const keepWholeCounts = () => {
      for (const [n, c] of sim.stats.wholeBodies) whole.set(n, (whole.get(n) ?? 0) + c)
    }

    // Each round: run until a chosen moment, SIGKILL, then check that nothing already verified is fetched again.
    const rounds: { args: string[]; arm: (kill: () => void) => () => void }[] = [
      {
        args: ['download', list, '--out', out, '--instance', sim.instanceId, '--endpoint', sim.endpoint, '--concurrency', '4'],
        arm: (kill) => {
          let bodies = 0
          const on = () => ++bodies === 5 && kill()
          sim.events.on('body', on)
          return () => sim.events.off('body', on)
        },
      },
      {
        args: ['resume', out],
        arm: (kill) => {
          const on = (name: string, sent: number) => slow.includes(name) && sent > 100 * 1024 && kill()
          sim.events.on('chunk', on)
          return () => sim.events.off('chunk', on)
        },
      },
      {
        args: ['resume', out],
        arm: (kill) => {
          const on = () => kill()
          sim.events.on('resolve', on)
          return () => sim.events.off('resolve', on)
        },
      },
    ]
    let before = new Set<string>()
    for (const round of rounds) {
      sim.resetStats()
      const { child, done } = spawnCli(round.args, env)
      const disarm = round.arm(() => killGroup(child, 'SIGKILL'))
      const result = await done
      disarm()
      expect(result.signal, `${round.args[0]}: ${result.code} ${result.stderr}`).toBe('SIGKILL')
      for (const name of before) expect(sim.stats.ossGets.get(name) ?? 0, `${name} was verified before this round`).toBe(0)
      keepWholeCounts()
      before = await doneNames(out)
    }

    sim.resetStats()
    const last = await spawnCli(['resume', out, '--json'], env).done
    expect(last.code).toBe(0)
    for (const name of before) expect(sim.stats.ossGets.get(name) ?? 0, `${name} was verified before the last run`).toBe(0)
    keepWholeCounts()

    for (const name of all) expect((await readFile(join(out, name))).equals(sim.content(name)), name).toBe(true)
    // Only what was in flight at a kill (at most one file per transfer slot) may be sent whole
    // again: bytes the server wrote into a socket that the killed client never read. Everything
    // the client had received is continued with Range or kept, and verified files are not touched.
    const extra = [...whole.values()].reduce((a, b) => a + b, 0) - all.length
    expect(extra).toBeLessThanOrEqual(rounds.length * 4)
    expect((await readdir(out)).filter((f) => f.includes('.part'))).toEqual([])
    expect(JSON.parse(last.stdout)).toMatchObject({ exitCode: 0, counts: { done: all.length, failed: 0 } })
  })
})
