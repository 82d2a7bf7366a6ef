import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { CccError } from '../../common/errors.ts'
import { replaceFile } from '../atomic-file.ts'
import { type JobKind, jobKind, registerJob, ScheduleError, type SchedulerHost, unregisterJob } from './os-jobs.ts'
import { checkPrintable, jobName, type SyncJob, withConfigDir } from './sync-job.ts'

/** What `schedule list` shows: each installed job, as install recorded it (schedules.json in the config folder). */
export interface ScheduleEntry {
  readonly name: string
  readonly dir: string
  readonly at: string
  readonly kind: JobKind
  readonly files: readonly string[]
  readonly logFile: string
}

const FILE = 'schedules.json'

export async function listSchedules(configDir: string): Promise<ScheduleEntry[]> {
  const file = join(configDir, FILE)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw e
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (e) {
    throw damaged(file, (e as Error).message)
  }
  if (!Array.isArray(parsed)) throw damaged(file, 'it does not hold a list of schedules')
  const bad = parsed.findIndex((e: Partial<ScheduleEntry> | null) => typeof e?.name !== 'string' || typeof e.dir !== 'string')
  if (bad >= 0) throw damaged(file, `entry ${bad + 1} has no name or folder`)
  return parsed as ScheduleEntry[]
}

// Left unchanged on disk: install and remove refuse rather than overwrite what the user may repair.
function damaged(file: string, why: string): CccError {
  return new CccError({ code: 'Schedules.Damaged', message: `${file} is damaged: ${why}` })
}

async function saveSchedules(configDir: string, entries: readonly ScheduleEntry[]): Promise<void> {
  await mkdir(configDir, { recursive: true })
  await replaceFile(join(configDir, FILE), [`${JSON.stringify(entries, null, 2)}\n`])
}

/**
 * Registers the folder's job with the OS (replacing one it had) and records it. A job installed
 * with CCC_RECORDINGS_CONFIG_DIR set runs with it too, the app's as well as the CLI's: the job
 * must find its profile in the folder this record goes to.
 */
export async function installSchedule(host: SchedulerHost, configDir: string, given: SyncJob): Promise<ScheduleEntry> {
  const job = withConfigDir(given, host.env, configDir)
  // The caller checked the job it built, which may not have held the folder yet.
  checkPrintable(job)
  // Read first: a damaged record must stop us before the OS holds a job we could not record.
  const others = (await listSchedules(configDir)).filter((e) => e.name !== job.name)
  const kind = await jobKind(host)
  await mkdir(join(job.logFile, '..'), { recursive: true })
  const files = await registerJob(host, kind, job)
  const at = `${String(job.hour).padStart(2, '0')}:${String(job.minute).padStart(2, '0')}`
  const entry: ScheduleEntry = { name: job.name, dir: job.dir, at, kind, files, logFile: job.logFile }
  await saveSchedules(configDir, [...others, entry])
  return entry
}

/** Unregisters the folder's job, with the kind install used (or what the OS has now when unrecorded). */
/** What `removeSchedule` did: the job recorded for the folder, or none, and then whether the system could even be asked. */
export type Removed = { readonly entry: ScheduleEntry; readonly unasked?: undefined } | { readonly entry?: undefined; readonly unasked?: string }

export async function removeSchedule(host: SchedulerHost, configDir: string, dir: string): Promise<Removed> {
  const name = jobName(dir)
  const entries = await listSchedules(configDir)
  const entry = entries.find((e) => e.name === name)
  if (entry) {
    await unregisterJob(host, entry.kind, name)
    await saveSchedules(configDir, entries.filter((e) => e.name !== name))
    return { entry }
  }
  // Nothing recorded: a job left under the folder's name is still removed, but a scheduler that
  // is not there at all (no crontab on a server) holds none of ours, and that is no failure. A
  // scheduler that is there and refuses is told, as ever.
  try {
    await unregisterJob(host, await jobKind(host), name)
    return {}
  } catch (e) {
    if (e instanceof ScheduleError && e.toolMissing) return { unasked: e.message }
    throw e
  }
}
