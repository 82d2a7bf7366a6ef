import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { jobName } from '../../main/engine/schedule/sync-job.ts'
import { installFakeSchedulers } from '../fake-schedulers.ts'
import { BIN } from './run-cli.ts'

/**
 * The reviewer's case: `sync --profile night` and `schedule install` with CCC_RECORDINGS_CONFIG_DIR
 * set, then the job run as cron runs it, without the variable. The real bin installs against the
 * stand-in crontab and systemctl (test/fake-schedulers.ts); the installed line then runs in the real
 * /bin/sh, and the job's own log says which settings folder it read.
 */
const VAR = 'CCC_RECORDINGS_CONFIG_DIR'
let work: string
let env: Record<string, string>
let archive: string
let home: string

function cli(args: readonly string[], extra: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // From `work`, so a relative CCC_RECORDINGS_CONFIG_DIR is read against it.
    execFile(process.execPath, [BIN, ...args], { cwd: work, env: { ...env, ...extra } }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr })
    })
  })
}

beforeEach(async () => {
  work = await realpath(await mkdtemp(join(tmpdir(), 'cli-schedule-config-')))
  home = join(work, 'home')
  await mkdir(home)
  await installFakeSchedulers(join(work, 'bin'))
  env = { PATH: `${join(work, 'bin')}:/usr/bin:/bin`, HOME: home }
  archive = join(work, 'archive')
  await mkdir(join(archive, '.ccc-recordings'), { recursive: true })
  const settings = { version: 1, connection: { instanceId: 'inst', profile: 'night' }, filters: {}, options: {}, since: '2024-01-01T00:00:00.000Z', mark: null, overlapMs: 7200000, marginMs: 900000 }
  await writeFile(join(archive, '.ccc-recordings', 'sync.json'), JSON.stringify(settings))
})
afterEach(() => rm(work, { recursive: true, force: true }))

/** A settings folder whose one profile is "day": a job that reads it says so when it looks for "night". */
async function settingsFolder(path: string): Promise<void> {
  await mkdir(path, { recursive: true })
  await writeFile(join(path, 'profiles.json'), JSON.stringify({ version: 1, profiles: [{ name: 'day', region: 'cn-shanghai', instanceId: 'inst', accessKeyId: 'AK1' }] }))
}

const it_ = process.platform === 'linux' ? it : it.skip

describe('schedule install with CCC_RECORDINGS_CONFIG_DIR', () => {
  it_('the crontab line runs the job, in /bin/sh without the variable, with the folder made absolute', async () => {
    const relative = 'my config 100% 录音'
    const config = join(work, relative)
    await settingsFolder(config)
    const r = await cli(['schedule', 'install', archive], { [VAR]: relative, FAKE_SYSTEMD_EXIT: '1' })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`  with ${VAR}=${config}\n`)
    const name = jobName(archive)
    const line = (await readFile(join(home, 'crontab.txt'), 'utf8')).split('\n').find((l) => l.endsWith(`# ${name}`))!
    expect(line.startsWith(`0 2 * * * ${VAR}='${config.replace('%', '\\%')}' '${process.execPath}' `)).toBe(true)
    // The record went to the moved folder, as before.
    expect(JSON.parse(await readFile(join(config, 'schedules.json'), 'utf8'))).toMatchObject([{ name, dir: archive, kind: 'cron' }])

    // As cron runs it: what follows the time fields, `\%` made `%`, from another folder, no variable.
    const command = line.replace(/^(\S+ ){5}/, '').replace(/\\%/g, '%')
    const job = await new Promise<number>((resolve) => execFile('/bin/sh', ['-c', command], { cwd: '/', env: { PATH: '/usr/bin:/bin', HOME: home } }, (err) => resolve(err === null ? 0 : Number(err.code))))
    expect(job).toBe(2)
    const log = await readFile(join(home, '.config', 'CCC Recordings', 'logs', `${name}.log`), 'utf8')
    expect(log).toContain('No profile is named "night" (profiles: "day")')
  })

  it_('the systemd service carries it in an Environment= line', async () => {
    const config = join(work, 'con fig 100%')
    const r = await cli(['schedule', 'install', archive], { [VAR]: config })
    expect(r.code).toBe(0)
    const service = await readFile(join(home, '.config', 'systemd', 'user', `${jobName(archive)}.service`), 'utf8')
    expect(service).toContain(`\nEnvironment="${VAR}=${config.replace('%', '%%')}"\nExecStart="${process.execPath}" `)
  })

  it_('without the variable (or with it empty), the job is as it always was', async () => {
    for (const extra of [{}, { [VAR]: '' }] as Record<string, string>[]) {
      const r = await cli(['schedule', 'install', archive], { ...extra, FAKE_SYSTEMD_EXIT: '1' })
      expect(r.code).toBe(0)
      expect(r.stdout).not.toContain(VAR)
      const line = (await readFile(join(home, 'crontab.txt'), 'utf8')).trimEnd()
      expect(line).toBe(`0 2 * * * '${process.execPath}' '${BIN}' 'sync' '${archive}' '--log' '${home}/.config/CCC Recordings/logs/${jobName(archive)}.log' >>'${home}/.config/CCC Recordings/logs/${jobName(archive)}.out.log' 2>&1 # ${jobName(archive)}`)
      const ok = await cli(['schedule', 'install', archive], extra)
      expect(ok.code).toBe(0)
      expect(await readFile(join(home, '.config', 'systemd', 'user', `${jobName(archive)}.service`), 'utf8')).not.toContain('Environment=')
    }
  })
})
