import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { jobName } from '../../main/engine/schedule/sync-job.ts'
import { runCli } from './run-cli.ts'
import { installFakeSchedulers } from '../fake-schedulers.ts'

/**
 * The real bin against stand-ins for crontab and systemctl: real processes, found first on a PATH
 * of the test's own, with a temp HOME, so the user's own crontab and systemd are never touched.
 */
let work: string
let env: Record<string, string>
let archive: string


beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'cli-schedule-'))
  const bin = join(work, 'bin')
  await installFakeSchedulers(bin)
  env = { PATH: `${bin}:/usr/bin:/bin`, HOME: join(work, 'home'), CCC_RECORDINGS_CONFIG_DIR: join(work, 'config') }
  await mkdir(env.HOME!)
  archive = join(work, 'archive 100%')
  await mkdir(join(archive, '.ccc-recordings'), { recursive: true })
  const settings = { version: 1, connection: { instanceId: 'inst', profile: 'night' }, filters: {}, options: {}, since: '2024-01-01T00:00:00.000Z', mark: null, overlapMs: 7200000, marginMs: 900000 }
  await writeFile(join(archive, '.ccc-recordings', 'sync.json'), JSON.stringify(settings))
})
afterEach(() => rm(work, { recursive: true, force: true }))

const it_ = process.platform === 'linux' ? it : it.skip

