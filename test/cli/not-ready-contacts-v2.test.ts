import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { notReadyInReport } from '../export-output.ts'
import { type Sim, startSim } from '../sim/index.ts'
import { runCli } from './run-cli.ts'

// A CCC 2.0 contacts export whose call was not ready yet (RecordingReady false, ccc-api.md §7):
// the report says to run the same contact IDs again, and doing so fetches the recording.

let sim: Sim
let work: string
let env: Record<string, string>
beforeAll(async () => {
  sim = await startSim({ apiVersion: '2020-07-01', defaultSize: () => 64 })
  const at = Date.parse('2026-03-05T10:00:00+08:00')
  sim.addCall({ contactId: 'job-701', startTime: at, recordings: ['job-701-a.wav'] })
  sim.addCall({ contactId: 'job-702', startTime: at + 60_000, recordings: ['job-702-a.wav'], notReady: true })
  work = await mkdtemp(join(tmpdir(), 'not-ready-contacts-v2-'))
  env = { ALIBABA_CLOUD_ACCESS_KEY_ID: sim.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: sim.accessKeySecret, CCC_RECORDINGS_CONFIG_DIR: join(work, 'config') }
})
afterAll(async () => {
  await sim?.close()
  await rm(work, { recursive: true, force: true })
})

describe('a not-ready call of a CCC 2.0 contacts export in the CLI', () => {
  it('is fetched when the same contact IDs are downloaded again once it is ready', async () => {
    const out = join(work, 'out')
    const ids = join(work, 'ids.csv')
    await writeFile(ids, 'job-701\njob-702\n')
    const args = ['download', '--out', out, '--instance', sim.instanceId, '--endpoint', sim.endpoint, '--api-version', '2020-07-01', '--contacts', ids]

    const first = await runCli(args, env)
    expect(first.code).toBe(0)
    expect(await notReadyInReport(out)).toEqual(new Set(['job-702']))
    const report = await readFile(join(out, 'report.csv'), 'utf8')
    expect(report).toMatch(/run the same contact IDs again later/)
    expect(report).not.toMatch(/run the same range/)

    sim.makeReady('job-702')
    const again = await runCli(args, env)
    expect(again.code).toBe(0)
    expect(again.stderr).not.toMatch(/2 of 2 contact IDs are already in this export/)
    expect(again.stderr).toContain('1 of 2 contact IDs are already in this export; they are not listed again')
    expect(again.stderr).toContain('1 contact IDs whose call was not ready are looked up again')
    expect(again.stdout + again.stderr).toMatch(/2 of 2 verified on disk, 0 failed, 0 skipped/)
    expect((await readFile(join(out, 'job-702.wav'))).equals(sim.content('job-702.wav'))).toBe(true)
    expect(await notReadyInReport(out)).toEqual(new Set())

    const status = await runCli(['status', out], env)
    expect(status.stdout).toMatch(/Files: 2 total, 2 verified, 0 failed, 0 skipped/)
  })
})
