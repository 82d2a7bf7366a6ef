import { resolve } from 'node:path'
import { API_V1, API_V2, describeApiVersion } from '../common/api-version.ts'
import { CONCURRENCY } from '../common/export-options.ts'
import { fileLogSink } from '../engine/file-log.ts'
import type { LogSink } from '../engine/log.ts'
import { Exports } from '../engine/export/exports.ts'
import { type RangeSource, rangeSource, SourceError } from '../engine/import/sources.ts'
import { failedEarlier, finishSync, startSync } from '../engine/sync/sync-run.ts'
import { adoptableHeader, adoptedSettings, keepAdopted } from './sync-adoption.ts'
import { DEFAULT_MARGIN_MS, DEFAULT_OVERLAP_MS, readSyncSettings, type SyncSettings, syncLastPath, syncPath, writeSyncSettings } from '../engine/sync/sync-settings.ts'
import { terminalSafe } from '../common/terminal-text.ts'
import { firstSince, parseSince } from '../engine/sync/sync-window.ts'
import { withApi } from './api-choice.ts'
import { durationOption, intOption, parse } from './args.ts'
import { CALL_FLAGS, type CallChoices, callChoices } from './call-options.ts'
import { connect, type Connection, profileStore } from './connect.ts'
import { UsageError } from './exit-codes.ts'
import { cliLogger, type CliIo } from './io.ts'
import { applyMaxRate, readMaxRate } from './rate-option.ts'
import { runInTerminal } from './run-export.ts'
import { type NextSteps, quoteArg, stopKind, triedAgain } from './summary.ts'
import type { ExportRunner } from '../engine/export/runner.ts'

export const SYNC_USAGE =
  'ccc-recordings sync <dir> [--since <ISO time> | --retention-days N] [--instance <id>] [--profile <name>] [--region <id>] [--endpoint <url>] [--api-version 2017-07-05|2020-07-01] [--recording mono|per-agent|multichannel] [--phone <number>] [--contact-type <type>] [--disposition <d>] [--name-template <t>] [--time-zone <zone>] [--sidecar] [--agent …] [--overlap 2h] [--margin 15m] [--concurrency N] [--max-rate <rate|"08:00,512K 18:00,off">] [--give-up-after 4h] [--log <file>] [--json]'

