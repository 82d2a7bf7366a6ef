import type { ErrorData } from '../../common/errors.ts'
import { clampConcurrency } from '../../common/export-options.ts'
import type { ExportProgress, ExportState } from '../../common/progress.ts'
import { realClock } from '../clock.ts'
import { silentLogger } from '../log.ts'
import { AdaptiveRate } from './api-rate.ts'
import type { ApiPolicy } from './api-retry.ts'
import type { RecordingMeta } from '../calls/call.ts'
import { plannedPaths } from '../calls/export-outputs.ts'
import { isTransient } from './decide.ts'
import { BandwidthLimit } from './bandwidth.ts'
import { codeMatcher, type CodeFilter, type ExportTable } from './export-table.ts'
import type { ReplayResult } from './journal.ts'
import type { ExportHeaderEvent } from './journal-events.ts'
import { Ledger } from './ledger.ts'
import { failedWith } from './listing-step.ts'
import { type ListingCounts, listingCounts, type ListingWindow, relistSteps } from './listing-run.ts'
import { ExportConflictError, type NewExport, type OpenedExport, openExport } from './open-export.ts'
import { NetworkGate } from './network-gate.ts'
import { ProgressEmitter, progressOf } from './progress.ts'
import { RunLifecycle } from './run-lifecycle.ts'
import { resolverFor, type RunnerDeps, urlSource } from './runner-deps.ts'
import { UrlPipeline } from './url-pipeline.ts'

export { DEFAULT_OPTIONS } from '../../common/export-options.ts'
export { ExportConflictError, type NewExport } from './open-export.ts'
export type { RecordingResolver, RunnerDeps } from './runner-deps.ts'

/**
 * One export: its rows, and what adds to them or sends them back to the queue, every change
 * through the ledger (ledger.ts) into a journal that lets a killed process carry on where it was.
 * Its runs (a p-queue of file jobs, presigned URLs fetched ahead, an adaptive API rate, and how
 * every stop settles) are run-lifecycle.ts's; the states and their transitions are in state.ts.
 */
export class ExportRunner {
  readonly table: ExportTable
  readonly outDir: string
  readonly replay: ReplayResult | undefined
  private readonly ledger: Ledger
  private readonly bandwidth: BandwidthLimit
  private readonly progressEmitter: ProgressEmitter
  private readonly runs: RunLifecycle

  private constructor(
    private readonly opened: OpenedExport,
    deps: RunnerDeps,
  ) {
    this.outDir = opened.outDir
    this.table = opened.table
    this.replay = opened.replay
    const clock = deps.clock ?? realClock
    const log = deps.log ?? silentLogger
    const network = new NetworkGate(clock, deps.network, () => this.progressEmitter.changed())
    const api: ApiPolicy = { rate: new AdaptiveRate(clock, deps.apiRate), clock, network, log, ...(deps.backoff ? { backoff: deps.backoff } : {}) }
    this.bandwidth = deps.bandwidth ?? new BandwidthLimit(clock, this.header.options.maxBytesPerSecond)
    this.progressEmitter = new ProgressEmitter(clock, (meter) => progressOf(this.outDir, this.table, this.runs.state, meter, network), () => this.table.bytes, deps.progressIntervalMs)
    this.ledger = new Ledger(this.table, opened.journal, opened.folders, this.progressEmitter, opened.meta)
    const urls = new UrlPipeline(urlSource(resolverFor(deps, () => this.header.source), api, () => this.header.instanceId), () => this.header.options.concurrency, clock, deps.urlPipeline)
    this.runs = new RunLifecycle({
      outDir: this.outDir,
      table: this.table,
      ledger: this.ledger,
      header: () => this.header,
      deps,
      clock,
      log,
      api,
      urls,
      network,
      bandwidth: this.bandwidth,
      progress: this.progressEmitter,
      freshFolder: opened.freshFolder,
      rows: this,
    })
    // Nothing done after a journal write fails is remembered: pause at once (DiskFull), as a full disk under a file does.
    opened.journal.onFailure((e) => this.runs.stop({ kind: 'paused', reason: e.toData() }))
  }

  /**
   * Opens the export in `outDir`: replays its journal when there is one (a new `init` must then be
   * for the same instance and source), or starts a journal from `init`.
   */
  static async open(outDir: string, deps: RunnerDeps, init?: NewExport): Promise<ExportRunner> {
    return new ExportRunner(await openExport(outDir, init, deps.syncFolder), deps)
  }

  get header(): ExportHeaderEvent {
    // openExport() guarantees it.
    return this.table.header!
  }

  get state(): ExportState {
    return this.runs.state.kind
  }

  /** True from `run()` until that run has settled (paused, finished, stopped or cancelled). */
  get active(): boolean {
    return this.runs.active
  }

  /** Adds names not already in the export; known names (and verified files) are left as they are. */
  add(names: readonly string[], startTimes?: readonly (number | null)[], metas?: readonly (RecordingMeta | undefined)[]): number {
    const added = this.record(names, startTimes, metas)
    this.runs.wake()
    return added
  }

