import type { RecordingMeta } from '../calls/call.ts'
import type { LeftOut } from '../calls/filters.ts'
import { CccError } from '../../common/errors.ts'
import { DEFAULT_OPTIONS, type ExportOptions } from '../../common/export-options.ts'
import type { ExportStatus, ExportUpdate } from '../../common/progress.ts'
import type { Clock } from '../clock.ts'
import type { Logger } from '../log.ts'
import { exportInfo, readExportStatus, statusOf } from './export-status.ts'
import { describeNaming, sameNaming } from './open-export.ts'
import { journalExists, noExportReason, readExportHeader } from './journal.ts'
import type { ExportHeaderEvent, SourceInfo } from './journal-events.ts'
import { feedPlan, type StartNotes } from './plan-feed.ts'
import type { ExportTable } from './export-table.ts'
import { ExportRunner } from './runner.ts'

export type { StartNotes } from './plan-feed.ts'

// Read off the runner's public `open`, so the service depends on that API and nothing deeper.
type RunnerDeps = Parameters<typeof ExportRunner.open>[1]
type NewExport = NonNullable<Parameters<typeof ExportRunner.open>[2]>
export type ExportClient = RunnerDeps['client']

/** Where an export's recordings come from: the journal header keeps it, so resume finds it again. */
export interface Connection {
  readonly instanceId: string
  readonly region?: string
  readonly endpoint?: string
  /** A saved profile's name; none means the default (the app) or the environment's keys (the CLI). */
  readonly profile?: string
}

/** A client for a connection, and the fetch its downloads go through when not the service's own. */
export interface Connected {
  readonly client: ExportClient
  readonly fetch?: typeof fetch
}

export interface ExportsDeps {
  /** The app makes it from a saved profile, the CLI from flags, the environment or a profile. */
  clientFor(connection: Connection): Promise<Connected>
  readonly fetch?: typeof fetch
  readonly clock?: Clock
  readonly log?: Logger
  /** Runner settings beyond these (a backoff, a progress interval): tests shorten them. */
  readonly tuning?: Omit<RunnerDeps, 'client' | 'fetch' | 'clock' | 'log'>
  /** Every open export's progress, with the export it is about (what the app's Queue shows). */
  onProgress?(update: ExportUpdate): void
}

/** What to export: the source, the names or contact IDs it gave (a range lists itself), where to, how. */
export interface ExportPlan {
  readonly outDir: string
  readonly connection: Connection
  readonly source: SourceInfo
  readonly names?: readonly string[]
  /** What a list's own columns say of each name's call (issue 13), in the order of `names`. */
  readonly metas?: readonly (RecordingMeta | undefined)[]
  readonly contactIds?: readonly string[]
  /** Names of the list its filter left out: skipped rows saying which filter, as a listing's are. */
  readonly leftOut?: readonly LeftOut[]
  readonly options?: Partial<ExportOptions>
}

export interface ResumeOverrides {
  /**
   * A corrected connection (a wrong instance, say). Taken into the journal when the export has no
   * verified file yet; with verified files, another instance is refused (`Export.Conflict`), and
   * another region, endpoint or profile is used for this run only.
   */
  readonly instanceId?: string
  readonly region?: string
  readonly endpoint?: string
  readonly profile?: string
  readonly concurrency?: number
  readonly maxBytesPerSecond?: number | null
}

/**
 * Starts, resumes and reports exports, the same way for the app and the CLI. It opens each
 * folder's runner once per process and keeps it until `close`; running a runner is the caller's
 * (the CLI waits for it in the terminal, the app lets it run behind the window).
 */
export class Exports {
  private readonly runners = new Map<string, ExportRunner>()
  private readonly opening = new Map<string, Promise<ExportRunner>>()
  private readonly unsubscribe = new Map<string, () => void>()

  constructor(private readonly deps: ExportsDeps) {}

