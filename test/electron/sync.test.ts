import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { dispatch } from '../../main/electron/dispatch.ts'
import { createHandlers } from '../../main/electron/handlers.ts'
import type { SyncPorts } from '../../main/electron/handlers/context.ts'
import { KeyringStore } from '../../main/engine/credentials/keyring-store.ts'
import { processRunner } from '../../main/engine/schedule/command-runner.ts'
import { jobName } from '../../main/engine/schedule/sync-job.ts'
import { recordingHost } from './host-recorder.ts'
import { installFakeSchedulers } from '../fake-schedulers.ts'
import { runCli } from '../cli/run-cli.ts'
import { startSim } from '../sim/index.ts'

/**
 * History's "Keep this folder in sync nightly" through the real handler map, engine and processes:
 * systemctl and crontab are stand-ins found first on a PATH of the test's own, with a temp HOME,
 * as in test/cli/schedule.test.ts, so the user's own systemd and crontab are never touched. (A real
 * `systemd --user` is not started here: the generated units are checked by systemd-analyze in
 * test/engine/schedule/job-files.test.ts where it exists.)
 */
const BIN = fileURLToPath(new URL('../../bin/ccc-recordings.js', import.meta.url))
const RANGE = { kind: 'range', from: '2026-03-01T00:00:00.000+08:00', to: '2026-03-31T23:59:59.000+08:00', phone: '10086' }

let work: string
let home: string
let env: Record<string, string>
let program: string[] | undefined
let handlers: ReturnType<typeof createHandlers>

async function exportFolder(name: string, source: object, profile: string | null = 'night'): Promise<string> {
  const dir = join(work, name)
  await mkdir(join(dir, '.ccc-recordings'), { recursive: true })
  const header = { type: 'export', version: 1, id: dir, createdAt: '2026-04-01T00:00:00.000Z', instanceId: 'inst-1', region: 'cn-shanghai', ...(profile ? { profile } : {}), source, options: { concurrency: 6, layout: 'flat', maxBytesPerSecond: null, nameTemplate: '{date}/{file}' } }
  await writeFile(join(dir, '.ccc-recordings', 'journal.jsonl'), `${JSON.stringify(header)}\n`)
  return dir
}

