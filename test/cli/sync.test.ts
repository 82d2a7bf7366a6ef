import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Sim, startSim } from '../sim/index.ts'
import { filesUnder } from '../engine/export/listing-helpers.ts'
import { killGroup, runCli, spawnCli } from './run-cli.ts'

let sim: Sim
let work: string
let env: Record<string, string>

beforeEach(async () => {
  sim = await startSim({ defaultSize: () => 1200 })
  work = await mkdtemp(join(tmpdir(), 'cli-sync-'))
  env = { ALIBABA_CLOUD_ACCESS_KEY_ID: sim.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: sim.accessKeySecret, CCC_RECORDINGS_CONFIG_DIR: join(work, 'config') }
})
afterEach(async () => {
  await sim.close()
  await rm(work, { recursive: true, force: true })
})

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
const downloads = () => [...sim.stats.ossGets.values()].reduce((a, b) => a + b, 0)
const sync = (out: string, extra: string[] = []) => runCli(['sync', out, ...extra], env)
const firstFlags = (since: number) => ['--since', new Date(since).toISOString(), '--instance', sim.instanceId, '--endpoint', sim.endpoint]

describe('ccc-recordings sync', () => {
  it('first run from --since, a second run downloads nothing, a late call comes in through the overlap', async () => {
    const now = Date.now()
    sim.addCall({ contactId: 'c-1', startTime: now - 2 * DAY, recordings: ['c-1.wav'] })
    sim.addCall({ contactId: 'c-2', startTime: now - 5 * HOUR, recordings: ['c-2.wav'] })
    sim.addCall({ contactId: 'c-old', startTime: now - 5 * DAY, recordings: ['c-old.wav'] })
    const out = join(work, 'archive')
    const first = await sync(out, [...firstFlags(now - 3 * DAY), '--name-template', 'by-date'])
    expect(first.stderr).toMatch(/first run/)
    expect(first.code).toBe(0)
    expect((await filesUnder(out)).map((p) => p.split('/').pop())).toEqual(['c-1.wav', 'c-2.wav'])
    const settings = JSON.parse(await readFile(join(out, '.ccc-recordings', 'sync.json'), 'utf8')) as { mark: string; connection: { instanceId: string } }
    expect(Date.parse(settings.mark)).toBeGreaterThan(now - 16 * MIN)
    expect(settings.connection.instanceId).toBe(sim.instanceId)

    const before = downloads()
    const second = await sync(out)
    expect(second.code).toBe(0)
    expect(downloads()).toBe(before)
    // The settings are the folder's: a flag of the first run is refused later, exit 2.
    expect((await sync(out, ['--instance', 'other'])).code).toBe(2)
    // The command line's "Retry all failed" works in a sync's folder, and the next sync goes on.
    const retried = await runCli(['resume', out, '--retry', 'all'], env)
    expect(retried.code, retried.stderr).toBe(0)
    expect(retried.stderr).toContain('0 files that failed are tried again')
    // A rate for one run is taken, and said not to be kept.
    const limited = await sync(out, ['--max-rate', '5MB/s'])
    expect(limited.code).toBe(0)
    expect(limited.stderr).toContain(`--max-rate 5MB/s applies to this run; ${join(out, '.ccc-recordings', 'sync.json')} keeps no limit for the next ones`)
    expect(JSON.parse(await readFile(join(out, '.ccc-recordings', 'sync.json'), 'utf8'))).not.toHaveProperty('maxRate')
    // And the next night runs without it: the export's journalled options do not keep it either.
    expect((await sync(out)).code).toBe(0)
    const options = (await readFile(join(out, '.ccc-recordings', 'journal.jsonl'), 'utf8'))
      .split('\n')
      .filter((l) => l.includes('"type":"options"'))
      .map((l) => JSON.parse(l) as { options: { maxBytesPerSecond: number | null } })
    expect(options.at(-1)?.options.maxBytesPerSecond).toBeNull()
    // resume keeps a limit given to it, until `--max-rate off` lifts it.
    const journalled = async () =>
      (await readFile(join(out, '.ccc-recordings', 'journal.jsonl'), 'utf8'))
        .split('\n')
        .filter((l) => l.includes('"type":"options"'))
        .map((l) => (JSON.parse(l) as { options: { maxBytesPerSecond: number | null } }).options.maxBytesPerSecond)
        .at(-1)
    expect((await runCli(['resume', out, '--max-rate', '2MB/s'], env)).code).toBe(0)
    expect(await journalled()).toBe(2 * 1024 * 1024)
    expect((await runCli(['resume', out, '--max-rate', 'off'], env)).code).toBe(0)
    expect(await journalled()).toBeNull()

    // Its recording was ready late: the call started before the mark, inside the 2 h overlap.
    sim.addCall({ contactId: 'c-late', startTime: Date.parse(settings.mark) - HOUR, recordings: ['c-late.wav'] })
    expect((await sync(out)).code).toBe(0)
    expect((await filesUnder(out)).map((p) => p.split('/').pop()).sort()).toEqual(['c-1.wav', 'c-2.wav', 'c-late.wav'])

    const status = await runCli(['status', out], env)
    expect(status.stdout).toMatch(/Sync: since .*; complete up to /)
    expect(status.stdout).toMatch(/Next sync lists /)
    expect(status.stdout).toMatch(/Last sync: .*finished, exit 0, window complete/)
    const json = JSON.parse((await runCli(['status', out, '--json'], env)).stdout) as { sync: { mark: string; last: { exitCode: number } } }
    expect(json.sync.last.exitCode).toBe(0)
  }, 60_000)

  it('exits 3 the night a recording fails, not every night after that only carries it', async () => {
    const now = Date.now()
    sim.addCall({ contactId: 'g-1', startTime: now - DAY, recordings: ['g-1.wav'] })
    sim.addCall({ contactId: 'g-gone', startTime: now - DAY + HOUR, recordings: ['g-gone.wav'] })
    sim.remove('g-gone.wav')
    const out = join(work, 'archive')
    const first = await sync(out, firstFlags(now - 2 * DAY))
    expect(first.code, first.stderr).toBe(3)
    expect(first.stdout).toMatch(/NotExist\.Record +1 /)
    expect(first.stdout).not.toContain('earlier run')

    const second = await sync(out)
    expect(second.code, second.stdout).toBe(0)
    expect(second.stdout).toMatch(/NotExist\.Record +1 /)
    expect(second.stdout).toContain("All of these failed on an earlier run and were not tried again in this one: they do not make this run's exit code 3")

    sim.addCall({ contactId: 'g-gone2', startTime: Date.now() - HOUR, recordings: ['g-gone2.wav'] })
    sim.remove('g-gone2.wav')
    const third = await runCli(['sync', out, '--json'], env)
    expect(third.code, third.stderr).toBe(3)
    const printed = JSON.parse(third.stdout) as { sync: { window: { from: string; to: string }; mark: string } }
    expect(printed).toMatchObject({ exitCode: 3, counts: { failed: 2 }, failedEarlier: 1, sync: { exitCode: 3, markAdvanced: true, failedThisRun: 1 } })
    const last = JSON.parse(await readFile(join(out, '.ccc-recordings', 'sync-last.json'), 'utf8')) as unknown
    expect(last).toMatchObject({ exitCode: 3, counts: { failed: 2 }, failedThisRun: 1 })
    // A script reads the night's window and mark from the run's own line, as status reads them from the file.
    expect(printed.sync).toEqual(last)
    expect(printed.sync.mark).toBe(printed.sync.window.to)
  }, 60_000)

  it('a run killed mid-listing continues next time, every recording once', async () => {
    const now = Date.now()
    for (let i = 0; i < 250; i++) sim.addCall({ contactId: `k-${i}`, startTime: now - DAY + i * MIN, recordings: [`k-${i}.wav`] })
    const out = join(work, 'killed')
    let pages = 0
    const { child, done } = spawnCli(['sync', out, ...firstFlags(now - 2 * DAY), '--concurrency', '2', '--max-rate', '00:00,200K'], env)
    sim.events.on('list', () => {
      if (++pages === 2) killGroup(child, 'SIGKILL')
    })
    expect((await done).signal).toBe('SIGKILL')
    const settings = JSON.parse(await readFile(join(out, '.ccc-recordings', 'sync.json'), 'utf8')) as { mark: string | null; maxRate: string }
    expect(settings.mark).toBeNull()
    expect(settings.maxRate).toBe('00:00,200K')
    // No run ended to write its record: status says the last one was interrupted.
    const killed = (await runCli(['status', out], env)).stdout
    expect(killed).toContain('The last sync run was interrupted (killed, or the computer stopped): the next sync goes on from the mark')
    // A sync folder is continued by the next sync, not by a resume.
    expect(killed).toContain('(interrupted: no process is running it; the next sync continues it)')

    const again = await sync(out)
    expect(again.code).toBe(0)
    expect(await filesUnder(out)).toHaveLength(250)
    const manifest = (await readFile(join(out, 'manifest.jsonl'), 'utf8')).split('\n').filter(Boolean)
    expect(manifest).toHaveLength(250)
  }, 60_000)

  it('adopts a folder a download --from/--to made: its range and naming become the sync settings', async () => {
    const now = Date.now()
    sim.addCall({ contactId: 'a-1', startTime: now - 2 * DAY, recordings: ['a-1.wav'] })
    sim.addCall({ contactId: 'a-2', startTime: now - 3 * HOUR, recordings: ['a-2.wav'] })
    const out = join(work, 'adopted')
    const from = new Date(now - 3 * DAY).toISOString()
    const dl = await runCli(['download', '--from', from, '--to', new Date(now - DAY).toISOString(), '--out', out, '--instance', sim.instanceId, '--endpoint', sim.endpoint], env)
    expect(dl.code).toBe(0)
    // The instance and endpoint come from the export's journal: no flag needed.
    const r = await runCli(['sync', out], env)
    expect(r.code).toBe(0)
    const settings = JSON.parse(await readFile(join(out, '.ccc-recordings', 'sync.json'), 'utf8')) as { since: string; connection: { endpoint?: string } }
    expect(settings.since).toBe(from)
    expect((await filesUnder(out)).sort()).toEqual(['a-1.wav', 'a-2.wav'])
  }, 60_000)

  it('after a stop mended outside the folder (recording storage off, a wrong secret), says to run the sync again once mended, and where', async () => {
    const now = Date.now()
    sim.addCall({ contactId: 'o-1', startTime: now - 5 * HOUR, recordings: ['o-1.wav'] })
    const out = join(work, 'oss-off')
    expect((await sync(out, firstFlags(now - DAY))).code).toBe(0)
    sim.addCall({ contactId: 'o-2', startTime: now - HOUR, recordings: ['o-2.wav'] })
    sim.set({ ossOpen: false })
    try {
      const r = await sync(out)
      expect(r.code).toBe(4)
      expect(r.stdout + r.stderr).toContain('OssNotOpen')
      expect(r.stdout + r.stderr).toContain(`Correct what is named above, then run: ccc-recordings sync ${out}\n`)
    } finally {
      sim.set({ ossOpen: true })
    }
    const wrongKey = await runCli(['sync', out], { ...env, ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'not-the-secret' })
    expect(wrongKey.code).toBe(4)
    expect(wrongKey.stdout).toMatch(/Correct the AccessKey where the sync takes it from \(the profile named in "connection" of .*sync\.json, or the ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET variables\), then run: ccc-recordings sync /)
    expect(wrongKey.stdout + wrongKey.stderr).not.toContain('not-the-secret')
  })

  it('prints one JSON object, with the record and why it is not kept, and keeps the run\'s exit code, when the run\'s record cannot be written', async () => {
    const now = Date.now()
    sim.addCall({ contactId: 'j-1', startTime: now - 5 * HOUR, recordings: ['j-1.wav'] })
    const out = join(work, 'json-once')
    expect((await sync(out, firstFlags(now - DAY))).code).toBe(0)
    // sync-last.json turned into a folder that holds something: the rename over it fails.
    await rm(join(out, '.ccc-recordings', 'sync-last.json'), { force: true })
    await mkdir(join(out, '.ccc-recordings', 'sync-last.json', 'x'), { recursive: true })
    const r = await sync(out, ['--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/warn: this run could not be recorded in .*sync-last\.json \(.+\): status and the app show the run before it/)
    const lines = r.stdout.split('\n').filter((l) => l.trim() !== '')
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0]!)).toMatchObject({ exitCode: 0, counts: { done: 1 }, sync: { exitCode: 0, markAdvanced: true, recordError: expect.stringContaining('sync-last.json') } })
  })

  it('still prints the run\'s summary when the mark cannot be moved at its end, and then says why', async () => {
    const now = Date.now()
    sim.addCall({ contactId: 'm-1', startTime: now - 5 * HOUR, recordings: ['m-1.wav'] })
    const out = join(work, 'mark-unwritable')
    expect((await sync(out, firstFlags(now - DAY))).code).toBe(0)
    sim.addCall({ contactId: 'm-2', startTime: now - HOUR, recordings: ['m-2.wav'] })
    // Read at the start, then turned into a folder that holds something: moving the mark fails.
    const settings = join(out, '.ccc-recordings', 'sync.json')
    const blocked = new Promise<void>((done) => {
      sim.events.once('list', () => {
        void rm(settings, { force: true })
          .then(() => mkdir(join(settings, 'x'), { recursive: true }))
          .then(() => done())
      })
    })
    const r = await sync(out, ['--json'])
    await blocked
    expect(r.code).not.toBe(0)
    const lines = r.stdout.split('\n').filter((l) => l.trim() !== '')
    expect(JSON.parse(lines[0]!)).toMatchObject({ state: 'finished', exitCode: 0, counts: { done: 2 } })
    expect(r.stderr).toContain('sync.json')
  })

  it('refuses a bad timetable before anything is written, exit 2', async () => {
    const r = await sync(join(work, 'x'), [...firstFlags(Date.now() - DAY), '--max-rate', '25:00,1M'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--max-rate: .*not a time of day/)
    expect(await filesUnder(join(work, 'x')).catch(() => 'none')).toBe('none')
  })

  it('a first run refused (a --since in the future) keeps no settings, so the corrected one runs', async () => {
    const out = join(work, 'future')
    const refused = await sync(out, firstFlags(Date.now() + DAY))
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/--since: .* is in the future/)
    expect((await sync(out, firstFlags(Date.now() - DAY))).code).toBe(0)
  })
})

