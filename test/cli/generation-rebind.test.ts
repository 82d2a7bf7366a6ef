import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { ExportTable } from '../../main/engine/export/export-table.ts'
import { replayJournal } from '../../main/engine/export/journal.ts'
import { startSim } from '../sim/index.ts'
import { cliFixture } from './cli-fixture.ts'
import { runCli } from './run-cli.ts'

// A folder whose first run asked the wrong API generation (and stopped at once with
// Api.InstanceIsV2) is not bound to it: the corrected run uses it. Once files of one generation
// are there, another is refused by name.
const at = (cst: string) => Date.parse(`${cst}+08:00`)

const f = cliFixture('generation-', {
  sim: { apiVersion: '2020-07-01' },
  calls: (sim) => {
    sim.addCall({ contactId: 'job-201', startTime: at('2026-03-05T01:02:03'), recordings: ['job-201-a.wav'], agentName: '张三' })
    sim.addCall({ contactId: 'job-202', startTime: at('2026-03-06T14:00:00'), recordings: ['job-202-a.wav'], agentName: '李四' })
  },
})

const download = (out: string, extra: string[], stdin?: string) => runCli(['download', '--out', out, '--instance', f.sim.instanceId, '--endpoint', f.sim.endpoint, ...extra], f.env, stdin)
const v2 = ['--api-version', '2020-07-01']
const range = ['--from', '2026-03-01T00:00:00+08:00', '--to', '2026-03-08T00:00:00+08:00']

async function headerSource(out: string) {
  const table = new ExportTable()
  await replayJournal(out, (e) => table.apply(e))
  return table.header?.source
}

it('runs a names list again as CCC 2.0 after a 1.0 run stopped on a 2.0 instance, and refuses 1.0 once 2.0 files are there', async () => {
  const out = join(f.work, 'names')
  const wrong = await download(out, ['-'], 'job-201.wav\njob-202.wav\n')
  expect(wrong.code).toBe(4)
  expect(wrong.stdout + wrong.stderr).toContain('InstanceIsV2')

  const corrected = await download(out, [...v2, '-'], 'job-201.wav\njob-202.wav\n')
  expect(corrected.code, corrected.stderr).toBe(0)
  for (const id of ['job-201', 'job-202']) expect((await readFile(join(out, `${id}.wav`))).equals(f.sim.content(`${id}.wav`))).toBe(true)
  expect(await headerSource(out)).toMatchObject({ kind: 'names', api: '2020-07-01', recording: 'mono' })

  const back = await download(out, ['-'], 'job-201.wav\n')
  expect(back.code).not.toBe(0)
  expect(back.stderr).toContain('already holds a CCC 2.0 (API 2020-07-01, mono recordings) export with 2 verified files; choose another folder for a CCC 1.0 (API 2017-07-05) export')
})

it('lists a range again as CCC 2.0 after a 1.0 run of it stopped, and refuses another recording kind once files are there', async () => {
  const out = join(f.work, 'range')
  const wrong = await download(out, range)
  expect(wrong.code).toBe(4)

  const corrected = await download(out, [...v2, ...range])
  expect(corrected.code, corrected.stderr).toBe(0)
  for (const id of ['job-201', 'job-202']) expect((await readFile(join(out, `${id}.wav`))).equals(f.sim.content(`${id}.wav`))).toBe(true)
  expect(await headerSource(out)).toMatchObject({ kind: 'range', api: '2020-07-01', recording: 'mono' })

  const legs = await download(out, [...v2, ...range, '--recording', 'per-agent'])
  expect(legs.code).not.toBe(0)
  expect(legs.stderr).toContain('export with 2 verified files; choose another folder for a CCC 2.0 (API 2020-07-01, per-agent recordings) export')
  // Its dry run is refused the same way.
  const dry = await download(out, [...v2, ...range, '--recording', 'per-agent', '--dry-run'])
  expect(dry.code).toBe(2)
  expect(dry.stderr).toContain('export with 2 verified files; choose another folder for a CCC 2.0 (API 2020-07-01, per-agent recordings) export')
})

it("refuses a dry run for another instance into a folder with its files verified, as the run does", async () => {
  const out = join(f.work, 'instance')
  expect((await download(out, [...v2, ...range])).code).toBe(0)
  // Another instance of the same account, on another endpoint.
  const other = await startSim({ apiVersion: '2020-07-01', instanceId: 'other-instance', accessKeyId: f.sim.accessKeyId, accessKeySecret: f.sim.accessKeySecret })
  try {
    other.addCall({ contactId: 'job-201', startTime: at('2026-03-05T01:02:03'), recordings: ['job-201-a.wav'], agentName: '张三' })
    const args = ['download', '--out', out, '--instance', 'other-instance', '--endpoint', other.endpoint, ...v2, ...range]
    const dry = await runCli([...args, '--dry-run'], f.env)
    expect(dry.code).toBe(2)
    expect(dry.stderr).toContain(`already holds an export for instance ${f.sim.instanceId} with 2 verified files; choose another folder for instance other-instance`)
    expect((await runCli(args, f.env)).code).toBe(2)
  } finally {
    await other.close()
  }
})