  /**
   * A name its list's filter left out, as a skipped row with the reason: only one the export does
   * not have, so a rerun with another filter never turns a verified file into a skipped one.
   */
  leaveOut(name: string, reason: string, call?: { readonly start: number | null; readonly meta: RecordingMeta }): boolean {
    if (this.table.files.has(name)) return false
    // Recorded with its planned path and its call, then skipped at once (the feed is not woken in
    // between): a later listing that keeps it queues it as if it had been kept from the start.
    if (call) this.record([name], [call.start], [call.meta])
    this.ledger.skip(name, reason)
    return true
  }

  /** Names into the ledger with the paths the export's naming template plans for them; returns how many were new. */
  private record(names: readonly string[], startTimes?: readonly (number | null)[], metas?: readonly (RecordingMeta | undefined)[]): number {
    const paths = plannedPaths(this.header.options, names, startTimes, metas)
    return this.ledger.add(names, startTimes, { ...(paths ? { paths } : {}), ...(metas ? { metas } : {}) })
  }

  /** Names a filter left out before, asked for again (the list rerun without it): queued; returns how many. */
  takeBack(names: readonly string[]): number {
    return this.requeued(this.ledger.takeBack(names))
  }

  /**
   * Adds contact IDs to a contacts export (journalled, so `resume` lists them too); the next
   * `run()` lists those not yet listed. Returns how many were new.
   */
  addContacts(ids: readonly string[]): number {
    if (this.header.source.kind !== 'contacts') throw new ExportConflictError(`${this.outDir} is not an export of contact IDs`)
    return this.ledger.addContacts(ids)
  }

  /**
   * Starts a finished date range's listing again from its first window, for a run of the same
   * range into the same folder: calls that reached CCC's records after the last listing are added,
   * and files already in the export are not downloaded again. Returns false, and changes nothing,
   * when the export is not a date range or its listing has not finished (`run()` then continues it).
   * With a window (`sync`), the range's end moves on and it is listed again from the window's start.
   */
  relist(window?: ListingWindow): boolean {
    const steps = relistSteps(this.header.source, this.table.listing, window)
    this.ledger.relisted(steps)
    return steps.length > 0
  }

  /** Listing counts so far (contacts and date-range exports). */
  listingProgress(): ListingCounts | undefined {
    return listingCounts(this.header.source, this.table)
  }

  onProgress(listener: (p: ExportProgress) => void): () => void {
    return this.progressEmitter.on(listener)
  }

  progress(): ExportProgress {
    return this.progressEmitter.snapshot()
  }

  /** Runs until every file is done, failed or skipped, or until paused, cancelled or stopped. */
  run(): Promise<ExportState> {
    return this.runs.run()
  }

  /** Aborts transfers at once, keeping every `.part`; `run()` again continues them with Range. */
  pause(reason?: ErrorData): Promise<ExportState> {
    return this.runs.requestStop({ kind: 'paused', ...(reason ? { reason } : {}) })
  }

  /** How the run before this process ended, as its journal says (`running`: killed); undefined for a new export. */
  get lastRun(): string | undefined {
    return this.opened.lastRun
  }

  /** Stops and keeps what is complete; half-downloaded `.part` files are removed. */
  cancel(): Promise<ExportState> {
    return this.runs.requestStop({ kind: 'cancelled' })
  }

  setLimits(limits: { concurrency?: number; maxBytesPerSecond?: number | null }): void {
    const options = { ...this.header.options }
    if (limits.concurrency !== undefined) {
      options.concurrency = clampConcurrency(limits.concurrency)
      this.runs.setConcurrency(options.concurrency)
    }
    if (limits.maxBytesPerSecond !== undefined) {
      options.maxBytesPerSecond = limits.maxBytesPerSecond
      this.bandwidth.set(limits.maxBytesPerSecond)
    }
    this.ledger.options(options)
  }

  /** Failed files with `code` (all failed files without one) go back to the queue, failed contact lookups are taken again; returns how many. */
  retryGroup(code?: CodeFilter): number {
    return this.requeued(this.ledger.retry(code) + this.lookUpAgain(code))
  }

  /**
   * Failed lookups of a contacts export taken again: its cursor moves back to them. A run under
   * way keeps its own cursor, so the move waits for the run's end and leaves the export paused for
   * a resume. A date range's failed calls are looked up again by the same range asked for again
   * (a relist): a retry does not list a whole archive for them. Returns how many.
   */
  private lookUpAgain(code: CodeFilter): number {
    if (this.header.source.kind !== 'contacts') return 0
    const matches = codeMatcher(code)
    if (!this.runs.active) return this.ledger.lookUpAgain(matches)
    const n = this.table.listing.contacts.filter((id) => failedWith(this.table, id, matches)).length
    if (n > 0) this.runs.whenSettled(() => void (this.ledger.lookUpAgain(matches) > 0 && this.runs.unfinish()))
    return n
  }

  /** `n` rows went back to the queue: what that means for a run is the lifecycle's (run-lifecycle.ts). */
  private requeued(n: number): number {
    if (n > 0) this.runs.requeued()
    return n
  }

  /**
   * Failed files whose trouble was passing (network, timeout, 5xx, throttling, an expired URL) go
   * back to the queue, for a resume; those the service refused for good (no such recording) stay.
   */
  retryTransient(): number {
    return this.retryGroup((code) => isTransient(code))
  }

  async close(): Promise<void> {
    if (this.runs.active) await this.pause()
    this.progressEmitter.stop()
    try {
      await this.ledger.close()
    } finally {
      await this.opened.lock.release()
    }
  }
}
