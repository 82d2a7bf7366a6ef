import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { ExportTable } from '../../main/engine/export/export-table.ts'
import { replayJournal } from '../../main/engine/export/journal.ts'
import { type Sim, startSim } from '../sim/index.ts'
import { killGroup, spawnCli } from './run-cli.ts'

let sim: Sim
let work: string
beforeAll(async () => {
  sim = await startSim()
  work = await mkdtemp(join(tmpdir(), 'kill-names-'))
})
afterAll(async () => {
  await sim.close()
  await rm(work, { recursive: true, force: true })
})

async function donePaths(out: string): Promise<Map<string, string>> {
  const table = new ExportTable()
  await replayJournal(out, (e) => table.apply(e))
  return new Map([...table.files].filter(([, e]) => e.state === 'done').map(([n, e]) => [n, e.path!]))
}

// Issue 13: "a resume after SIGKILL keeps every rendered name", also for names that collide and
// get a suffix, whose order the namer must find again after the kill.
it('keeps every rendered name, suffixes included, across a SIGKILL and resume', async () => {
  const rows = Array.from({ length: 24 }, (_, i) => [`kn-${i}.wav`, `客户${i % 6}`, i % 2 ? '张三' : '李四'])
  for (const [name] of rows) {
    sim.setSize(name!, 64 * 1024)
    sim.fault(name!, { kind: 'slow', bytesPerSecond: 256 * 1024, times: 1 })
  }
  const list = join(work, 'calls.csv')
  await writeFile(list, `录音文件名,客户,坐席\r\n${rows.map((r) => r.join(',')).join('\r\n')}\r\n`)
  const out = join(work, 'out')
  const env = { ALIBABA_CLOUD_ACCESS_KEY_ID: sim.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: sim.accessKeySecret, CCC_RECORDINGS_CONFIG_DIR: join(work, 'config') }
  const args = ['download', list, '--out', out, '--instance', sim.instanceId, '--endpoint', sim.endpoint, '--concurrency', '3', '--name-template', '{col:客户}/{agent}{ext}']

  const { child, done } = spawnCli(args, env)
  let bodies = 0
  const onBody = () => ++bodies === 14 && killGroup(child, 'SIGKILL')
  sim.events.on('body', onBody)
  const killed = await done
  sim.events.off('body', onBody)
  expect(killed.signal).toBe('SIGKILL')
  const before = await donePaths(out)
  expect(before.size).toBeGreaterThan(0)
  expect(before.size).toBeLessThan(rows.length)

  const resumed = await spawnCli(['resume', out], env).done
  expect(resumed.code, resumed.stderr).toBe(0)
  const after = await donePaths(out)
  for (const [name, path] of before) expect(after.get(name), name).toBe(path)
  // Four recordings share each customer and two each agent there: every one has its own file.
  expect(new Set(after.values()).size).toBe(rows.length)
  for (const [name, path] of after) expect((await readFile(join(out, path))).equals(sim.content(name)), path).toBe(true)
  // Running the same list again names nothing anew and fetches nothing.
  sim.resetStats()
  const again = await spawnCli(args, env).done
  expect(again.code).toBe(0)
  expect(await donePaths(out)).toEqual(after)
  expect([...sim.stats.ossGets.values()].reduce((a, b) => a + b, 0)).toBe(0)
}, 60_000)
