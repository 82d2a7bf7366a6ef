import { execFile } from 'node:child_process'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type Sim, startSim } from '../sim/index.ts'
import { runCli } from './run-cli.ts'

// The CLI as a script runs it: a reader that goes away, and a dry run that cannot list.
const BIN = resolve('bin/ccc-recordings.js')
let sim: Sim
let work: string
let env: Record<string, string>
beforeAll(async () => {
  sim = await startSim()
  work = await mkdtemp(join(tmpdir(), 'script-edges-'))
  env = { ALIBABA_CLOUD_ACCESS_KEY_ID: sim.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: sim.accessKeySecret, CCC_RECORDINGS_CONFIG_DIR: join(work, 'config') }
})
afterAll(async () => {
  await sim.close()
  await rm(work, { recursive: true, force: true })
})

it('finishes the export and keeps its exit code when stdout and stderr are closed early (| true)', async () => {
  const names = Array.from({ length: 6 }, (_, i) => `pipe-${i}.wav`)
  sim.remove(names[0]!)
  const list = join(work, 'pipe.txt')
  await writeFile(list, `${names.join('\n')}\n`)
  const out = join(work, 'pipe-out')
  const cmd = `"${process.execPath}" "${BIN}" download "${list}" --out "${out}" --instance ${sim.instanceId} --endpoint ${sim.endpoint} --json 2>&1 | true; echo "exit \${PIPESTATUS[0]}"`
  const { stdout } = await promisify(execFile)('bash', ['-c', cmd], { env: { ...process.env, ...env } })
  // One file does not exist: 3, as with a reader that stays.
  expect(stdout.trim()).toBe('exit 3')
  expect((await readdir(out)).filter((f) => f.endsWith('.wav')).sort()).toEqual(names.slice(1))
}, 30_000)

it('gives a dry run that cannot list the exit of a run that cannot (4), and a file as its folder 2', async () => {
  const range = ['--from', '2026-03-01T00:00:00+08:00', '--to', '2026-03-02T00:00:00+08:00', '--dry-run']
  const bad = await runCli(['download', ...range, '--out', join(work, 'dry'), '--instance', sim.instanceId, '--endpoint', sim.endpoint], { ...env, ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'wrong-secret-value' })
  expect(bad.code).toBe(4)
  expect(bad.stderr).toContain('SignatureDoesNotMatch')
  const file = join(work, 'a-file')
  await writeFile(file, 'x')
  const r = await runCli(['download', ...range, '--out', file, '--instance', sim.instanceId, '--endpoint', sim.endpoint], env)
  expect(r.code).toBe(2)
  expect(r.stderr).toContain('it is a file, not a folder')
}, 30_000)

it('says each API retry and each listing step with CCC_RECORDINGS_DEBUG=1, as the README promises', async () => {
  const at = Date.parse('2026-03-05T10:00:00+08:00')
  sim.addCall({ contactId: 'dbg-1', startTime: at, recordings: ['dbg-1.wav'] })
  sim.fault('dbg-1.wav', { kind: 'api-unavailable', times: 1 })
  const r = await runCli(
    ['download', '--from', '2026-03-05T00:00:00+08:00', '--to', '2026-03-06T00:00:00+08:00', '--out', join(work, 'debug'), '--instance', sim.instanceId, '--endpoint', sim.endpoint],
    { ...env, CCC_RECORDINGS_DEBUG: '1' },
  )
  expect(r.code, r.stderr).toBe(0)
  expect(r.stderr).toMatch(/debug: API call failed with ServiceUnavailable \(attempt 1\): retrying in \d+ ms/)
  expect(r.stderr).toMatch(/debug: listing: 1 recording\(s\) and 0 without one in this step; next page 1 of the window from /)
  // Without it, quiet.
  const quiet = await runCli(['download', '--from', '2026-03-05T00:00:00+08:00', '--to', '2026-03-06T00:00:00+08:00', '--out', join(work, 'quiet'), '--instance', sim.instanceId, '--endpoint', sim.endpoint], env)
  expect(quiet.stderr).not.toMatch(/debug:/)
}, 30_000)

it('names the flag of a bad time zone, template or filter, as of every other bad flag', async () => {
  const bad = async (flags: string[]) => {
    const r = await runCli(['download', join(work, 'none.txt'), '--out', join(work, 'flags'), ...flags], env)
    expect(r.code).toBe(2)
    return r.stderr
  }
  expect(await bad(['--time-zone', 'Mars/Base'])).toMatch(/^ccc-recordings: Template\.Invalid: --time-zone: "Mars\/Base" is not an IANA time zone/)
  expect(await bad(['--name-template', '{bogus}'])).toMatch(/^ccc-recordings: Template\.Invalid: --name-template: The name template "\{bogus\}" has an unknown placeholder/)
  expect(await bad(['--direction', 'sideways'])).toMatch(/^ccc-recordings: Filter\.Invalid: --direction: "sideways" is not one of inbound, outbound, internal/)
  expect(await bad(['--min-duration', '9', '--max-duration', '3'])).toMatch(/^ccc-recordings: Filter\.Invalid: --min-duration: 9 s is more than the maximum duration/)
})

it('refuses a schedule action it does not know, and a flag of another action, by name', async () => {
  const bogus = await runCli(['schedule', 'bogus'], env)
  expect(bogus.code).toBe(2)
  expect(bogus.stderr).toContain('schedule wants install, list or remove, not "bogus"')
  const stray = await runCli(['schedule', 'list', '--at', '02:00'], env)
  expect(stray.code).toBe(2)
  expect(stray.stderr).toContain('--at does not go with schedule list')
  const json = await runCli(['schedule', 'remove', join(work, 'nothing'), '--json'], env)
  expect(json.code).toBe(2)
  expect(json.stderr).toContain('--json does not go with schedule remove')
})
