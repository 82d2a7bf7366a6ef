import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { replaceFile } from '../export/replace-file.ts'
import { type JobKind, jobKind, registerJob, type SchedulerHost, unregisterJob } from './os-jobs.ts'
import { jobName, type SyncJob } from './sync-job.ts'

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
  try {
    const parsed = JSON.parse(await readFile(join(configDir, FILE), 'utf8')) as unknown
    return Array.isArray(parsed) ? (parsed as ScheduleEntry[]) : []
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw e
  }
}

async function saveSchedules(configDir: string, entries: readonly ScheduleEntry[]): Promise<void> {
  await mkdir(configDir, { recursive: true })
  await replaceFile(join(configDir, FILE), [`${JSON.stringify(entries, null, 2)}\n`])
}

/** Registers the folder's job with the OS (replacing one it had) and records it. */
export async function installSchedule(host: SchedulerHost, configDir: string, job: SyncJob): Promise<ScheduleEntry> {
  const kind = await jobKind(host)
  await mkdir(join(job.logFile, '..'), { recursive: true })
  const files = await registerJob(host, kind, job)
  const at = `${String(job.hour).padStart(2, '0')}:${String(job.minute).padStart(2, '0')}`
  const entry: ScheduleEntry = { name: job.name, dir: job.dir, at, kind, files, logFile: job.logFile }
  const others = (await listSchedules(configDir)).filter((e) => e.name !== job.name)
  await saveSchedules(configDir, [...others, entry])
  return entry
}

/** Unregisters the folder's job, with the kind install used (or what the OS has now when unrecorded). */
export async function removeSchedule(host: SchedulerHost, configDir: string, dir: string): Promise<ScheduleEntry | undefined> {
  const name = jobName(dir)
  const entries = await listSchedules(configDir)
  const entry = entries.find((e) => e.name === name)
  await unregisterJob(host, entry?.kind ?? (await jobKind(host)), name)
  await saveSchedules(configDir, entries.filter((e) => e.name !== name))
  return entry
}
