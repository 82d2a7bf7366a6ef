import { resolve } from 'node:path'
import { CONCURRENCY } from '../common/export-options.ts'
import { fileLogSink } from '../engine/file-log.ts'
import type { LogSink } from '../engine/log.ts'
import { Exports } from '../engine/export/exports.ts'
import { journalExists, readExportHeader } from '../engine/export/journal.ts'
import { rangeSource, SourceError } from '../engine/import/sources.ts'
import { adoptExport } from '../engine/sync/adopt.ts'
import { finishSync, startSync } from '../engine/sync/sync-run.ts'
import { DEFAULT_MARGIN_MS, DEFAULT_OVERLAP_MS, readSyncSettings, type SyncSettings, writeSyncSettings } from '../engine/sync/sync-settings.ts'
import { firstSince } from '../engine/sync/sync-window.ts'
import { durationOption, intOption, parse } from './args.ts'
import { CALL_FLAGS, callChoices } from './call-options.ts'
import { connect, profileStore } from './connect.ts'
import { UsageError } from './exit-codes.ts'
import { cliLogger, type CliIo } from './io.ts'
import { applyMaxRate, readMaxRate } from './rate-option.ts'
import { runInTerminal } from './run-export.ts'

export const SYNC_USAGE =
  'ccc-recordings sync <dir> [--since <ISO time> | --retention-days N] [--instance <id>] [--profile <name>] [--region <id>] [--endpoint <url>] [--phone <number>] [--contact-type <type>] [--disposition <d>] [--name-template <t>] [--time-zone <zone>] [--sidecar] [--agent …] [--overlap 2h] [--margin 15m] [--concurrency N] [--max-rate <rate|"08:00,512K 18:00,off">] [--give-up-after 4h] [--log <file>] [--json]'

