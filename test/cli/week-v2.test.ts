import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { journalDone, notReadyInReport } from '../export-output.ts'
import { type Sim, startSim } from '../sim/index.ts'
import { stopWhenJournalled, weekOfCalls } from '../week-of-calls.ts'
import { killGroup, runCli, spawnCli } from './run-cli.ts'

// Issue 14's "Done when" in the CLI: against the simulator in 2.0 mode, a week with more than
// 10,000 calls (some not ready, some archived) is downloaded, SIGKILLed mid-way, resumed, and ends
// with every ready recording byte-exact and its call's metadata in the manifest; a 1.0 export in
// the same setup still works unchanged.

// One call in ten is ready, which keeps the CLI run within CI's time on two cores; ready calls in
// archive storage are restored, then downloaded like the rest (issue 14 item 4).
const week = weekOfCalls({ start: Date.UTC(2026, 4, 4), ready: 3, idOf: (i) => `wk-${7_000_000 + i}`, agentOf: (i) => `坐席-${i % 37}` })

let sim: Sim
let v1: Sim
let work: string
let env: Record<string, string>
beforeAll(async () => {
  sim = await startSim({ apiVersion: '2020-07-01', defaultSize: () => 64 })
  week.addTo(sim)
  week.archiveIn(sim)
  // The same default credentials as the 2.0 simulator, so one environment serves both.
  v1 = await startSim({ defaultSize: () => 64 })
  work = await mkdtemp(join(tmpdir(), 'week-v2-'))
  env = { ALIBABA_CLOUD_ACCESS_KEY_ID: sim.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: sim.accessKeySecret, CCC_RECORDINGS_CONFIG_DIR: join(work, 'config') }
})
afterAll(async () => {
  await sim?.close()
  await v1?.close()
  await rm(work, { recursive: true, force: true })
})

describe('a week of more than 10,000 CCC 2.0 calls through the CLI', () => {
  it('download is SIGKILLed once some files are journalled done; resume finishes every ready recording byte-exact, with its metadata', async () => {
    const out = join(work, 'out')
    const { ready, notReady, archived, readyFiles } = week
    const restored = new Set<string>()
    const onRestore = (contacts: readonly string[]) => contacts.forEach((c) => restored.add(c))
    sim.events.on('restore', onRestore)

    const args = ['download', '--out', out, '--instance', sim.instanceId, '--endpoint', sim.endpoint, '--api-version', '2020-07-01', '--concurrency', '16']
    const range = ['--from', week.from, '--to', week.to]
    const { child, done } = spawnCli([...args, ...range], env)
    // Killed once 20 files are journalled done.
    const watch = stopWhenJournalled(sim, out, 20, () => killGroup(child, 'SIGKILL'))
    const first = await done
    watch.detach()
    expect(first.signal, `${first.code} ${first.stderr}`).toBe('SIGKILL')
    const before = await journalDone(out)
    expect(before.length).toBeGreaterThanOrEqual(20)
    expect(before.length).toBeLessThan(ready.length)
    expect(before.filter((n) => !readyFiles.has(n))).toEqual([])
    // What the killed run left is still to do, as `status` reads it from the journal.
    const toDo = /(\d+) to do/.exec((await runCli(['status', out], env)).stdout)
    expect(Number(toDo?.[1])).toBeGreaterThan(0)

    sim.resetStats()
    const resumed = await runCli(['resume', out, '--json'], env)
    sim.events.off('restore', onRestore)
    // Resumed, not started over: nothing verified before the kill is fetched again.
    for (const name of before) expect(sim.stats.ossGets.get(name) ?? 0, `${name} was verified before the kill`).toBe(0)
    // What it did fetch (the simulator counts GETs by these names) is only what was still to do.
    const fetched = [...sim.stats.ossGets.keys()]
    expect(fetched.length).toBeGreaterThan(0)
    expect(fetched.filter((n) => !readyFiles.has(n) || before.includes(n))).toEqual([])
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(JSON.parse(resumed.stdout)).toMatchObject({ exitCode: 0, counts: { done: ready.length, skipped: notReady.length, failed: 0 } })

    for (const id of ready) expect((await readFile(join(out, `${id}.wav`))).equals(sim.content(`${id}.wav`)), id).toBe(true)
    // Archived recordings could only be fetched once restored.
    expect([...restored].sort()).toEqual([...archived].sort())

    const skipped = await notReadyInReport(out)
    for (const id of notReady) expect(skipped.has(id), id).toBe(true)

    await week.expectManifest(out)

    expect((await runCli(['status', out], env)).stdout).toMatch(new RegExp(`${ready.length} verified, 0 failed, ${notReady.length} skipped, 0 to do\\n`))
  }, 120_000)

  it('a 1.0 export in the same setup works unchanged', async () => {
    const out = join(work, 'v1')
    const names = ['20260505-0001.wav', '20260505-0002.wav']
    const r = await runCli(['download', '-', '--out', out, '--instance', v1.instanceId, '--endpoint', v1.endpoint], env, names.join('\n'))
    expect(r.code, r.stderr).toBe(0)
    for (const n of names) expect((await readFile(join(out, n))).equals(v1.content(n)), n).toBe(true)
  })
})
