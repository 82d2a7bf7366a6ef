import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { jobName } from '../../main/engine/schedule/sync-job.ts'
import { skipReason, titled } from '../requirement.ts'
import { runCli } from './run-cli.ts'

/**
 * `schedule install` against a real systemd user manager, private to this test: its own HOME and
 * XDG_RUNTIME_DIR in a temp folder, so the machine's own manager (if any) and units are never touched.
 *
 * systemd refuses to run `--user` unless the machine was booted with it (it checks that
 * /run/systemd/system exists), which a container is not. So the manager starts in a mount namespace
 * of its own where a tmpfs over /run carries that directory: the host's /run is unchanged, and the
 * manager's sockets live in the test's XDG_RUNTIME_DIR, which `systemctl --user` outside reaches.
 */
const SYSTEMD = ['/lib/systemd/systemd', '/usr/lib/systemd/systemd'].find((p) => existsSync(p))
const BOUND_MS = 15_000

interface Manager {
  child: ChildProcess
  work: string
  env: Record<string, string>
  exited: Promise<void>
}

function run(cmd: string, args: readonly string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env, timeout: BOUND_MS }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1
      resolve({ code, stdout, stderr: stderr || (err?.message ?? '') })
    })
  })
}

async function startManager(): Promise<Manager | string> {
  if (process.platform !== 'linux') return 'systemd timers are Linux only'
  if (SYSTEMD === undefined) return 'no systemd binary (apt-get install systemd)'
  if (process.getuid?.() !== 0) return skipReason('root', 'a private systemd user manager needs a mount namespace of its own, which needs root') ?? ''
  const work = await mkdtemp(join(tmpdir(), 'sd-'))
  const runtime = join(work, 'run')
  await mkdir(runtime, { mode: 0o700 })
  await mkdir(join(work, 'home'))
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: join(work, 'home'), XDG_RUNTIME_DIR: runtime, LANG: 'C.UTF-8' }
  const script = `mount -t tmpfs tmpfs /run && mkdir -p /run/systemd/system && exec "${SYSTEMD}" --user`
  const child = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d))
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d))
  let gone: string | null = null
  const exited = new Promise<void>((resolve) => {
    child.once('error', (e) => ((gone = e.message), resolve()))
    child.once('exit', (code, signal) => ((gone = `exit ${code ?? signal}`), resolve()))
  })
  const manager: Manager = { child, work, env, exited }
  // Ready when systemctl --user gets an answer through the private socket; bounded, not slept on.
  const until = Date.now() + BOUND_MS
  let last = ''
  while (Date.now() < until) {
    if (gone !== null) break
    const r = await run('systemctl', ['--user', 'show-environment'], env)
    if (r.code === 0) return manager
    last = r.stderr.trim()
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  await stopManager(manager)
  const why = (output.trim().split('\n').pop() ?? '') || last || 'it did not answer'
  return `no systemd user manager can start here: ${why}${gone === null ? '' : ` (${gone})`}`
}

async function stopManager(m: Manager): Promise<void> {
  // `systemctl --user exit` ends the manager and every process it started; a kill only if it will not.
  if (m.child.exitCode === null && m.child.signalCode === null) {
    await run('systemctl', ['--user', 'exit'], m.env)
    const timer = setTimeout(() => m.child.kill('SIGKILL'), BOUND_MS)
    await m.exited
    clearTimeout(timer)
  }
  await rm(m.work, { recursive: true, force: true })
}

const started = await startManager()
const manager = typeof started === 'string' ? null : started
const reason = typeof started === 'string' ? started : null
afterAll(async () => {
  if (manager !== null) await stopManager(manager)
})