const call = (method: string, request: unknown) => dispatch(handlers, method, request)
const value = async (method: string, request: unknown): Promise<Record<string, unknown>> => {
  const r = await call(method, request)
  if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`)
  return r.value as Record<string, unknown>
}

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'app-sync-'))
  const bin = join(work, 'bin')
  home = join(work, 'home')
  await installFakeSchedulers(bin)
  await mkdir(home)
  await mkdir(join(work, 'config'))
  env = { PATH: `${bin}:/usr/bin:/bin`, HOME: home }
  const profiles = { version: 1, defaultProfile: 'night', profiles: [{ name: 'night', region: 'cn-shanghai', instanceId: 'inst-1', accessKeyId: 'LTAIexample01', retentionDays: 30 }] }
  await writeFile(join(work, 'config', 'profiles.json'), JSON.stringify(profiles))
  program = [process.execPath, BIN]
  const sync: SyncPorts = {
    scheduler: { platform: 'linux', home, env, runner: processRunner(env), tempDir: work },
    program: async () => program,
    logs: join(work, 'logs'),
  }
  handlers = createHandlers({ host: recordingHost().host, secrets: new KeyringStore({ service: `ccc-recordings-test-${process.pid}` }), configDir: join(work, 'config'), fetch: globalThis.fetch, emit: () => undefined, sync })
})
afterEach(async () => {
  await handlers.close()
  await rm(work, { recursive: true, force: true })
})

describe.skipIf(process.platform !== 'linux')('sync handlers (Linux, stand-in systemctl and crontab)', () => {
  it("writes a range export's sync settings from its journal, installs the systemd user timer, shows the last night, and turns it off", async () => {
    const dir = await exportFolder('archive 100%', RANGE)
    expect(await value('sync:status', { id: dir })).toEqual({})

    const installed = await value('sync:install', { id: dir, at: '03:30' })
    expect(installed).toMatchObject({ scheduled: { at: '03:30', kind: 'systemd' }, mark: null, next: { from: new Date(RANGE.from).toISOString() } })
    const settings = JSON.parse(await readFile(join(dir, '.ccc-recordings', 'sync.json'), 'utf8'))
    expect(settings).toMatchObject({ version: 1, connection: { instanceId: 'inst-1', region: 'cn-shanghai', profile: 'night' }, filters: { phone: '10086' }, since: RANGE.from, mark: null, retentionDays: 30 })
    expect(settings.options).toMatchObject({ nameTemplate: '{date}/{file}' })

    const name = jobName(dir)
    const units = join(home, '.config', 'systemd', 'user')
    expect(await readFile(join(units, `${name}.timer`), 'utf8')).toContain('OnCalendar=*-*-* 03:30:00')
    expect(await readFile(join(units, `${name}.service`), 'utf8')).toContain(`ExecStart="${process.execPath}" "${BIN}" "sync" "${dir.replace(/%/g, '%%')}" "--log"`)
    expect(await readFile(join(home, 'systemctl.log'), 'utf8')).toBe(`--user show-environment\n--user daemon-reload\n--user enable --now ${name}.timer\n`)

    const last = { at: '2026-04-02T02:10:00.000Z', window: { from: RANGE.from, to: '2026-04-02T01:45:00.000Z' }, exitCode: 3, state: 'finished', markAdvanced: true, mark: '2026-04-02T01:45:00.000Z', counts: { total: 12, done: 11, failed: 1, skipped: 0 } }
    await writeFile(join(dir, '.ccc-recordings', 'sync-last.json'), JSON.stringify(last))
    expect(await value('sync:status', { id: dir })).toMatchObject({ scheduled: { at: '03:30' }, last: { at: last.at, exitCode: 3, markAdvanced: true, counts: last.counts } })
    // A mark later than now, which every night's run refuses, is said on the entry too.
    const syncFile = join(dir, '.ccc-recordings', 'sync.json')
    const saved = await readFile(syncFile, 'utf8')
    await writeFile(syncFile, JSON.stringify({ ...(JSON.parse(saved) as object), mark: '2999-01-01T00:00:00.000Z' }))
    const ahead = await call('sync:status', { id: dir })
    expect(ahead).toMatchObject({ ok: false, error: { code: 'Export.Conflict' } })
    expect(JSON.stringify(ahead)).toContain('later than now')
    // Turning it off works all the same; turning it on again is refused before a job is made.
    expect(await call('sync:remove', { id: dir })).toMatchObject({ ok: true })
    const log = await readFile(join(home, 'systemctl.log'), 'utf8')
    expect(await call('sync:install', { id: dir, at: '03:30' })).toMatchObject({ ok: false, error: { code: 'Export.Conflict' } })
    expect(await readFile(join(home, 'systemctl.log'), 'utf8')).toBe(log)
    await writeFile(syncFile, saved)
    expect(await call('sync:install', { id: dir, at: '03:30' })).toMatchObject({ ok: true })

    const removed = await value('sync:remove', { id: dir })
    expect(removed.scheduled).toBeUndefined()
    expect(removed.mark).toBeNull()
    expect(await readFile(join(home, 'systemctl.log'), 'utf8')).toContain(`--user disable --now ${name}.timer\n--user daemon-reload\n`)
    // The settings stay: turned on again, the sync goes on from its mark.
    expect(JSON.parse(await readFile(join(dir, '.ccc-recordings', 'sync.json'), 'utf8')).since).toBe(RANGE.from)
  })

  it("releases the app's hold on the folder, so the night's job can open it", async () => {
    const dir = await exportFolder('viewed', RANGE)
    const saved = await call('profiles:save', { profile: { name: 'night', region: 'cn-shanghai', instanceId: 'inst-1', accessKeyId: 'LTAIexample01', retentionDays: 30 }, secret: 'sync-test-secret-1a2b3c' })
    expect(saved.ok).toBe(true)
    // As listing its files in the Queue does: the export is open here, with its lock.
    await handlers.exports.resume(dir)
    await expect(access(join(dir, '.ccc-recordings', 'lock'))).resolves.toBeUndefined()
    await value('sync:install', { id: dir, at: '02:00' })
    expect(handlers.exports.get(dir)).toBeUndefined()
    await expect(access(join(dir, '.ccc-recordings', 'lock'))).rejects.toThrow(/ENOENT/)
    await call('profiles:remove', { name: 'night' })
  })

  it('falls back to a crontab line where systemd does not run', async () => {
    env.FAKE_SYSTEMD_EXIT = '1'
    const dir = await exportFolder('archive', RANGE)
    expect(await value('sync:install', { id: dir, at: '02:00' })).toMatchObject({ scheduled: { at: '02:00', kind: 'cron' } })
    expect(await readFile(join(home, 'crontab.txt'), 'utf8')).toMatch(new RegExp(`^0 2 \\* \\* \\* .*'sync' '${dir}' '--log' .* # ${jobName(dir)}\\n$`))
  })

  it('says why a folder cannot be kept in sync, and refuses to install it', async () => {
    const names = await exportFolder('names', { kind: 'names', file: '/tmp/calls.csv' })
    expect(await value('sync:status', { id: names })).toEqual({ unavailable: 'notRange' })
    expect(await call('sync:install', { id: names, at: '02:00' })).toMatchObject({ ok: false, error: { code: 'Export.Conflict' } })

    const envKeys = await exportFolder('env-keys', RANGE, null)
    expect(await value('sync:status', { id: envKeys })).toEqual({ unavailable: 'noProfile' })
    // Its export named a profile, but a sync begun from the command line with environment keys did not.
    const cliSync = await exportFolder('cli-sync', RANGE)
    await writeFile(join(cliSync, '.ccc-recordings', 'sync.json'), JSON.stringify({ version: 1, connection: { instanceId: 'inst-1' }, filters: {}, options: {}, since: RANGE.from, mark: null, overlapMs: 7200000, marginMs: 900000 }))
    expect(await call('sync:install', { id: cliSync, at: '02:00' })).toMatchObject({ ok: false, error: { code: 'Profiles.NotFound' } })

    program = undefined
    const range = await exportFolder('range', RANGE)
    expect(await value('sync:status', { id: range })).toEqual({ unavailable: 'noCommandLine' })
    expect(await call('sync:install', { id: range, at: '02:00' })).toMatchObject({ ok: false, error: { code: 'Sync.NoCommandLine' } })
    expect(await call('sync:install', { id: range, at: '25:00' })).toMatchObject({ ok: false, error: { code: 'Ipc.InvalidRequest' } })
  })
})

