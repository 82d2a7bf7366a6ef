import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Sim, startSim } from '../sim/index.ts'
import { filesUnder } from '../engine/export/listing-helpers.ts'
import { runCli } from './run-cli.ts'

// What a sync's first run takes from its flags, and what it refuses before it writes anything.

let work: string
beforeEach(async (ctx) => {
  work = await mkdtemp(join(tmpdir(), 'cli-sync-first-'))
  ctx.onTestFinished(() => rm(work, { recursive: true, force: true }))
})

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
const exists = (path: string) => access(path).then(() => true, () => false)
const syncJson = (out: string) => join(out, '.ccc-recordings', 'sync.json')
const readSettings = async (out: string) =>
  JSON.parse(await readFile(syncJson(out), 'utf8')) as { since: string; mark?: string | null; retentionDays?: number; maxRate?: string; connection: { profile?: string }; filters: { api?: string; recording?: string } }
const names = async (out: string) => (await filesUnder(out)).map((p) => p.split('/').pop()).sort()
/** The date in China Standard Time `days` before now, as a user there types it. */
const cstDate = (days: number) => new Date(Date.now() + 8 * HOUR - days * DAY).toISOString().slice(0, 10)

function envFor(sim: Sim, work: string): Record<string, string> {
  return { ALIBABA_CLOUD_ACCESS_KEY_ID: sim.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: sim.accessKeySecret, CCC_RECORDINGS_CONFIG_DIR: join(work, 'config') }
}

