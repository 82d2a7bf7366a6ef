import { readFileSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_MESSAGE_CHARS } from '../../main/common/errors.ts'
import { type Sim, startSim } from '../sim/index.ts'
import { spawnCli } from './run-cli.ts'

/** Issue 17 item 7: a 200 MB error reply, and a 500 KB error message, through the real CLI. */

let sim: Sim
let work: string
beforeAll(async () => {
  sim = await startSim()
  work = await mkdtemp(join(tmpdir(), 'cli-huge-'))
})
afterAll(async () => {
  await sim.close()
  await rm(work, { recursive: true, force: true })
})

/** The peak resident size of a live process, in MB (Linux). */
function peakRssMb(pid: number): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
  return Number(kb) / 1024
}

describe.skipIf(process.platform !== 'linux')('a server that answers too much', () => {
  it('costs the CLI no more memory than a small reply, and leaves short lines in the journal, report and terminal', async () => {
    sim.fault('huge.wav', { kind: 'api-hostile', code: 'Evil', message: 'spam ', messageBytes: 200 * 1024 * 1024 })
    sim.fault('long.wav', { kind: 'api-hostile', code: 'Evil.Long', message: 'blah ', messageBytes: 500_000 })
    const listPath = join(work, 'names.txt')
    await writeFile(listPath, 'huge.wav\nlong.wav\nfine.wav\n')
    const out = join(work, 'out')
    const env = {
      ALIBABA_CLOUD_ACCESS_KEY_ID: sim.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: sim.accessKeySecret,
      CCC_RECORDINGS_CONFIG_DIR: join(work, 'config'),
    }
    const { child, done } = spawnCli(['download', listPath, '--out', out, '--instance', sim.instanceId, '--endpoint', sim.endpoint], env)
    // Measured when the retry of huge.wav arrives: the CLI has been through the whole huge reply.
    let calls = 0
    let peak = 0
    // Both faults stream their reply, in an order the load decides: long.wav's 500 KB is read whole,
    // every try of huge.wav must be cut short.
    const ended: [number, boolean][] = []
    sim.events.on('hugeReply', (sent, complete) => ended.push([sent, complete]))
    const onResolve = (name: string) => {
      if (name !== 'huge.wav' || ++calls !== 2) return
      peak = peakRssMb(child.pid!)
      sim.events.off('resolve', onResolve)
    }
    sim.events.on('resolve', onResolve)
    const r = await done
    expect(r.code, r.stderr).toBe(3)
    expect(ended.filter(([, complete]) => !complete).length).toBeGreaterThan(0)
    expect(ended.filter(([sent, complete]) => complete && sent > 500_000)).toEqual([])
    expect(peak).toBeGreaterThan(0)
    // Reading 200 MB as text took 1.5 GB; with the cap the whole CLI peaks near 70 MB.
    expect(peak).toBeLessThan(160)

    expect(r.stdout).toMatch(/2 of 3 verified on disk, 1 failed/)
    expect(r.stdout.length + r.stderr.length).toBeLessThan(8 * 1024)
    for (const line of (await readFile(join(out, '.ccc-recordings', 'journal.jsonl'), 'utf8')).split('\n')) {
      expect(line.length).toBeLessThan(MAX_MESSAGE_CHARS + 1024)
    }
    const report = await readFile(join(out, 'report.csv'), 'utf8')
    const longRow = report.split('\r\n').find((l) => l.startsWith('long.wav,'))
    expect(longRow).toMatch(/^long\.wav,failed,0,,Evil\.Long,blah blah .*… \(\d+ more characters\),1,,$/)
    expect(longRow!.length).toBeLessThan(MAX_MESSAGE_CHARS + 200)
  })
})