  /**
   * Opens (or creates) the folder's export and adds the plan's names or contact IDs. The same
   * list or range again is asked for again in full: what failed is retried, what is verified is
   * left alone, and a finished range is listed again. A folder whose export runs in this process
   * is refused (`Export.Busy`); one open here but stopped is closed and continued.
   */
  async start(plan: ExportPlan): Promise<{ runner: ExportRunner; notes: StartNotes }> {
    const { outDir } = plan
    // Checked and claimed with no await between: two starts at once cannot both pass.
    if (this.opening.has(outDir) || this.runners.get(outDir)?.active) {
      // Two runners on one folder would write one journal and the same .part files.
      throw new CccError({ code: 'Export.Busy', message: `${outDir}: an export is running in this folder; pause it, or choose another folder` })
    }
    const runner = await this.openOnce(outDir, async () => {
      if (this.runners.has(outDir)) await this.forget(outDir)
      return this.openRunner(outDir, plan.connection, initOf(plan))
    })
    const notes = feedPlan(runner, plan)
    const asked = initOf(plan).options
    const kept = runner.header.options
    return { runner, notes: sameNaming(asked, kept) ? notes : { ...notes, namingKept: describeNaming(kept) } }
  }

  /**
   * The folder's export, open in this process already or opened from its journal with the
   * connection its header names (`profile` overrides the header's), with new limits if given.
   */
  async resume(outDir: string, overrides: ResumeOverrides = {}): Promise<ExportRunner> {
    const runner = this.runners.get(outDir) ?? (await this.openOnce(outDir, () => this.reopen(outDir, overrides)))
    const { concurrency, maxBytesPerSecond } = overrides
    if (concurrency !== undefined || maxBytesPerSecond !== undefined) {
      runner.setLimits({ ...(concurrency === undefined ? {} : { concurrency }), ...(maxBytesPerSecond === undefined ? {} : { maxBytesPerSecond }) })
    }
    return runner
  }

  /** The folder's export status: live when this process has it, else read from its journal. */
  async status(outDir: string): Promise<ExportStatus | undefined> {
    const runner = this.runners.get(outDir)
    if (runner && (runner.active || runner.state !== 'idle')) return liveStatus(runner)
    // Open here but not run: this process holds the lock, and nothing is running the export.
    return readExportStatus(outDir, runner ? async () => false : undefined)
  }

  /** The folder's runner once an open under way here settles (undefined when none is, or it failed). */
  async whenOpen(outDir: string): Promise<ExportRunner | undefined> {
    await this.opening.get(outDir)?.catch(() => undefined)
    return this.runners.get(outDir)
  }

  /** Every open under way here, settled. */
  async whenAllOpen(): Promise<void> {
    await Promise.allSettled(this.opening.values())
  }

  /** The runner of a folder this process has open. */
  get(outDir: string): ExportRunner | undefined {
    return this.runners.get(outDir)
  }

  /** Every export this process has open. */
  open(): ExportRunner[] {
    return [...this.runners.values()]
  }

  /**
   * Closes the folder's export when it is open here but not running, so its lock is free for
   * another process (a nightly `sync` of the folder); false when it runs or is not open.
   */
  async release(outDir: string): Promise<boolean> {
    const runner = this.runners.get(outDir)
    if (!runner || runner.active || this.opening.has(outDir)) return false
    await this.forget(outDir)
    return true
  }

  /** Pauses what runs and closes every journal and lock. */
  async close(): Promise<void> {
    await Promise.allSettled(this.opening.values())
    for (const outDir of [...this.runners.keys()]) await this.forget(outDir)
  }

  private async reopen(outDir: string, overrides: ResumeOverrides): Promise<ExportRunner> {
    const header = (await journalExists(outDir)) ? await readExportHeader(outDir) : undefined
    if (!header) throw new CccError({ code: 'Export.NotFound', message: `${outDir}: no export to resume here (${await noExportReason(outDir)})` })
    const connection = connectionOf(header, overrides)
    // A corrected connection goes through open as a plan of the same export, which rebinds it when nothing is verified yet.
    const corrected = overrides.instanceId !== undefined || overrides.region !== undefined || overrides.endpoint !== undefined
    const runner = await this.openRunner(outDir, connection, corrected ? { ...initOfConnection(connection), source: header.source, options: header.options } : undefined)
    // A list is recorded just after the header: a run killed between the two left an export of
    // nothing, which resume would "finish" with exit 0 and no file downloaded. A range lists again.
    if (listNeverRecorded(header.source, runner.table)) {
      await this.forget(outDir)
      throw new CccError({ code: 'Export.ListNotRecorded', message: listNotRecorded(outDir, header.source) })
    }
    return runner
  }