describe.skipIf(manager === null)(titled('ccc-recordings schedule against a private systemd --user', reason), () => {
  it('install registers a user timer that list-timers shows and is enabled; remove unregisters it', async () => {
    const m = manager!
    const env = { ...m.env, CCC_RECORDINGS_CONFIG_DIR: join(m.work, 'config') }
    const archive = join(m.work, 'archive 100%')
    await mkdir(join(archive, '.ccc-recordings'), { recursive: true })
    const settings = { version: 1, connection: { instanceId: 'inst', profile: 'night' }, filters: {}, options: {}, since: '2024-01-01T00:00:00.000Z', mark: null, overlapMs: 7200000, marginMs: 900000 }
    await writeFile(join(archive, '.ccc-recordings', 'sync.json'), JSON.stringify(settings))
    const name = jobName(archive)
    const timer = `${name}.timer`

    const r = await runCli(['schedule', 'install', archive, '--at', '03:30'], env)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`systemd job ${name}`)
    expect((await run('systemctl', ['--user', 'is-enabled', timer], env)).stdout.trim()).toBe('enabled')
    expect((await run('systemctl', ['--user', 'is-active', timer], env)).stdout.trim()).toBe('active')
    const timers = await run('systemctl', ['--user', 'list-timers', '--all', '--no-pager', '--no-legend'], env)
    const line = timers.stdout.split('\n').find((l) => l.includes(timer))
    expect(line, timers.stdout).toBeDefined()
    // The next run is at 03:30 local time, as asked (the manager has the test's own TZ).
    expect(line).toMatch(/ 03:30:00 /)
    expect(line).toContain(`${name}.service`)
    expect((await runCli(['schedule', 'list'], env)).stdout).toContain(`03:30  systemd  ${name}  ${archive}`)

    const removed = await runCli(['schedule', 'remove', archive], env)
    expect(removed.stderr).toBe('')
    expect(removed.code).toBe(0)
    const enabled = await run('systemctl', ['--user', 'is-enabled', timer], env)
    expect(enabled.code).not.toBe(0)
    expect((await run('systemctl', ['--user', 'is-active', timer], env)).stdout.trim()).toBe('inactive')
    expect((await run('systemctl', ['--user', 'list-timers', '--all', '--no-pager', '--no-legend'], env)).stdout).not.toContain(timer)
    expect((await runCli(['schedule', 'list'], env)).stdout).toBe('No scheduled syncs\n')
  })

  it('a job installed with CCC_RECORDINGS_CONFIG_DIR runs with it: the manager reads the Environment= line back whole', async () => {
    const m = manager!
    // Everything the unit's quoting must carry: spaces, both quotes, %, $, a backslash, a non-ASCII name.
    const config = join(m.work, `con fig "Q1" it's 100% $HOME a\\b 录音`)
    await mkdir(config, { recursive: true })
    await writeFile(join(config, 'profiles.json'), JSON.stringify({ version: 1, profiles: [{ name: 'day', region: 'cn-shanghai', instanceId: 'inst', accessKeyId: 'AK1' }] }))
    const archive = join(m.work, 'archive env')
    await mkdir(join(archive, '.ccc-recordings'), { recursive: true })
    const settings = { version: 1, connection: { instanceId: 'inst', profile: 'night' }, filters: {}, options: {}, since: '2024-01-01T00:00:00.000Z', mark: null, overlapMs: 7200000, marginMs: 900000 }
    await writeFile(join(archive, '.ccc-recordings', 'sync.json'), JSON.stringify(settings))
    const name = jobName(archive)
    const env = { ...m.env, CCC_RECORDINGS_CONFIG_DIR: config }

    const r = await runCli(['schedule', 'install', archive], env)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const shown = await run('systemctl', ['--user', 'show', `${name}.service`, '--property', 'Environment', '--value'], m.env)
    // systemctl prints the assignment as a shell word; sh reads it back.
    const assignment = await run('sh', ['-c', `printf '%s' ${shown.stdout.trim()}`], m.env)
    expect(assignment.stdout).toBe(`CCC_RECORDINGS_CONFIG_DIR=${config}`)
    // Run now, as the timer would: the manager's environment has no such variable, so only the unit can give it.
    await run('systemctl', ['--user', 'start', `${name}.service`], m.env)
    const log = await readFile(join(m.env.HOME!, '.config', 'CCC Recordings', 'logs', `${name}.log`), 'utf8')
    // The job read the moved folder: its one profile is "day" (the default folder has none).
    expect(log).toContain('No profile is named "night" (profiles: "day")')
    expect((await runCli(['schedule', 'remove', archive], env)).code).toBe(0)
  })
})