const OPTIONS = {
  since: { type: 'string' },
  'retention-days': { type: 'string' },
  instance: { type: 'string' },
  profile: { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
  phone: { type: 'string' },
  'contact-type': { type: 'string' },
  disposition: { type: 'string' },
  overlap: { type: 'string' },
  margin: { type: 'string' },
  concurrency: { type: 'string', short: 'c' },
  'max-rate': { type: 'string' },
  'give-up-after': { type: 'string' },
  log: { type: 'string' },
  json: { type: 'boolean' },
  ...CALL_FLAGS,
} as const

type Values = ReturnType<typeof parse<typeof OPTIONS>>['values']

/** Flags that make a folder's sync what it is: given once, on the first run, then remembered. */
const FIRST_RUN_FLAGS: readonly (keyof Values)[] = ['since', 'retention-days', 'instance', 'region', 'endpoint', 'phone', 'contact-type', 'disposition', 'overlap', 'margin', ...(Object.keys(CALL_FLAGS) as (keyof typeof CALL_FLAGS)[])]

/**
 * `sync <dir>`: keeps an archive folder up to date, one window a run (main/engine/sync). The
 * first run takes the settings from the flags and remembers them in .ccc-recordings/sync.json;
 * later runs (a nightly job) need only the folder. Exit codes as for `download`.
 */
export async function syncCommand(args: readonly string[], rawIo: CliIo): Promise<number> {
  const { values, positionals } = parse(args, OPTIONS, { min: 1, max: 1, usage: SYNC_USAGE })
  if (!values.log) return syncRun(values, positionals[0]!, rawIo)
  const log = fileLogSink(resolve(rawIo.cwd, values.log))
  try {
    return await syncRun(values, positionals[0]!, teeToLog(rawIo, log))
  } catch (e) {
    // A nightly run's failure (no credentials, a damaged sync.json) must be in its log, not only on a stderr nobody reads.
    log('error', `sync failed: ${e instanceof Error ? e.message : String(e)}`)
    throw e
  }
}

async function syncRun(values: Values, folder: string, io: CliIo): Promise<number> {
  const dir = resolve(io.cwd, folder)
  const now = Date.now()
  const saved = await readSyncSettings(dir)
  if (saved) refuseFirstRunFlags(values)
  // A folder a `download --from/--to` made is adopted: its journal says where from and how.
  const known = saved ?? (await adoptedSettings(values, dir))
  const flags = known ? { instance: known.connection.instanceId, region: known.connection.region, endpoint: known.connection.endpoint, profile: values.profile ?? known.connection.profile } : values
  const connection = await connect(io, flags)
  const settings = known ?? (await firstSettings(values, now, connection, io))
  const maxRate = values['max-rate'] ?? settings.maxRate
  const rate = maxRate === undefined ? undefined : readMaxRate(maxRate)

  const giveUpAfterMs = durationOption(values['give-up-after'], '--give-up-after')
  const exports = new Exports({ clientFor: async () => connection, log: cliLogger(io), ...(giveUpAfterMs === undefined ? {} : { tuning: { network: { giveUpAfterMs } } }) })
  const start = await startSync(exports, dir, settings, now)
  // Kept only once the run could start: a first run refused (a --since still in the future) must
  // not leave settings that then refuse the corrected flags.
  if (!saved) await writeSyncSettings(dir, { ...settings, ...(values['max-rate'] ? { maxRate: values['max-rate'] } : {}) })
  const iso = (ms: number) => new Date(ms).toISOString()
  io.stderr.write(`Sync of ${dir}: listing ${iso(start.window.from)} to ${iso(start.window.to)}${start.first ? ' (first run)' : ''}\n`)
  if (start.retried > 0) io.stderr.write(`${start.retried} files that failed for a passing reason are tried again\n`)
  const concurrency = intOption(values.concurrency, '--concurrency', CONCURRENCY.min, CONCURRENCY.max)
  if (concurrency !== undefined) start.runner.setLimits({ concurrency })
  const stopRate = applyMaxRate(start.runner, rate)
  let code: number
  try {
    code = await runInTerminal(start.runner, io, values.json === true)
  } finally {
    stopRate()
  }
  const last = await finishSync(dir, settings, start, code, Date.now())
  io.stderr.write(last.markAdvanced ? `Synced up to ${last.mark}\n` : `The window's listing did not complete: the mark stays at ${last.mark ?? 'its start'}; the next run lists it again\n`)
  return code
}

function refuseFirstRunFlags(values: Values): void {
  const given = FIRST_RUN_FLAGS.filter((f) => values[f] !== undefined)
  if (given.length > 0) {
    throw new UsageError(`this folder's sync settings are in .ccc-recordings/sync.json; ${given.map((f) => `--${f}`).join(', ')} only go with the first run (edit or delete sync.json to change them)`)
  }
}

function windowFlags(values: Values): Pick<SyncSettings, 'overlapMs' | 'marginMs'> {
  return { overlapMs: durationOption(values.overlap, '--overlap') ?? DEFAULT_OVERLAP_MS, marginMs: durationOption(values.margin, '--margin') ?? DEFAULT_MARGIN_MS }
}

/** The settings of a date-range export already in the folder, the sync's from now on; undefined for an empty folder. */
async function adoptedSettings(values: Values, dir: string): Promise<SyncSettings | undefined> {
  const header = (await journalExists(dir)) ? await readExportHeader(dir) : undefined
  if (!header) return undefined
  const adopted = adoptExport(header, windowFlags(values))
  if (!adopted) throw new UsageError(`${dir} holds an export of ${header.source.kind}; sync keeps a date range up to date: choose another folder`)
  return adopted
}

/** A first run's settings, from the flags. */
async function firstSettings(values: Values, now: number, c: Awaited<ReturnType<typeof connect>>, io: CliIo): Promise<SyncSettings> {
  const connection = { instanceId: c.instanceId, region: c.region, ...(c.endpoint ? { endpoint: c.endpoint } : {}), ...(c.profile ? { profile: c.profile } : {}) }
  // The horizon the user stated: on the command line, else the one the profile keeps (set in the app).
  const retention = intOption(values['retention-days'], '--retention-days', 1, 3650) ?? (c.profile ? (await profileStore(io).get(c.profile))?.retentionDays : undefined)
  let since: number
  try {
    since = firstSince(now, values.since, retention)
  } catch (e) {
    throw new UsageError(`--since: ${(e as Error).message}`)
  }
  const calls = callChoices(values)
  if (calls.dryRun) throw new UsageError('--dry-run does not go with sync: use download --dry-run with the same range')
  let filters
  try {
    const { kind: _k, from: _f, to: _t, ...rest } = rangeSource({ from: new Date(since).toISOString(), to: new Date(now).toISOString(), phone: values.phone, contactType: values['contact-type'], disposition: values.disposition })
    filters = { ...rest, ...(calls.filter ? { filter: calls.filter } : {}) }
  } catch (e) {
    if (e instanceof SourceError) throw new UsageError(`--${e.field}: ${e.message}`)
    throw e
  }
  const kept = retention === undefined ? {} : { retentionDays: retention }
  return { version: 1, connection, filters, options: calls.options, since: new Date(since).toISOString(), mark: null, ...windowFlags(values), ...kept }
}

/** A scheduled run has no terminal: what it says goes to the log file too, a line at a time. */
function teeToLog(io: CliIo, sink: LogSink): CliIo {
  const tee = (level: 'info' | 'warn', write: (t: string) => unknown) => (text: string) => {
    for (const line of text.split('\n')) if (line.trim() !== '') sink(level, line)
    return write(text)
  }
  return {
    ...io,
    stdout: { ...io.stdout, write: tee('info', (t) => io.stdout.write(t)) },
    stderr: { write: tee('warn', (t) => io.stderr.write(t)) },
  }
}
