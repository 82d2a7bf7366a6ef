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
  for (const id of ['job-711', 'job-712', 'job-713']) sim.addCall({ contactId: id, startTime: at + 120_000, recordings: [`${id}-a.wav`] })
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
    expect(again.stderr).toContain('1 contact IDs whose call was not ready, or whose lookup failed, are looked up again')
    expect(again.stdout + again.stderr).toMatch(/2 of 2 verified on disk, 0 failed, 0 skipped/)
    expect((await readFile(join(out, 'job-702.wav'))).equals(sim.content('job-702.wav'))).toBe(true)
    expect(await notReadyInReport(out)).toEqual(new Set())

    const status = await runCli(['status', out], env)
    expect(status.stdout).toMatch(/Files: 2 total, 2 verified, 0 failed, 0 skipped/)
  })
})

describe('a contact ID whose lookup fails, in the CLI', () => {
  it('is a failure under its code (exit 3), not a skipped row, and is looked up again by the same list or resume --retry', async () => {
    const out = join(work, 'refused')
    const ids = join(work, 'refused.csv')
    await writeFile(ids, 'job-711\njob-712\njob-713\njob-799\n')
    const args = ['download', '--out', out, '--instance', sim.instanceId, '--endpoint', sim.endpoint, '--api-version', '2020-07-01', '--contacts', ids]
    // A one-off refusal of one record, and an InternalError that outlasts its retries on another
    // while the rest of its chunk answers: each is that contact's, and the others go on.
    sim.fault('contact:job-712', { kind: 'api-v2-error', code: 'Parameter.Format', times: 1 })
    const dry = await runCli([...args.map((a) => (a === out ? join(work, 'refused-dry') : a)), '--dry-run'], env)
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stdout).toMatch(/contact IDs or calls CCC could not look up \(Parameter\.Format\): 1/)

    sim.fault('contact:job-712', { kind: 'api-v2-error', code: 'Parameter.Format', times: 1 })
    // InternalError gets three tries (decide.ts): all three fail in the first run.
    sim.fault('contact:job-713', { kind: 'api-internal', times: 3 })
    const first = await runCli(args, env)
    expect(first.code, first.stderr).toBe(3)
    expect((await readFile(join(out, 'job-711.wav'))).equals(sim.content('job-711.wav'))).toBe(true)
    const report = await readFile(join(out, 'report.csv'), 'utf8')
    expect(report).toMatch(/^contact\/job-712,failed,.*Parameter\.Format/m)
    expect(report).toMatch(/^contact\/job-713,failed,.*InternalError/m)
    // An ID CCC does not know is no call without a recording either.
    expect(report).toMatch(/^contact\/job-799,failed,/m)

    // The command line's "Retry this group" looks up that code's contacts again; a plain resume
    // already takes those that failed for a passing reason (InternalError).
    const retried = await runCli(['resume', out, '--retry', 'Parameter.Format'], env)
    expect(retried.stderr).toContain('1 file or contact lookup that failed for a passing reason (network, timeout, server busy) is tried again')
    expect(retried.stderr).toContain('1 file or contact lookup that failed with Parameter.Format is tried again')
    for (const id of ['job-712', 'job-713']) expect((await readFile(join(out, `${id}.wav`))).equals(sim.content(`${id}.wav`))).toBe(true)
    expect(await readFile(join(out, 'report.csv'), 'utf8')).not.toMatch(/^contact\/job-71[23],/m)
    expect(retried.code).toBe(3) // job-799 still does not exist

    // The same list again looks up again what is still failed.
    const again = await runCli(args, env)
    expect(again.stderr).toContain('1 contact IDs whose call was not ready, or whose lookup failed, are looked up again')
    // Told once, not again as a failed file tried again.
    expect(again.stderr).not.toContain('failed before are tried again')
    expect(again.code).toBe(3)
  })
})