describe('--max-rate with a timetable in download and resume', () => {
  it('download takes a timetable (and refuses a bad one, exit 2)', async () => {
    const now = Date.now()
    sim.addCall({ contactId: 't-1', startTime: now - DAY, recordings: ['t-1.wav'] })
    const out = join(work, 'tt')
    const range = ['--from', new Date(now - 2 * DAY).toISOString(), '--to', new Date(now).toISOString(), '--out', out, '--instance', sim.instanceId, '--endpoint', sim.endpoint]
    expect((await runCli(['download', ...range, '--max-rate', '00:00,1M 12:00,2M'], env)).code).toBe(0)
    expect(await filesUnder(out)).toEqual(['t-1.wav'])
    const bad = await runCli(['download', ...range, '--max-rate', '00:00,fast'], env)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--max-rate: .*not a rate/)
    expect((await runCli(['resume', out, '--max-rate', '00:00,off 06:00,512K'], env)).code).toBe(0)
  }, 30_000)
})

describe.skipIf(process.env.CCC_TEST_KEYRING !== '1')('ccc-recordings sync with a profile (real Secret Service)', () => {
  it("starts a first run the profile's retention back when no --since is given, and keeps it for status", async () => {
    const name = `sync-retention-${process.pid}`
    const keyringEnv = { CCC_RECORDINGS_CONFIG_DIR: join(work, 'config'), DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS ?? '', XDG_DATA_HOME: process.env.XDG_DATA_HOME ?? '' }
    const add = await runCli(['profiles', 'add', name, '--instance', sim.instanceId, '--access-key-id', sim.accessKeyId, '--endpoint', sim.endpoint, '--secret-stdin'], keyringEnv, `${sim.accessKeySecret}\n`)
    expect(add.code).toBe(0)
    try {
      // The horizon as the app's profile form saves it.
      const file = join(work, 'config', 'profiles.json')
      const profiles = JSON.parse(await readFile(file, 'utf8')) as { profiles: { name: string; retentionDays?: number }[] }
      profiles.profiles.find((p) => p.name === name)!.retentionDays = 30
      await writeFile(file, JSON.stringify(profiles))
      const now = Date.now()
      sim.addCall({ contactId: 'r-1', startTime: now - 20 * DAY, recordings: ['r-1.wav'] })
      sim.addCall({ contactId: 'r-old', startTime: now - 40 * DAY, recordings: ['r-old.wav'] })
      const out = join(work, 'retained')
      const r = await runCli(['sync', out, '--profile', name], keyringEnv)
      expect(r.code).toBe(0)
      const settings = JSON.parse(await readFile(join(out, '.ccc-recordings', 'sync.json'), 'utf8')) as { since: string; retentionDays: number }
      expect(settings.retentionDays).toBe(30)
      expect(Math.abs(Date.parse(settings.since) - (now - 30 * DAY))).toBeLessThan(5 * MIN)
      expect((await filesUnder(out)).map((p) => p.split('/').pop())).toEqual(['r-1.wav'])
    } finally {
      await runCli(['profiles', 'remove', name], keyringEnv)
    }
  }, 60_000)
})
