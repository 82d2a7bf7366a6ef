import { readExportHeader } from '../engine/export/journal.ts'
import { describeSource } from '../engine/export/listing.ts'
import { homedir, tmpdir } from 'node:os'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CONFIG_DIR_ENV, configDir } from '../engine/credentials/config-dir.ts'
import { processRunner } from '../engine/schedule/command-runner.ts'
import type { SchedulerHost } from '../engine/schedule/os-jobs.ts'
import { terminalSafe } from '../common/terminal-text.ts'
import { installSchedule, listSchedules, removeSchedule } from '../engine/schedule/schedules.ts'
import { checkPrintable, logDir, parseAt, syncJob, withConfigDir } from '../engine/schedule/sync-job.ts'
import { checkMark, readSyncSettings } from '../engine/sync/sync-settings.ts'
import { parse } from './args.ts'
import { EXIT, UsageError } from './exit-codes.ts'
import type { CliIo } from './io.ts'

export const SCHEDULE_USAGE = 'ccc-recordings schedule install <dir> [--at 02:00] | schedule list [--json] | schedule remove <dir>'

const BIN = fileURLToPath(new URL('../../bin/ccc-recordings.js', import.meta.url))

const OPTIONS = { at: { type: 'string' }, json: { type: 'boolean' } } as const
const ACTION_FLAGS: Readonly<Record<'install' | 'list' | 'remove', readonly (keyof typeof OPTIONS)[]>> = { install: ['at'], list: ['json'], remove: [] }

/**
 * `schedule install|list|remove`: the OS's own scheduler runs `sync <dir>` nightly (systemd user
 * timer or cron on Linux, a launchd agent on macOS, Task Scheduler on Windows); we invent none.
 */
export async function scheduleCommand(args: readonly string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args
  if (action !== 'install' && action !== 'list' && action !== 'remove') {
    throw new UsageError(`schedule wants install, list or remove${action === undefined ? '' : `, not "${action}"`}; usage: ${SCHEDULE_USAGE}`)
  }
  const { values, positionals } = parse(rest, OPTIONS, { min: action === 'list' ? 0 : 1, max: action === 'list' ? 0 : 1, usage: SCHEDULE_USAGE })
  // Each action's own flags: one that does not apply is refused, not passed over without a word.
  const stray = (Object.keys(OPTIONS) as (keyof typeof OPTIONS)[]).filter((f) => values[f] !== undefined && !ACTION_FLAGS[action].includes(f))
  if (stray.length > 0) throw new UsageError(`${stray.map((f) => `--${f}`).join(', ')} does not go with schedule ${action}; usage: ${SCHEDULE_USAGE}`)
  const host = hostOf(io)
  const config = configDir(io.env)
  // A scheduler's refusal (Schedule.Refused) and a damaged record reach the user by their catalog codes.
  switch (action) {
    case 'install':
      return await install(host, config, resolve(io.cwd, positionals[0]!), values.at ?? '02:00', io)
    case 'remove': {
      const { entry, unasked } = await removeSchedule(host, config, resolve(io.cwd, positionals[0]!))
      io.stdout.write(
        entry
          ? `Removed the ${entry.kind} job ${entry.name} (${entry.dir})\n`
          : unasked === undefined
            ? 'No job of ours was recorded for that folder; removed whatever the system had under its name\n'
            : `No job of ours was recorded for that folder, and the system's scheduler could not be asked (${terminalSafe(unasked)}): nothing to remove\n`,
      )
      return EXIT.ok
    }
    case 'list': {
      const entries = await listSchedules(config)
      if (values.json) io.stdout.write(`${JSON.stringify(entries)}\n`)
      else if (entries.length === 0) io.stdout.write('No scheduled syncs\n')
      else for (const e of entries) io.stdout.write(`${e.at}  ${e.kind}  ${e.name}  ${e.dir}  (log: ${e.logFile})\n`)
      return EXIT.ok
    }
  }
}

async function install(host: SchedulerHost, config: string, dir: string, atText: string, io: CliIo): Promise<number> {
  let at
  try {
    at = parseAt(atText)
  } catch (e) {
    throw new UsageError(`--at: ${(e as Error).message}`)
  }
  const settings = await readSyncSettings(dir)
  if (!settings) {
    // A folder of a names list or contact IDs cannot become a sync: say so here, not after the first sync is refused.
    const header = await readExportHeader(dir).catch(() => undefined)
    if (header && header.source.kind !== 'range') {
      throw new UsageError(`${dir} holds an export of ${describeSource(header.source)}; a sync keeps a date range up to date: run "ccc-recordings sync <another folder> --since … --profile <name>" once, then schedule that folder`)
    }
    throw new UsageError(`${dir} has no sync settings yet: run "ccc-recordings sync ${dir} --since … --profile <name>" once first`)
  }
  // A job whose every night is refused is not installed.
  checkMark(dir, settings, Date.now())
  // The job gets no secret: it must find one in the keychain, through a saved profile.
  if (!settings.connection.profile) {
    throw new UsageError(`${dir} syncs with keys from the environment; a scheduled job gets its secret from the keychain: run its first sync with --profile <name> (see "ccc-recordings profiles")`)
  }
  // Given the settings folder here too, not only by installSchedule, so a control character in it is a usage error.
  const job = withConfigDir(syncJob(dir, at, [process.execPath, BIN], logDir(host.platform, io.env, host.home)), io.env, config)
  try {
    checkPrintable(job)
  } catch (e) {
    throw new UsageError((e as Error).message)
  }
  const entry = await installSchedule(host, config, job)
  io.stdout.write(`Installed: ${entry.kind} job ${entry.name} runs "sync ${dir}" daily at ${entry.at} (local time)\n`)
  for (const f of entry.files) io.stdout.write(`  ${f}\n`)
  if (job.configDir !== undefined) io.stdout.write(`  with ${CONFIG_DIR_ENV}=${job.configDir}\n`)
  io.stdout.write(`  log: ${entry.logFile}; last result: ${dir}/.ccc-recordings/sync-last.json\n`)
  return EXIT.ok
}

function hostOf(io: CliIo): SchedulerHost {
  const home = io.env.HOME ?? io.env.USERPROFILE ?? homedir()
  const uid = process.getuid?.()
  return { platform: process.platform, home, env: io.env, runner: processRunner(io.env), tempDir: tmpdir(), ...(uid === undefined ? {} : { uid }) }
}