describe('the next window of a synced CCC 2.0 folder', () => {
  it('starts at a call still not ready from before the mark, as `status` says (where the next run lists from)', async (t) => {
    const HOUR = 3_600_000
    const sim = await startSim({ apiVersion: '2020-07-01' })
    t.onTestFinished(() => sim.close())
    sim.addCall({ contactId: 'ready-1', startTime: Date.now() - 24 * HOUR, recordings: ['ready-1-a.wav'] })
    // Five hours old: before the mark minus the 2 h overlap, so only the reach-back lists it again.
    const late = Date.now() - 5 * HOUR
    sim.addCall({ contactId: 'late-1', startTime: late, recordings: ['late-1-a.wav'], notReady: true })
    const dir = join(work, 'v2-sync')
    const cliEnv = { ALIBABA_CLOUD_ACCESS_KEY_ID: sim.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: sim.accessKeySecret, CCC_RECORDINGS_CONFIG_DIR: join(work, 'cli-config') }
    const since = new Date(Date.now() - 48 * HOUR).toISOString()
    const first = await runCli(['sync', dir, '--since', since, '--instance', sim.instanceId, '--endpoint', sim.endpoint, '--api-version', '2020-07-01'], cliEnv)
    expect(first.code, first.stderr).toBe(0)
    const status = JSON.parse((await runCli(['status', dir, '--json'], cliEnv)).stdout) as { sync: { next: { from: string } } }
    expect(status.sync.next.from).toBe(new Date(late).toISOString())

    // Read from the journal, as History does for a folder the app has not opened.
    expect(handlers.exports.get(dir)).toBeUndefined()
    expect(await value('sync:status', { id: dir })).toMatchObject({ next: { from: status.sync.next.from } })
    // From the rows of the export the app has open (its Queue listing the files).
    const saved = await call('profiles:save', { profile: { name: 'night', region: 'cn-shanghai', instanceId: sim.instanceId, endpoint: sim.endpoint, accessKeyId: sim.accessKeyId }, secret: sim.accessKeySecret })
    expect(saved.ok).toBe(true)
    await handlers.exports.resume(dir, { profile: 'night' })
    expect(await value('sync:status', { id: dir })).toMatchObject({ next: { from: status.sync.next.from } })
    await call('profiles:remove', { name: 'night' })
  }, 30_000)
})
