import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type Sim, startSim } from '../sim/index.ts'
import { runCli } from './run-cli.ts'

// Issue 14 in the CLI: --api-version 2020-07-01 downloads a date range, contact IDs and a list of
// <contactId>.wav names from a 2.0 instance; a 1.0 names list is refused with what to do instead.
const at = (cst: string) => Date.parse(`${cst}+08:00`)

let sim: Sim
let work: string
let env: Record<string, string>
beforeAll(async () => {
  sim = await startSim({ apiVersion: '2020-07-01' })
  sim.addCall({ contactId: 'job-101', startTime: at('2026-03-05T01:02:03'), recordings: ['job-101-a.wav', 'job-101-b.wav'], agentName: '张三' })
  sim.addCall({ contactId: 'job-102', startTime: at('2026-03-06T14:00:00'), recordings: ['job-102-a.wav'], agentName: '李四' })
  sim.addCall({ contactId: 'job-103', startTime: at('2026-03-06T15:00:00'), recordings: ['job-103-a.wav'], notReady: true })
})
afterAll(() => sim.close())
beforeEach(async (ctx) => {
  work = await mkdtemp(join(tmpdir(), 'api-v2-'))
  env = { ALIBABA_CLOUD_ACCESS_KEY_ID: sim.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: sim.accessKeySecret, CCC_RECORDINGS_CONFIG_DIR: join(work, 'config') }
  ctx.onTestFinished(() => rm(work, { recursive: true, force: true }))
})

const common = ['--instance', '', '--endpoint', '']
const args = (out: string, extra: string[]) => {
  const c = [...common]
  c[1] = sim.instanceId
  c[3] = sim.endpoint
  return ['download', '--out', out, ...c, '--api-version', '2020-07-01', ...extra]
}

describe('CCC 2.0 in the CLI', () => {
  it('a filter that kept only a call not ready yet is not said to have kept none', async () => {
    sim.addCall({ contactId: 'job-151', startTime: at('2026-04-05T10:00:00'), recordings: ['job-151-a.wav'], notReady: true, agentName: '李四' })
    sim.addCall({ contactId: 'job-152', startTime: at('2026-04-05T11:00:00'), recordings: ['job-152-a.wav'], notReady: true, agentName: '张三' })
    const r = await runCli(args(join(work, 'kept'), ['--from', '2026-04-05T00:00:00+08:00', '--to', '2026-04-06T00:00:00+08:00', '--agent', '张三']), env)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toContain('1 recording left out by the filters (listed in report.csv as skipped, with the filter)\n')
    expect(r.stderr).toContain('1 call had no recording or none ready yet')
    // The agent matched nobody: that is said.
    const none = await runCli(args(join(work, 'none'), ['--from', '2026-04-05T00:00:00+08:00', '--to', '2026-04-06T00:00:00+08:00', '--agent', '王五']), env)
    expect(none.stderr).toContain('2 recordings left out by the filters (listed in report.csv as skipped, with the filter): the filters kept none')
  })

  it('a date range: every ready call mixed to one WAV, with its metadata in the manifest', async () => {
    const out = join(work, 'out')
    const r = await runCli(args(out, ['--from', '2026-03-01T00:00:00+08:00', '--to', '2026-03-08T00:00:00+08:00']), env)
    expect(r.stderr).not.toMatch(/unexpected/)
    expect(r.code).toBe(0)
    for (const id of ['job-101', 'job-102']) expect((await readFile(join(out, `${id}.wav`))).equals(sim.content(`${id}.wav`))).toBe(true)
    const manifest = await readFile(join(out, 'manifest.csv'), 'utf8')
    expect(manifest).toContain('张三')
    expect(await readFile(join(out, 'report.csv'), 'utf8')).toMatch(/call\/job-103,skipped,.*not ready yet/)
  })

  it('contact IDs with --recording per-agent: one file per leg', async () => {
    const out = join(work, 'out')
    await writeFile(join(work, 'ids.csv'), 'job-101\njob-102\n')
    const r = await runCli(args(out, ['--contacts', join(work, 'ids.csv'), '--recording', 'per-agent']), env)
    expect(r.code).toBe(0)
    for (const name of ['job-101-a.wav', 'job-101-b.wav', 'job-102-a.wav']) expect((await readFile(join(out, name))).equals(sim.content(name))).toBe(true)
    // status names the folder's generation and recording kind, in words and in --json.
    expect((await runCli(['status', out], env)).stdout).toMatch(/^Of: contact IDs, CCC 2\.0 \(API 2020-07-01, per-agent recordings\)$/m)
    expect(JSON.parse((await runCli(['status', out, '--json'], env)).stdout)).toMatchObject({ apiVersion: '2020-07-01', recording: 'per-agent' })
  })

  it('a names list: <contactId>.mkv names are used as such, 1.0 file names refused with what to do', async () => {
    const out = join(work, 'out')
    const ok = await runCli(args(out, ['-']), env, 'job-102.mkv\n')
    expect(ok.code).toBe(0)
    expect((await readFile(join(out, 'job-102.mkv'))).equals(sim.content('job-102.mkv'))).toBe(true)
    const refused = await runCli(args(join(work, 'out2'), ['-']), env, '20260305-1234567.wav\n')
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/--contacts/)
  })

  it('--dry-run lists a date range and contact IDs of a 2.0 instance, names them, and downloads nothing', async () => {
    const out = join(work, 'dry')
    const range = await runCli(args(out, ['--from', '2026-03-01T00:00:00+08:00', '--to', '2026-03-08T00:00:00+08:00', '--dry-run', '--name-template', '{agent}/{contactId}{ext}']), env)
    expect(range.stderr).toBe('')
    expect(range.code).toBe(0)
    expect(range.stdout).toMatch(/Dry run: 2 calls, 2 recordings/)
    const rows = await readFile(join(out, 'dry-run.csv'), 'utf8')
    expect(rows).toContain('job-101.wav,张三/job-101.wav,job-101,')
    // Its times carry their offset, as the manifest's do.
    expect(rows).toMatch(/job-101\.wav,张三\/job-101\.wav,job-101,2026-03-0\dT\d\d:\d\d:\d\d\+08:00,/)
    expect(rows).toContain('job-102.wav,李四/job-102.wav,job-102,')
    expect(rows).not.toContain('job-103')

    await writeFile(join(work, 'ids.csv'), 'job-101\njob-102\n')
    const contacts = await runCli(args(out, ['--contacts', join(work, 'ids.csv'), '--recording', 'per-agent', '--dry-run']), env)
    expect(contacts.code).toBe(0)
    expect(contacts.stdout).toMatch(/Dry run: 2 calls, 3 recordings/)
    const legs = await readFile(join(out, 'dry-run.csv'), 'utf8')
    for (const name of ['job-101-a.wav', 'job-101-b.wav', 'job-102-a.wav']) expect(legs).toContain(name)
    await expect(readFile(join(out, '.ccc-recordings', 'journal.jsonl'))).rejects.toMatchObject({ code: 'ENOENT' })
    await expect(readFile(join(out, 'job-101.wav'))).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('a 1.0 call of a 2.0 instance is refused as an unknown instance', async () => {
    const r = await runCli(['download', '--out', join(work, 'out'), '--instance', sim.instanceId, '--endpoint', sim.endpoint, '-'], env, 'job-101.wav\n')
    expect(r.code).not.toBe(0)
    expect(r.stdout + r.stderr).toMatch(/NotExist.Instance|2020-07-01/)
  })
})
