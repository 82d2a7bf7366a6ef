import { CONFIG_DIR_ENV } from '../credentials/config-dir.ts'
import type { SyncJob } from './sync-job.ts'

/** One word for /bin/sh, and `%` escaped: cron turns a bare one into a line break. */
export function shellWord(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`.replace(/%/g, '\\%')
}

const marker = (name: string) => `# ${name}`

/**
 * The crontab line: the job, its output appended to the log, and a marker that names it. The
 * settings folder is an assignment before the command, for that command alone: a `NAME=value`
 * line of crontab's own would reach every job after it, and not every cron reads one.
 */
export function cronLine(job: SyncJob): string {
  const env = job.configDir === undefined ? '' : `${CONFIG_DIR_ENV}=${shellWord(job.configDir)} `
  return `${job.minute} ${job.hour} * * * ${env}${job.argv.map(shellWord).join(' ')} >>${shellWord(job.outFile)} 2>&1 ${marker(job.name)}`
}

/** The user's crontab with this job's line put in (replacing an older one); every other line kept. */
export function withCronLine(crontab: string, job: SyncJob): string {
  return `${[...withoutLine(crontab, job.name), cronLine(job)].join('\n')}\n`
}

export function withoutCronLine(crontab: string, name: string): string {
  const kept = withoutLine(crontab, name)
  return kept.length === 0 ? '' : `${kept.join('\n')}\n`
}

function withoutLine(crontab: string, name: string): string[] {
  return crontab.split('\n').filter((line) => line !== '' && !line.endsWith(` ${marker(name)}`))
}