  private async openRunner(outDir: string, connection: Connection, init?: NewExport): Promise<ExportRunner> {
    const connected = await this.deps.clientFor(connection)
    const { clock, log, tuning } = this.deps
    const fetchFn = connected.fetch ?? this.deps.fetch
    const deps: RunnerDeps = { ...tuning, client: connected.client, ...(fetchFn ? { fetch: fetchFn } : {}), ...(clock ? { clock } : {}), ...(log ? { log } : {}) }
    const runner = await ExportRunner.open(outDir, deps, init)
    this.runners.set(outDir, runner)
    const onProgress = this.deps.onProgress
    if (onProgress) {
      const info = exportInfo(outDir, runner.header)
      this.unsubscribe.set(outDir, runner.onProgress((p) => onProgress({ ...p, export: info })))
    }
    return runner
  }

  /** One open at a time per folder: the app asks for several file windows of one export at once. */
  private async openOnce(outDir: string, open: () => Promise<ExportRunner>): Promise<ExportRunner> {
    const pending = this.opening.get(outDir)
    if (pending) return pending
    const opening = open().finally(() => this.opening.delete(outDir))
    this.opening.set(outDir, opening)
    return opening
  }

  private async forget(outDir: string): Promise<void> {
    const runner = this.runners.get(outDir)
    this.unsubscribe.get(outDir)?.()
    this.unsubscribe.delete(outDir)
    this.runners.delete(outDir)
    await runner?.close()
  }
}

/**
 * A names or contacts export with neither a row nor a contact ID recorded: killed between its
 * header and its list. (A contacts export stopped in its first lookups has its IDs, and goes on.)
 */
export function listNeverRecorded(source: { readonly kind: string }, table: Pick<ExportTable, 'counts' | 'listing'>): boolean {
  return source.kind !== 'range' && table.counts.total === 0 && table.listing.contacts.length === 0
}

/** What to run instead, naming the list the header kept (its path, when it had one). */
export function listNotRecorded(outDir: string, source: { readonly kind: string; readonly file?: string }): string {
  const list = source.file ?? (source.kind === 'contacts' ? 'the list of contact IDs' : 'the list of names')
  return `${outDir}: its first run was stopped before it recorded its list, so there is nothing to resume; start the download again with ${list} into this folder`
}

/** The journal header of a new export: its connection, source and options. */
/** The export a plan would start, as its journal header will say (a dry run checks a folder against it). */
export function initOf(plan: Pick<ExportPlan, 'connection' | 'source' | 'options'>): NewExport {
  return { ...initOfConnection(plan.connection), source: plan.source, options: { ...DEFAULT_OPTIONS, ...plan.options } }
}

function initOfConnection(c: Connection): Pick<NewExport, 'instanceId' | 'region' | 'endpoint' | 'profile'> {
  return {
    instanceId: c.instanceId,
    ...(c.region ? { region: c.region } : {}),
    ...(c.endpoint ? { endpoint: c.endpoint } : {}),
    ...(c.profile ? { profile: c.profile } : {}),
  }
}

function connectionOf(header: ExportHeaderEvent, overrides: ResumeOverrides): Connection {
  const region = overrides.region ?? header.region
  const endpoint = overrides.endpoint ?? header.endpoint
  const profile = overrides.profile ?? header.profile
  return {
    instanceId: overrides.instanceId ?? header.instanceId,
    ...(region ? { region } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(profile ? { profile } : {}),
  }
}

/** A runner's status as it is now; one that was told to run but has not set its state yet is running. */
function liveStatus(runner: ExportRunner): ExportStatus {
  const state = runner.active && runner.state === 'idle' ? 'running' : runner.state
  return statusOf(runner.outDir, runner.table, { state, reason: runner.progress().reason, disk: runner.replay?.disk })
}
