import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { CccError } from '../../common/errors.ts'
import type { CommandRunner } from './command-runner.ts'
import { withCronLine, withoutCronLine } from './cron-line.ts'
import { launchdLabel, launchdPlist } from './launchd-plist.ts'
import type { SyncJob } from './sync-job.ts'
import { serviceUnit, timerUnit } from './systemd-units.ts'
import { taskXmlBytes } from './windows-task.ts'

/** Where the OS is, and how to reach its tools: tests give a temp HOME and a PATH of their own. */
export interface SchedulerHost {
  readonly platform: NodeJS.Platform
  readonly home: string
  readonly env: Readonly<Record<string, string | undefined>>
  readonly runner: CommandRunner
  readonly uid?: number
  /** Where a Windows task file is written before schtasks reads it. */
  readonly tempDir: string
}

export type JobKind = 'systemd' | 'cron' | 'launchd' | 'schtasks'

/** The OS's own tool refused: its words, for the user, under a code the app can explain. */
export class ScheduleError extends CccError {
  constructor(
    message: string,
    /** The tool's exit code; 127 when it is not there at all (command-runner.ts). */
    readonly exitCode?: number,
  ) {
    super({ code: 'Schedule.Refused', message })
  }

  get toolMissing(): boolean {
    return this.exitCode === 127
  }
}

async function must(host: SchedulerHost, command: string, args: readonly string[], input?: string): Promise<string> {
  const r = await host.runner.run(command, args, input)
  if (r.code !== 0) throw new ScheduleError(`${command} ${args.join(' ')} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim()}`, r.code)
  return r.stdout
}

/** Linux: systemd's user manager when `systemctl --user` answers, else cron. */
export async function jobKind(host: SchedulerHost): Promise<JobKind> {
  if (host.platform === 'darwin') return 'launchd'
  if (host.platform === 'win32') return 'schtasks'
  const r = await host.runner.run('systemctl', ['--user', 'show-environment'])
  return r.code === 0 ? 'systemd' : 'cron'
}

export const systemdUserDir = (host: SchedulerHost): string => join(host.env.XDG_CONFIG_HOME ?? join(host.home, '.config'), 'systemd', 'user')
const plistPath = (host: SchedulerHost, name: string) => join(host.home, 'Library', 'LaunchAgents', `${launchdLabel(name)}.plist`)

/** Writes the job's file(s) and registers them; returns the files written. */
export async function registerJob(host: SchedulerHost, kind: JobKind, job: SyncJob): Promise<string[]> {
  switch (kind) {
    case 'systemd': {
      const dir = systemdUserDir(host)
      await mkdir(dir, { recursive: true })
      const files = [join(dir, `${job.name}.service`), join(dir, `${job.name}.timer`)]
      await writeFile(files[0]!, serviceUnit(job))
      await writeFile(files[1]!, timerUnit(job))
      await must(host, 'systemctl', ['--user', 'daemon-reload'])
      await must(host, 'systemctl', ['--user', 'enable', '--now', `${job.name}.timer`])
      return files
    }
    case 'cron':
      await must(host, 'crontab', ['-'], withCronLine(await currentCrontab(host), job))
      return []
    case 'launchd': {
      const file = plistPath(host, job.name)
      await mkdir(join(host.home, 'Library', 'LaunchAgents'), { recursive: true })
      await writeFile(file, launchdPlist(job))
      // A job of the same label loaded before: replaced, not doubled.
      await host.runner.run('launchctl', ['bootout', `gui/${host.uid}/${launchdLabel(job.name)}`])
      await must(host, 'launchctl', ['bootstrap', `gui/${host.uid}`, file])
      return [file]
    }
    case 'schtasks': {
      const file = join(host.tempDir, `${job.name}.xml`)
      await writeFile(file, taskXmlBytes(job))
      try {
        await must(host, 'schtasks', ['/Create', '/TN', job.name, '/XML', file, '/F'])
      } finally {
        await rm(file, { force: true })
      }
      return []
    }
  }
}

/** Unregisters the job and removes its files; a job already gone is not an error. */
export async function unregisterJob(host: SchedulerHost, kind: JobKind, name: string): Promise<void> {
  switch (kind) {
    case 'systemd': {
      await host.runner.run('systemctl', ['--user', 'disable', '--now', `${name}.timer`])
      for (const ext of ['service', 'timer']) await rm(join(systemdUserDir(host), `${name}.${ext}`), { force: true })
      await must(host, 'systemctl', ['--user', 'daemon-reload'])
      return
    }
    case 'cron': {
      const now = await currentCrontab(host)
      const next = withoutCronLine(now, name)
      if (next !== now) await must(host, 'crontab', ['-'], next)
      return
    }
    case 'launchd':
      await host.runner.run('launchctl', ['bootout', `gui/${host.uid}/${launchdLabel(name)}`])
      await rm(plistPath(host, name), { force: true })
      return
    case 'schtasks': {
      const r = await host.runner.run('schtasks', ['/Delete', '/TN', name, '/F'])
      if (r.code !== 0 && !/cannot find|找不到/i.test(r.stderr)) throw new ScheduleError(`schtasks /Delete failed: ${r.stderr.trim()}`)
      return
    }
  }
}

/** The user's crontab; none yet reads as empty ("no crontab for <user>", exit 1). */
async function currentCrontab(host: SchedulerHost): Promise<string> {
  const r = await host.runner.run('crontab', ['-l'])
  if (r.code === 0) return r.stdout
  if (/no crontab/i.test(r.stderr)) return ''
  // Cron is the fallback: without it too, the computer has no scheduler this can use.
  if (r.code === 127) {
    throw new ScheduleError(
      "neither systemd's user manager (systemctl --user) nor cron (crontab) answers on this computer: install cron (apt install cron) or run in a session with a user systemd, then install the schedule again",
      r.code,
    )
  }
  throw new ScheduleError(`crontab -l failed (exit ${r.code}): ${r.stderr.trim()}`, r.code)
}
