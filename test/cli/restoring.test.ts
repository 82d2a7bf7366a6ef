import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { progressLine } from '../../main/cli/progress-printer.ts'
import { formatSummary } from '../../main/cli/summary.ts'
import { emptyCounts, type ExportProgress } from '../../main/common/progress.ts'
import { type Sim, startSim } from '../sim/index.ts'
import { killGroup, runCli, spawnCli } from './run-cli.ts'

// Archived CCC 2.0 recordings in the CLI (issue 14 item 4): the progress line, the summary and
// `status` count those being restored; an interrupted restore is finished by `resume`.
const counts = { ...emptyCounts(), done: 5, restoring: 3, queued: 2, total: 10 }

describe('the restoring count in the CLI', () => {
  it('is in the progress line and the summary', () => {
    const p: ExportProgress = { id: '/out', state: 'running', counts, bytes: 0, bytesPerSecond: 0, etaSeconds: null, failures: [] }
    expect(progressLine(p)).toContain('3 restoring from archive')
    const text = formatSummary({ state: 'paused', exitCode: 130, outDir: '/out', instanceId: 'i', counts, bytes: 0, elapsedSeconds: 1, failures: [], report: '/out/report.csv' })
    expect(text).toContain('5 of 10 verified on disk, 0 failed, 0 skipped, 3 restoring from archive')
  })
})

let sim: Sim
let work: string
beforeAll(async () => {
  sim = await startSim({ apiVersion: '2020-07-01' })
  work = await mkdtemp(join(tmpdir(), 'restoring-'))
  for (const id of ['job-201', 'job-202']) sim.addCall({ contactId: id, startTime: Date.UTC(2026, 2, 5), recordings: [`${id}-a.wav`] })
})
afterAll(async () => {
  await sim.close()
  await rm(work, { recursive: true, force: true })
})

describe('an export interrupted while a restore runs', () => {
  it('status says how many are restoring; resume asks again and downloads them', async () => {
    const env = { ALIBABA_CLOUD_ACCESS_KEY_ID: sim.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: sim.accessKeySecret, CCC_RECORDINGS_CONFIG_DIR: join(work, 'config') }
    const out = join(work, 'out')
    sim.archive('job-202', { polls: Number.POSITIVE_INFINITY })
    const args = ['download', '-', '--out', out, '--instance', sim.instanceId, '--endpoint', sim.endpoint, '--api-version', '2020-07-01']
    const { child, done } = spawnCli(args, env, 'job-201.wav\njob-202.wav\n')
    // Interrupted as soon as the restore was asked for (the first poll is seconds away).
    sim.events.once('restore', () => killGroup(child, 'SIGINT'))
    const first = await done
    expect(first.code, first.stderr).toBe(130)

    const status = await runCli(['status', out], env)
    expect(status.stdout).toMatch(/1 verified, 0 failed, 0 skipped, 1 to do \(1 of them restoring from archive storage\)/)
    const json = JSON.parse((await runCli(['status', out, '--json'], env)).stdout) as { counts: Record<string, number> }
    expect(json.counts).toMatchObject({ done: 1, restoring: 1 })

    // The restore completes while nothing runs: the next RestoreArchivedRecordings says Completed.
    sim.archive('job-202', { polls: 0 })
    const resumed = await runCli(['resume', out, '--endpoint', sim.endpoint], env)
    expect(resumed.code, resumed.stderr).toBe(0)
    expect((await readFile(join(out, 'job-202.wav'))).equals(sim.content('job-202.wav'))).toBe(true)
    expect((await runCli(['status', out], env)).stdout).toMatch(/2 verified, 0 failed, 0 skipped, 0 to do\n/)
  })
})
