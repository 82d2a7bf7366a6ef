import { createHash } from 'node:crypto'
import { join, isAbsolute } from 'node:path'
import { CONFIG_DIR_ENV } from '../credentials/config-dir.ts'

/** What a scheduled sync runs, and when: each OS's file is made from this alone. */
export interface SyncJob {
  /** `ccc-recordings-sync-<8 hex of the folder>`: one job per folder, found again by name. */
  readonly name: string
  readonly dir: string
  readonly hour: number
  readonly minute: number
  /** The program and its arguments: node, the bin, `sync <dir> --log <file>`. No secret: the profile's is in the keychain. */
  readonly argv: readonly string[]
  readonly logFile: string
  /** What the OS catches of the process itself (a crash before sync's log opens), where the OS can catch it. */
  readonly outFile: string
  /**
   * The settings folder that CCC_RECORDINGS_CONFIG_DIR moved at install, absolute: the job runs
   * with the variable set to it, since no scheduler passes on the environment install ran in, and
   * without it the job looks for its profile in the default folder. A path, never a secret.
   */
  readonly configDir?: string
}

export const JOB_PREFIX = 'ccc-recordings-sync-'

export function jobName(dir: string): string {
  return `${JOB_PREFIX}${createHash('sha256').update(dir).digest('hex').slice(0, 8)}`
}

/** `02:00` → hour and minute, local time. */
export function parseAt(text: string): { hour: number; minute: number } {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim())
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) throw new RangeError(`"${text}" is not a time of day; write it like 02:00`)
  return { hour: Number(m[1]), minute: Number(m[2]) }
}

/** The app's log folder (README, "Where things are"): the job's log goes beside the app's. */
export function logDir(platform: NodeJS.Platform, env: Readonly<Record<string, string | undefined>>, home: string): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'CCC Recordings', 'logs')
  if (platform === 'darwin') return join(home, 'Library', 'Logs', 'CCC Recordings')
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'CCC Recordings', 'logs')
}

/** The job for `dir` at a local time; its log is `<logs>/<name>.log` (sync --log), the OS's capture `<name>.out.log`. */
export function syncJob(dir: string, at: { hour: number; minute: number }, program: readonly string[], logs: string): SyncJob {
  const name = jobName(dir)
  const logFile = join(logs, `${name}.log`)
  return { name, dir, ...at, argv: [...program, 'sync', dir, '--log', logFile], logFile, outFile: join(logs, `${name}.out.log`) }
}

/**
 * The job told of the settings folder when `env` moved it (`configDir` is that folder, as install
 * resolved it); unchanged otherwise, so a job installed without the variable stays as it was.
 * XDG_CONFIG_HOME moves it too on Linux, and cron and a systemd user manager do not have the
 * shell's value: the job gets the folder as our own variable.
 */
export function withConfigDir(
  job: SyncJob,
  env: Readonly<Record<string, string | undefined>>,
  configDir: string,
  platform: NodeJS.Platform = process.platform,
): SyncJob {
  const xdg = platform !== 'win32' && platform !== 'darwin' && env.XDG_CONFIG_HOME !== undefined && isAbsolute(env.XDG_CONFIG_HOME)
  return env[CONFIG_DIR_ENV] || xdg ? { ...job, configDir } : job
}

/** Folders and paths go into files other programs parse: a control character there is refused, not escaped. */
export function checkPrintable(job: SyncJob): void {
  for (const arg of [...job.argv, ...(job.configDir === undefined ? [] : [job.configDir])]) {
    if (/[\u0000-\u001f\u007f]/.test(arg)) throw new RangeError(`"${arg}" holds a control character; a scheduled job cannot carry it`)
  }
}