const OPTIONS = {
  since: { type: 'string' },
  'retention-days': { type: 'string' },
  instance: { type: 'string' },
  profile: { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
  'api-version': { type: 'string' },
  recording: { type: 'string' },
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

export type Values = ReturnType<typeof parse<typeof OPTIONS>>['values']

const GENERATION_FLAGS = ['api-version', 'recording'] as const
const CONNECTION_FLAGS = ['instance', 'region', 'endpoint'] as const
const CALL_FLAG_NAMES = (Object.keys(CALL_FLAGS) as (keyof typeof CALL_FLAGS)[]).filter((f) => f !== 'dry-run')
/** Flags that make a folder's sync what it is: given once, on the first run, then remembered. */
const FIRST_RUN_FLAGS: readonly (keyof Values)[] = ['since', 'retention-days', ...CONNECTION_FLAGS, ...GENERATION_FLAGS, 'phone', 'contact-type', 'disposition', 'overlap', 'margin', ...CALL_FLAG_NAMES]

/** The flags read and checked, before anything is written to the folder. */
export interface Checked {
  readonly since: number | undefined
  readonly retentionDays: number | undefined
  readonly window: Pick<SyncSettings, 'overlapMs' | 'marginMs'>
  readonly calls: CallChoices
  readonly concurrency: number | undefined
  readonly giveUpAfterMs: number | undefined
}

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
  // Everything is checked before the folder is touched: a run refused for a flag must not leave
  // settings behind that then refuse the corrected command as a later run.
  const checked = checkFlags(values, now)
  const saved = await readSyncSettings(dir)
  if (saved) refuseFirstRunFlags(values, saved, dir)
  // A folder a `download --from/--to` made is adopted: its journal says where from and how.
  const header = saved ? undefined : await adoptableHeader(dir)
  const adopted = header && adoptedSettings(values, checked, header, dir)
  const known = saved ?? adopted
  const c = known?.connection
  const flags = c
    ? { instance: values.instance ?? c.instanceId, region: values.region ?? c.region, endpoint: values.endpoint ?? c.endpoint, profile: values.profile ?? c.profile, 'api-version': values['api-version'] }
    : values
  // A value sync.json gave is refused as its field there, not as a flag nobody typed.
  const connection = await connect(io, flags, (flag) => (c && values[flag] === undefined ? `"connection.${flag}" in ${syncPath(dir)}:` : `--${flag}`))
  const settings = saved
    ? inGenerationAsked(withConnectionAsked(saved, values, connection, io), values, connection, io)
    : { ...(adopted ? await keepAdopted(adopted, checked, connection, io) : await firstSettings(values, checked, now, connection, io)), ...(values['max-rate'] ? { maxRate: values['max-rate'] } : {}) }
  const maxRate = values['max-rate'] ?? settings.maxRate
  const rate = maxRate === undefined ? undefined : readMaxRate(maxRate)
  // Like resume's: a limit for tonight (a link shared with a meeting) that the folder does not keep.
  if (saved && values['max-rate'] !== undefined) {
    io.stderr.write(`--max-rate ${values['max-rate']} applies to this run; ${syncPath(dir)} keeps ${saved.maxRate === undefined ? 'no limit' : `"maxRate": "${saved.maxRate}"`} for the next ones\n`)
  }

  const { giveUpAfterMs, concurrency } = checked
  const exports = new Exports({ clientFor: async () => connection, log: cliLogger(io), ...(giveUpAfterMs === undefined ? {} : { tuning: { network: { giveUpAfterMs } } }) })
  const start = await startSync(exports, dir, settings, now)
  // Kept only once the run could start: a first run refused (nothing to list yet, a folder in use)
  // must not leave settings that then refuse the corrected flags.
  if (settings !== saved) await writeSyncSettings(dir, settings)
  const iso = (ms: number) => new Date(ms).toISOString()
  io.stderr.write(`Sync of ${dir}: listing ${iso(start.window.from)} to ${iso(start.window.to)}${start.first ? ' (first run)' : ''}\n`)
  if (start.retried > 0) io.stderr.write(`${triedAgain(start.retried, 'files', ' for a passing reason')}\n`)
  if (concurrency !== undefined) start.runner.setLimits({ concurrency })
  // sync.json (or this run's flag) says the rate: a limit an earlier run journalled does not carry over.
  if (rate === undefined) start.runner.setLimits({ maxBytesPerSecond: null })
  const stopRate = applyMaxRate(start.runner, rate)
  let code: number
  let finished: Awaited<ReturnType<typeof finishSync>> | undefined
  try {
    code = await runInTerminal(start.runner, io, values.json === true, {
      next: syncSteps(dir, settings, start.runner),
      failedEarlier: () => failedEarlier(start),
      finish: async (exitCode) => {
        finished = await finishSync(dir, settings, start, exitCode, Date.now())
        // With recordError when sync-last.json could not be written: status then shows the run before.
        return { sync: finished }
      },
    })
  } finally {
    stopRate()
  }
  // runInTerminal calls `finish` on every path that returns.
  const last = finished
  if (!last) throw new Error('the sync ended without recording its run')
  io.stderr.write(last.markAdvanced ? `Synced up to ${last.mark}\n` : `The window's listing did not complete: the mark stays at ${last.mark ?? 'its start'}; the next run lists it again\n`)
  if (last.recordError) io.stderr.write(`warn: this run could not be recorded in ${syncLastPath(dir)} (${terminalSafe(last.recordError)}): status and the app show the run before it\n`)
  return code
}

/**
 * What a sync's summary says to do next: `sync` again, never `resume` (which would not move the
 * mark) nor a download "with the corrected setting" (a later sync refuses first-run flags).
 */
function syncSteps(dir: string, settings: SyncSettings, runner: ExportRunner): NextSteps {
  const again = `ccc-recordings sync ${quoteArg(dir)}`
  return {
    stopped: (_outDir, code) => {
      // As refuseFirstRunFlags will judge the next run: a listing that completed moves the mark.
      const flagsTaken = settings.mark === null && runner.listingProgress()?.done !== true
      const file = quoteArg(syncPath(dir))
      switch (stopKind(code)) {
        case 'generation':
          return flagsTaken
            ? `Run: ${again} --api-version <the version named above> (taken while no window is complete)`
            : `The folder's export is of another API generation than its instance: sync into another folder with --api-version <the version named above>`
        case 'passing':
          return `Continue once the network is back: ${again}`
        case 'local':
          return `Correct what is named above on this computer, then run: ${again}`
        case 'key':
          return `Correct the AccessKey where the sync takes it from (the profile named in "connection" of ${file}, or the ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET variables), then run: ${again}`
        case 'elsewhere':
          return `Correct what is named above, then run: ${again}`
        case 'setting':
          return flagsTaken
            ? `Correct what is named above, then run: ${again} --instance <id> (or --region, --endpoint; taken while no window is complete), or correct "connection" in ${file} and run: ${again}`
            : `Correct what is named above (an instance, region or endpoint is corrected in "connection" of ${file}; the rest in CCC or RAM), then run: ${again}`
      }
    },
    unfinished: () => `Continue with: ${again}`,
    retries: () => 'the next sync',
  }
}

function checkFlags(values: Values, now: number): Checked {
  // Refused, never ignored: a --dry-run that downloads and sets the folder up cannot be taken back.
  if (values['dry-run']) throw new UsageError('sync has no dry run; to see what a range holds, run download --dry-run --from <since> --to <now> with the same filters')
  let since: number | undefined
  try {
    since = values.since === undefined ? undefined : parseSince(values.since, now)
  } catch (e) {
    throw new UsageError(`--since: ${(e as Error).message}`)
  }
  const window = { overlapMs: durationOption(values.overlap, '--overlap') ?? DEFAULT_OVERLAP_MS, marginMs: durationOption(values.margin, '--margin') ?? DEFAULT_MARGIN_MS }
  const checked = {
    since,
    retentionDays: intOption(values['retention-days'], '--retention-days', 1, 3650),
    window,
    calls: callChoices(values),
    concurrency: intOption(values.concurrency, '--concurrency', CONCURRENCY.min, CONCURRENCY.max),
    giveUpAfterMs: durationOption(values['give-up-after'], '--give-up-after'),
  }
  if (values['max-rate'] !== undefined) readMaxRate(values['max-rate'])
  return checked
}

function refuseFirstRunFlags(values: Values, saved: SyncSettings, dir: string): void {
  // Until a window completed, the connection and the API generation may still be corrected on
  // the command line (a first run stopped by a wrong instance is retried as the user typed it,
  // with the fix): see withConnectionAsked and inGenerationAsked.
  const allowed: readonly (keyof Values)[] = saved.mark === null ? [...CONNECTION_FLAGS, ...GENERATION_FLAGS] : []
  const given = FIRST_RUN_FLAGS.filter((f) => values[f] !== undefined && !allowed.includes(f))
  if (given.length > 0) {
    throw new UsageError(`this folder's sync settings are in ${syncPath(dir)}; ${given.map((f) => `--${f}`).join(', ')} ${given.length === 1 ? 'goes' : 'go'} with the first run only (the connection, overlap, margin and retention can be changed in sync.json; the start and filters are the folder's export's, so sync into another folder for others)`)
  }
}

/**
 * sync.json with the instance, region or endpoint given now, while no window has completed: kept
 * once the run starts. The export takes the instance when none of its files is verified
 * (sync-run.ts), and refuses it otherwise, so no folder ends up holding two instances' recordings.
 */
function withConnectionAsked(saved: SyncSettings, values: Values, c: Connection, io: CliIo): SyncSettings {
  if (!CONNECTION_FLAGS.some((f) => values[f] !== undefined)) return saved
  const { endpoint: _endpoint, ...rest } = saved.connection
  const connection = { ...rest, instanceId: c.instanceId, region: c.region, ...(c.endpoint ? { endpoint: c.endpoint } : {}) }
  if (connection.instanceId === saved.connection.instanceId && connection.region === saved.connection.region && connection.endpoint === saved.connection.endpoint) return saved
  io.stderr.write(`This folder's sync has listed no window yet: it now connects to instance ${connection.instanceId} in ${connection.region}${connection.endpoint ? ` at ${connection.endpoint}` : ''}\n`)
  return { ...saved, connection }
}

/**
 * A folder whose first run listed with the wrong API generation (it stopped at once, saying the
 * instance answers the other one) is switched to the one asked for now, by --api-version or a
 * CCC 2.0 profile, while no window has completed; the export rebinds when nothing is verified.
 */
function inGenerationAsked(saved: SyncSettings, values: Values, c: Connection, io: CliIo): SyncSettings {
  const folder = saved.filters.api ?? API_V1
  const byProfile = c.profile !== undefined && c.apiVersion === API_V2 ? API_V2 : undefined
  const asked = values['api-version'] !== undefined ? c.apiVersion : values.recording !== undefined ? folder : byProfile
  if (saved.mark !== null || asked === undefined || (asked === folder && values.recording === undefined)) return saved
  const { api: _api, recording: _recording, ...filters } = saved.filters
  const { api, recording } = withApi({ kind: 'range', from: saved.since, to: saved.since, ...filters }, asked, values.recording)
  if (api === saved.filters.api && recording === saved.filters.recording) return saved
  io.stderr.write(`This folder's sync has listed no window yet: it now lists with API ${describeApiVersion(asked)}${recording ? `, ${recording} recordings` : ''}\n`)
  return { ...saved, filters: { ...filters, ...(api ? { api } : {}), ...(recording ? { recording } : {}) } }
}

/** A first run's settings, from the flags. */
async function firstSettings(values: Values, checked: Checked, now: number, c: Connection, io: CliIo): Promise<SyncSettings> {
  const connection = { instanceId: c.instanceId, region: c.region, ...(c.endpoint ? { endpoint: c.endpoint } : {}), ...(c.profile ? { profile: c.profile } : {}) }
  // The horizon the user stated: on the command line, else the one the profile keeps (set in the app).
  const retention = checked.retentionDays ?? (c.profile ? (await profileStore(io).get(c.profile))?.retentionDays : undefined)
  const since = checked.since ?? firstSince(now, undefined, retention)
  const calls = checked.calls
  let filters
  try {
    const range = rangeSource({ from: new Date(since).toISOString(), to: new Date(now).toISOString(), phone: values.phone, contactType: values['contact-type'], disposition: values.disposition })
    // The listing speaks the connection's generation, as download's does.
    const source = withApi({ ...range, ...(calls.filter ? { filter: calls.filter } : {}) }, c.apiVersion, values.recording) as RangeSource
    const { kind: _k, from: _f, to: _t, ...rest } = source
    filters = rest
  } catch (e) {
    if (e instanceof SourceError) throw new UsageError(`--${e.field === 'contactType' ? 'contact-type' : e.field}: ${e.message}`)
    throw e
  }
  const kept = retention === undefined ? {} : { retentionDays: retention }
  return { version: 1, connection, filters, options: calls.options, since: new Date(since).toISOString(), mark: null, ...checked.window, ...kept }
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
