import { CONFIG_DIR_ENV } from '../credentials/config-dir.ts'
import type { SyncJob } from './sync-job.ts'

/** One ExecStart word: quoted, with systemd's specifiers (%) and variables ($) taken literally. */
export function systemdWord(arg: string): string {
  return `"${arg.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%').replace(/\$/g, '$$$$')}"`
}

/**
 * One Environment= assignment, quoted whole (a space would split it): C escapes for a backslash
 * and a quote, %% for specifiers; `$` stays as it is, because Environment= expands no variables (systemd.exec(5)).
 */
export function systemdAssignment(name: string, value: string): string {
  return `"${`${name}=${value}`.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%')}"`
}

const text = (s: string) => s.replace(/%/g, '%%')

/** `<name>.service`: one sync run, to its end. */
export function serviceUnit(job: SyncJob): string {
  return [
    '[Unit]',
    `Description=ccc-recordings sync of ${text(job.dir)}`,
    `X-CccRecordings-Dir=${text(job.dir)}`,
    '',
    '[Service]',
    'Type=oneshot',
    ...(job.configDir === undefined ? [] : [`Environment=${systemdAssignment(CONFIG_DIR_ENV, job.configDir)}`]),
    `ExecStart=${job.argv.map(systemdWord).join(' ')}`,
    // The log is the job's own file (sync --log); the journal keeps a copy of what it says.
    'Nice=10',
    '',
  ].join('\n')
}

/** `<name>.timer`: daily at the local time; a night the machine was off runs when it is next on. */
export function timerUnit(job: SyncJob): string {
  const hh = String(job.hour).padStart(2, '0')
  const mm = String(job.minute).padStart(2, '0')
  return [
    '[Unit]',
    `Description=Nightly ccc-recordings sync of ${text(job.dir)}`,
    '',
    '[Timer]',
    `OnCalendar=*-*-* ${hh}:${mm}:00`,
    'Persistent=true',
    `Unit=${job.name}.service`,
    '',
    '[Install]',
    'WantedBy=timers.target',
    '',
  ].join('\n')
}