describe('sync with CCC 1.0', () => {
  let sim: Sim
  let env: Record<string, string>
  beforeEach(async (ctx) => {
    sim = await startSim({ defaultSize: () => 900 })
    ctx.onTestFinished(() => sim.close())
    env = envFor(sim, work)
  })
  const connection = () => ['--instance', sim.instanceId, '--endpoint', sim.endpoint]
  const sync = (out: string, extra: string[], more: Record<string, string> = {}) => runCli(['sync', out, ...extra], { ...env, ...more })
  const downloads = () => [...sim.stats.ossGets.values()].reduce((a, b) => a + b, 0)

  it('after the network never came back, says to run the sync again, not to correct a setting', async () => {
    // A port nothing listens on: every call fails at the network level, and the wait gives up.
    const dead = 'http://127.0.0.1:9'
    const out = join(work, 'gave-up')
    const r = await sync(out, ['--since', cstDate(1), '--instance', sim.instanceId, '--endpoint', dead, '--give-up-after', '1s'], { TZ: 'Asia/Shanghai' })
    expect(r.code, r.stderr).toBe(4)
    expect(r.stdout + r.stderr).toContain('Network.GaveUp')
    expect(r.stdout + r.stderr).toContain(`Continue once the network is back: ccc-recordings sync ${out}`)
    expect(r.stdout + r.stderr).not.toContain('Correct what is named above')
  })

  it('reads --since as download reads --from: a bare date is local midnight', async () => {
    const day = cstDate(2)
    sim.addCall({ contactId: 'cst-early', startTime: Date.parse(`${day}T02:00:00+08:00`), recordings: ['cst-early.wav'] })
    sim.addCall({ contactId: 'cst-before', startTime: Date.parse(`${day}T00:00:00+08:00`) - HOUR, recordings: ['cst-before.wav'] })
    const out = join(work, 's1')
    const r = await sync(out, ['--since', day, ...connection()], { TZ: 'Asia/Shanghai' })
    expect(r.code, r.stderr).toBe(0)
    expect((await readSettings(out)).since).toBe(new Date(Date.parse(`${day}T00:00:00+08:00`)).toISOString())
    expect(await names(out)).toEqual(['cst-early.wav'])
  }, 30_000)

  it('refuses a --since that is not an ISO time, naming --since, and sets nothing up', async () => {
    for (const since of ['1', 'Dec 4', '2026-02-30']) {
      const out = join(work, 'bad')
      const r = await sync(out, ['--since', since, ...connection()])
      expect(r.code, since).toBe(2)
      expect(r.stderr).toMatch(new RegExp(`--since: "${since}" is not an ISO 8601 time`))
      expect(await exists(out)).toBe(false)
    }
  }, 30_000)

  it('says a --since in the future is in the future', async () => {
    const r = await sync(join(work, 'fu'), ['--since', new Date(Date.now() + 30 * DAY).toISOString(), ...connection()])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--since: .* is in the future/)
    expect(r.stderr).not.toMatch(/--to/)
  })

  it('checks every flag before the folder is set up: a bad --concurrency leaves nothing, and the corrected command runs', async () => {
    sim.addCall({ contactId: 'b-1', startTime: Date.now() - 3 * HOUR, recordings: ['b-1.wav'] })
    const out = join(work, 'b')
    const first = ['--since', new Date(Date.now() - DAY).toISOString(), ...connection()]
    for (const bad of [['--concurrency', '0'], ['--give-up-after', 'soon'], ['--overlap', 'x']]) {
      const r = await sync(out, [...first, ...bad])
      expect(r.code, bad.join(' ')).toBe(2)
      expect(r.stderr).not.toMatch(/first run\)/)
      expect(await exists(out)).toBe(false)
    }
    const ok = await sync(out, [...first, '--concurrency', '2', '--max-rate', '00:00,off'])
    expect(ok.code, ok.stderr).toBe(0)
    expect(await names(out)).toEqual(['b-1.wav'])
    // Kept past the run's end, when the mark is written.
    expect((await readSettings(out)).maxRate).toBe('00:00,off')
  }, 30_000)

  it('refuses a file as the folder as download --out does (exit 2)', async () => {
    const file = join(work, 'afile')
    await writeFile(file, 'hi\n')
    const r = await sync(file, ['--since', new Date(Date.now() - DAY).toISOString(), ...connection()])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/it is a file, not a folder/)
    expect(r.stderr).not.toMatch(/unexpected/)
  })

  it('refuses a sync.json edited to another start or filter, which the folder’s export would not list', async () => {
    const out = join(work, 'edited')
    expect((await sync(out, ['--since', new Date(Date.now() - DAY).toISOString(), ...connection()])).code).toBe(0)
    const settings = JSON.parse(await readFile(syncJson(out), 'utf8')) as { since: string; filters: Record<string, unknown> }
    for (const edit of [{ ...settings, filters: { ...settings.filters, phone: '999' } }, { ...settings, since: new Date(Date.now() - 30 * DAY).toISOString() }]) {
      await writeFile(syncJson(out), JSON.stringify(edit))
      const r = await sync(out, [])
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(/a folder keeps its start and filters: put sync\.json back, or sync into another folder/)
    }
    await writeFile(syncJson(out), JSON.stringify(settings))
    expect((await sync(out, [])).code).toBe(0)
  }, 30_000)

  it('says sync has no dry run, first run or later, and downloads nothing for it', async () => {
    sim.addCall({ contactId: 'm-1', startTime: Date.now() - 3 * HOUR, recordings: ['m-1.wav'] })
    const out = join(work, 'm')
    const first = ['--since', new Date(Date.now() - DAY).toISOString(), ...connection()]
    const dry = await sync(out, [...first, '--dry-run'])
    expect(dry.code).toBe(2)
    expect(dry.stderr).toMatch(/sync has no dry run/)
    expect(await exists(out)).toBe(false)
    expect((await sync(out, first)).code).toBe(0)
    const before = downloads()
    const later = await sync(out, ['--dry-run'])
    expect(later.code).toBe(2)
    expect(later.stderr).toMatch(/sync has no dry run/)
    expect(later.stderr).not.toMatch(/sync\.json/)
    expect(downloads()).toBe(before)
  }, 30_000)

  describe('a folder a download --from/--to made', () => {
    const made = async (out: string, from: number, extra: string[] = []) => {
      const to = new Date(Date.now() + 2 * DAY).toISOString()
      const r = await runCli(['download', '--from', new Date(from).toISOString(), '--to', to, '--out', out, ...connection(), ...extra], env)
      expect(r.code, r.stderr).toBe(0)
    }

    it('refuses first-run flags that cannot apply to it, before anything is written', async () => {
      const from = Date.now() - 2 * DAY
      sim.addCall({ contactId: 'c2-1', startTime: Date.now() - DAY, recordings: ['c2-1.wav'] })
      const out = join(work, 'c2')
      await made(out, from, ['--min-duration', '0'])
      const before = downloads()
      const refused: [string[], RegExp][] = [
        [['--dry-run'], /sync has no dry run/],
        [['--direction', 'outbound'], /--direction outbound \(the download's: none\)/],
        [['--min-duration', '5'], /--min-duration 5 \(the download's: 0\)/],
        [['--since', new Date(from - DAY).toISOString()], /--since .* \(the download's start: /],
        [['--instance', 'another'], /--instance another/],
        [['--name-template', 'by-agent-date'], /the download names its files by the flat layout/],
      ]
      for (const [flags, message] of refused) {
        const r = await sync(out, flags)
        expect(r.code, flags.join(' ')).toBe(2)
        expect(r.stderr).toMatch(message)
        expect(await exists(syncJson(out))).toBe(false)
      }
      expect(downloads()).toBe(before)
    }, 60_000)

    it('takes what it can keep: the same start and filter, --retention-days', async () => {
      const from = Date.now() - 2 * DAY
      const out = join(work, 'c3')
      await made(out, from, ['--min-duration', '0'])
      const r = await sync(out, ['--since', new Date(from).toISOString(), '--min-duration', '0', '--retention-days', '30'])
      expect(r.code, r.stderr).toBe(0)
      expect((await readSettings(out)).retentionDays).toBe(30)
    }, 30_000)

    it('takes a naming flag that says what the download says, given alone', async () => {
      const out = join(work, 'c4')
      await made(out, Date.now() - 2 * DAY, ['--name-template', 'by-date', '--time-zone', 'Asia/Tokyo'])
      // Each alone: the one not given is the download's, not the default.
      const zone = await sync(out, ['--time-zone', 'Asia/Tokyo'])
      expect(zone.code, zone.stderr).toBe(0)
      await rm(syncJson(out))
      const template = await sync(out, ['--name-template', 'by-date'])
      expect(template.code, template.stderr).toBe(0)
    }, 30_000)
  })
})

describe('sync with CCC 2.0', () => {
  let sim: Sim
  let env: Record<string, string>
  beforeEach(async (ctx) => {
    sim = await startSim({ apiVersion: '2020-07-01' })
    ctx.onTestFinished(() => sim.close())
    env = envFor(sim, work)
    sim.addCall({ contactId: 'job-301', startTime: Date.now() - DAY, recordings: ['job-301-a.wav'] })
    sim.addCall({ contactId: 'job-302', startTime: Date.now() - 3 * HOUR, recordings: ['job-302-a.wav'] })
  })
  const first = () => ['--since', new Date(Date.now() - 2 * DAY).toISOString(), '--instance', sim.instanceId, '--endpoint', sim.endpoint]

  it('lists with the 2.0 API with --api-version on the first run, and keeps it for the next', async () => {
    const out = join(work, 'v2e')
    const r = await runCli(['sync', out, ...first(), '--api-version', '2020-07-01'], env)
    expect(r.code, r.stderr).toBe(0)
    expect(await names(out)).toEqual(['job-301.wav', 'job-302.wav'])
    expect((await readSettings(out)).filters).toMatchObject({ api: '2020-07-01', recording: 'mono' })
    sim.addCall({ contactId: 'job-303', startTime: Date.now() - 2 * HOUR, recordings: ['job-303-a.wav'] })
    const again = await runCli(['sync', out], env)
    expect(again.code, again.stderr).toBe(0)
    expect(await names(out)).toEqual(['job-301.wav', 'job-302.wav', 'job-303.wav'])
  }, 30_000)

  it('lists back to a call that was not ready when its window was listed, once that window has passed', async () => {
    const out = join(work, 'late')
    // Five hours old: outside the next window (the mark minus the 2 h overlap).
    sim.addCall({ contactId: 'job-311', startTime: Date.now() - 5 * HOUR, recordings: ['job-311-a.wav'], notReady: true })
    expect((await runCli(['sync', out, ...first(), '--api-version', '2020-07-01'], env)).code).toBe(0)
    expect(await names(out)).toEqual(['job-301.wav', 'job-302.wav'])
    sim.makeReady('job-311')
    // status says where the next run starts listing, as the run itself then does.
    const status = JSON.parse((await runCli(['status', out, '--json'], env)).stdout) as { sync: { next: { from: string } } }
    const again = await runCli(['sync', out], env)
    expect(again.code, again.stderr).toBe(0)
    expect(await names(out)).toEqual(['job-301.wav', 'job-302.wav', 'job-311.wav'])
    expect(Date.parse(status.sync.next.from)).toBeLessThan(Date.now() - 4 * HOUR)
    expect(again.stderr).toContain(`listing ${status.sync.next.from} to `)
    // The mark is the window's end, as ever: reaching back moves only where the listing starts.
    expect(Date.parse((await readSettings(out)).mark!)).toBeGreaterThan(Date.now() - 16 * MIN)
  }, 30_000)

  it('a first run that listed with the 1.0 API is corrected by --api-version while no window completed', async () => {
    const out = join(work, 'v2fix')
    const wrong = await runCli(['sync', out, ...first()], env)
    expect(wrong.code).toBe(4)
    const fixed = await runCli(['sync', out, '--api-version', '2020-07-01'], env)
    expect(fixed.code, fixed.stderr).toBe(0)
    expect(await names(out)).toEqual(['job-301.wav', 'job-302.wav'])
    expect((await readSettings(out)).filters.api).toBe('2020-07-01')
    // Once a window is complete, the generation is the folder's.
    expect((await runCli(['sync', out, '--api-version', '2017-07-05'], env)).code).toBe(2)
  }, 30_000)

  it('lists with another recording kind given before a window completed, not only says so', async () => {
    const out = join(work, 'kind')
    // The first run stops before its window completes: the folder's kind may still change.
    sim.fault('ListCallDetailRecords', { kind: 'api-hostile', code: 'Forbidden.RAM', status: 403, times: 1 })
    const stopped = await runCli(['sync', out, ...first(), '--api-version', '2020-07-01', '--recording', 'per-agent'], env)
    expect(stopped.code).toBe(4)
    const mono = await runCli(['sync', out, '--recording', 'mono'], env)
    expect(mono.code, mono.stderr).toBe(0)
    expect(await names(out)).toEqual(['job-301.wav', 'job-302.wav'])
    expect((await readSettings(out)).filters).toMatchObject({ api: '2020-07-01', recording: 'mono' })
  }, 30_000)

  describe.skipIf(process.env.CCC_TEST_KEYRING !== '1')('with a profile (real Secret Service)', () => {
    const keyringEnv = () => ({ CCC_RECORDINGS_CONFIG_DIR: join(work, 'config'), DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS ?? '', XDG_DATA_HOME: process.env.XDG_DATA_HOME ?? '' })
    const withProfile = async (name: string, extra: string[], test: () => Promise<void>) => {
      const add = await runCli(['profiles', 'add', name, '--instance', sim.instanceId, '--access-key-id', sim.accessKeyId, '--endpoint', sim.endpoint, '--secret-stdin', ...extra], keyringEnv(), `${sim.accessKeySecret}\n`)
      expect(add.code, add.stderr).toBe(0)
      try {
        await test()
      } finally {
        await runCli(['profiles', 'remove', name], keyringEnv())
      }
    }

    it("lists with the 2.0 API a 2.0 profile's first run, and mends a folder whose first run used 1.0", async () => {
      await withProfile(`sync-v2-${process.pid}`, ['--api-version', '2020-07-01'], async () => {
        const name = `sync-v2-${process.pid}`
        const out = join(work, 'v2c')
        const r = await runCli(['sync', out, '--profile', name, '--since', new Date(Date.now() - 2 * DAY).toISOString()], keyringEnv())
        expect(r.code, r.stderr).toBe(0)
        expect(await names(out)).toEqual(['job-301.wav', 'job-302.wav'])
        expect((await runCli(['sync', out], keyringEnv())).code).toBe(0)

        // As a folder set up before sync knew 2.0: its first run listed with 1.0 and failed.
        const old = join(work, 'v2old')
        expect((await runCli(['sync', old, ...first()], env)).code).toBe(4)
        const mended = await runCli(['sync', old, '--profile', name], keyringEnv())
        expect(mended.code, mended.stderr).toBe(0)
        expect(await names(old)).toEqual(['job-301.wav', 'job-302.wav'])
      })
    }, 60_000)

    it('keeps the --profile of a sync that adopts a download, so it can be scheduled', async () => {
      await withProfile(`sync-night-${process.pid}`, ['--api-version', '2020-07-01', '--retention-days', '40'], async () => {
        const out = join(work, 'adopted')
        const range = ['--from', new Date(Date.now() - 2 * DAY).toISOString(), '--to', new Date(Date.now() + DAY).toISOString()]
        const dl = await runCli(['download', ...range, '--out', out, '--instance', sim.instanceId, '--endpoint', sim.endpoint, '--api-version', '2020-07-01'], env)
        expect(dl.code, dl.stderr).toBe(0)
        const r = await runCli(['sync', out, '--profile', `sync-night-${process.pid}`], keyringEnv())
        expect(r.code, r.stderr).toBe(0)
        const settings = await readSettings(out)
        expect(settings.connection.profile).toBe(`sync-night-${process.pid}`)
        expect(settings.retentionDays).toBe(40)
      })
    }, 60_000)
  })
})