describe('ccc-recordings schedule (Linux)', () => {
  it_('installs a systemd user timer when systemctl --user answers, lists it, removes it', async () => {
    const r = await runCli(['schedule', 'install', archive, '--at', '03:30'], env)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const name = jobName(archive)
    expect(r.stdout).toContain(`systemd job ${name}`)
    const units = join(env.HOME!, '.config', 'systemd', 'user')
    expect(await readFile(join(units, `${name}.timer`), 'utf8')).toContain('OnCalendar=*-*-* 03:30:00')
    expect(await readFile(join(units, `${name}.service`), 'utf8')).toContain(`"sync" "${archive.replace(/%/g, '%%')}" "--log"`)
    expect(await readFile(join(env.HOME!, 'systemctl.log'), 'utf8')).toBe(`--user show-environment\n--user daemon-reload\n--user enable --now ${name}.timer\n`)

    const list = await runCli(['schedule', 'list'], env)
    expect(list.stdout).toContain(`03:30  systemd  ${name}  ${archive}`)
    expect((await runCli(['schedule', 'remove', archive], env)).code).toBe(0)
    expect(await readFile(join(env.HOME!, 'systemctl.log'), 'utf8')).toContain(`--user disable --now ${name}.timer\n--user daemon-reload\n`)
    expect((await runCli(['schedule', 'list'], env)).stdout).toBe('No scheduled syncs\n')
  })

  it_('falls back to a crontab line where systemd does not run, keeping the lines already there', async () => {
    env.FAKE_SYSTEMD_EXIT = '1'
    await writeFile(join(env.HOME!, 'crontab.txt'), '0 1 * * * backup.sh\n')
    const r = await runCli(['schedule', 'install', archive], env)
    expect(r.code).toBe(0)
    const name = jobName(archive)
    const crontab = await readFile(join(env.HOME!, 'crontab.txt'), 'utf8')
    const lines = crontab.split('\n').filter(Boolean)
    expect(lines[0]).toBe('0 1 * * * backup.sh')
    // The test moves the settings folder (CCC_RECORDINGS_CONFIG_DIR), so the job is given it too.
    expect(lines[1]).toMatch(new RegExp(`^0 2 \\* \\* \\* CCC_RECORDINGS_CONFIG_DIR='[^']+' '.+' 'sync' '.*archive 100\\\\%' '--log' .* # ${name}$`))
    // Installing again replaces the line, it does not add one.
    expect((await runCli(['schedule', 'install', archive, '--at', '04:00'], env)).code).toBe(0)
    const again = (await readFile(join(env.HOME!, 'crontab.txt'), 'utf8')).split('\n').filter(Boolean)
    expect(again).toHaveLength(2)
    expect(again[1]).toMatch(/^0 4 \* \* \* /)
    expect((await runCli(['schedule', 'remove', archive], env)).code).toBe(0)
    expect(await readFile(join(env.HOME!, 'crontab.txt'), 'utf8')).toBe('0 1 * * * backup.sh\n')
  })

  it_('removes nothing, and fails nothing, for a folder never scheduled on a machine whose scheduler cannot be asked', async () => {
    // No user systemd, and no crontab on the PATH: a server with neither.
    const bare = { ...env, PATH: join(work, 'bin'), FAKE_SYSTEMD_EXIT: '1' }
    await rm(join(work, 'bin', 'crontab'))
    const installed = await runCli(['schedule', 'install', archive], bare)
    expect(installed.code).toBe(4)
    expect(installed.stderr).toContain("neither systemd's user manager (systemctl --user) nor cron (crontab) answers on this computer")
    const r = await runCli(['schedule', 'remove', archive], bare)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^No job of ours was recorded for that folder, and the system's scheduler could not be asked \(.+\): nothing to remove\n$/)
    // A crontab that is there and refuses is told, not taken for "nothing to remove".
    await writeFile(join(work, 'bin', 'crontab'), '#!/bin/sh\necho "crontab: permission denied" >&2\nexit 1\n', { mode: 0o755 })
    const refused = await runCli(['schedule', 'remove', archive], bare)
    expect(refused.code).toBe(4)
    expect(refused.stderr).toContain('crontab: permission denied')
    await rm(join(work, 'bin', 'crontab'))
    // One that was recorded still fails loudly when its scheduler cannot be reached.
    expect((await runCli(['schedule', 'install', archive], env)).code).toBe(0)
    expect((await runCli(['schedule', 'remove', archive], { ...bare, FAKE_SYSTEMD_EXIT: '0', PATH: '/nonexistent' })).code).toBe(4)
  })

  it_('names the scheduler\'s refusal by its code, and a damaged schedules.json before any job is registered', async () => {
    env.FAKE_ENABLE_EXIT = '1'
    const refused = await runCli(['schedule', 'install', archive], env)
    // Named, so stopped (4) as the README's table says, not the 1 of an unexpected error.
    expect(refused.code).toBe(4)
    expect(refused.stderr).toMatch(/^ccc-recordings: Schedule\.Refused: systemctl --user enable --now .* failed \(exit 1\)/)
    delete env.FAKE_ENABLE_EXIT

    await mkdir(env.CCC_RECORDINGS_CONFIG_DIR!, { recursive: true })
    const record = join(env.CCC_RECORDINGS_CONFIG_DIR!, 'schedules.json')
    await writeFile(record, '[{"name": "x", "dir": ')
    await rm(join(env.HOME!, 'systemctl.log'), { force: true })
    const r = await runCli(['schedule', 'install', archive], env)
    expect(r.code).toBe(4)
    expect(r.stderr).toContain(`Schedules.Damaged: ${record} is damaged`)
    await expect(readFile(join(env.HOME!, 'systemctl.log'), 'utf8')).rejects.toThrow(/ENOENT/)
    expect(await readFile(record, 'utf8')).toBe('[{"name": "x", "dir": ')
    await writeFile(record, '[{"dir": "/a"}]')
    expect((await runCli(['schedule', 'list'], env)).stderr).toContain('entry 1 has no name or folder')
  })

  it_('refuses a sync whose mark is later than now, which every night would refuse (exit 2), installing nothing', async () => {
    const settingsFile = join(archive, '.ccc-recordings', 'sync.json')
    const settings = JSON.parse(await readFile(settingsFile, 'utf8')) as object
    await writeFile(settingsFile, JSON.stringify({ ...settings, mark: '2999-01-01T00:00:00.000Z' }))
    const r = await runCli(['schedule', 'install', archive], env)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('has "mark" 2999-01-01T00:00:00.000Z, later than now')
    expect((await runCli(['schedule', 'list'], env)).stdout).toBe('No scheduled syncs\n')
  })

  it_('refuses a folder with no sync yet, or one whose sync has no profile for the keychain (exit 2)', async () => {
    const bare = join(work, 'bare')
    expect((await runCli(['schedule', 'install', bare], env)).stderr).toMatch(/no sync settings yet/)
    // A names list's export can never become a sync: said now, not by the first sync refused there.
    const list = join(work, 'list')
    await mkdir(join(list, '.ccc-recordings'), { recursive: true })
    const header = { type: 'export', version: 1, id: 'x', createdAt: '2026-01-01T00:00:00.000Z', instanceId: 'inst', source: { kind: 'names' }, options: { concurrency: 2, layout: 'flat', maxBytesPerSecond: null } }
    await writeFile(join(list, '.ccc-recordings', 'journal.jsonl'), `${JSON.stringify(header)}\n`)
    const names = await runCli(['schedule', 'install', list], env)
    expect(names.code).toBe(2)
    expect(names.stderr).toContain(`${list} holds an export of a list of file names; a sync keeps a date range up to date: run "ccc-recordings sync <another folder>`)
    const settingsFile = join(archive, '.ccc-recordings', 'sync.json')
    const settings = JSON.parse(await readFile(settingsFile, 'utf8')) as { connection: Record<string, string> }
    delete settings.connection.profile
    await writeFile(settingsFile, JSON.stringify(settings))
    const r = await runCli(['schedule', 'install', archive], env)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/keychain/)
    expect((await runCli(['schedule', 'install', archive, '--at', '7pm'], env)).code).toBe(2)
  })
})
