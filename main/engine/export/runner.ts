import type { ErrorData } from '../../common/errors.ts'
import { clampConcurrency } from '../../common/export-options.ts'
import type { ExportProgress, ExportState } from '../../common/progress.ts'
import { type Clock, realClock } from '../clock.ts'
import { type Logger, silentLogger } from '../log.ts'
import { AdaptiveRate } from './api-rate.ts'
import type { ApiPolicy } from './api-retry.ts'
import type { RecordingMeta } from '../calls/call.ts'
import { plannedPaths } from '../calls/export-outputs.ts'
import { isTransient } from './decide.ts'
import { BandwidthLimit } from './bandwidth.ts'
import { codeMatcher, type CodeFilter, type ExportTable } from './export-table.ts'
import { feed, newRun, type Run, wake } from './feed.ts'
import { type FileJobContext, removeParts } from './file-job.ts'
import type { ReplayResult } from './journal.ts'
import type { ExportHeaderEvent } from './journal-events.ts'
import { Ledger } from './ledger.ts'
import { listingDone } from './listing.ts'
import { failedWith } from './listing-step.ts'
import { type ListingCounts, listingCounts, type ListingWindow, relistSteps, runListingBeside } from './listing-run.ts'
import { ExportConflictError, type NewExport, type OpenedExport, openExport } from './open-export.ts'
import { NetworkGate } from './network-gate.ts'
import { ProgressEmitter, progressOf } from './progress.ts'
import { resolverFor, rpcOf, type RunnerDeps, urlSource } from './runner-deps.ts'
import { toCccError } from '../errno.ts'
import { withRestorer } from './restore-run.ts'
import { settleRun } from './settle-run.ts'
import { idle, move, type RunState, settledBy, type StopRequest } from './state.ts'
import { UrlPipeline } from './url-pipeline.ts'

export { DEFAULT_OPTIONS } from '../../common/export-options.ts'
export { ExportConflictError, type NewExport } from './open-export.ts'
export type { RecordingResolver, RunnerDeps } from './runner-deps.ts'

/**
 * Runs one export: a p-queue of file jobs (file-job.ts), presigned URLs fetched ahead
 * (url-pipeline.ts), an adaptive API rate, and every change through the ledger (ledger.ts) into a
 * journal that lets a killed process carry on where it was. Pause, cancel, an export-fatal code
 * and a full disk all stop the same way: abort the transfers, keep every `.part`, flush the
 * journal, write the report. The states and their transitions are in state.ts.
 */
export class ExportRunner {
  readonly table: ExportTable
  readonly outDir: string
  readonly replay: ReplayResult | undefined
  private readonly ledger: Ledger
  private readonly clock: Clock
  private readonly log: Logger
  private readonly api: ApiPolicy
  private readonly bandwidth: BandwidthLimit
  private readonly progressEmitter: ProgressEmitter
  private readonly urls: UrlPipeline
  private readonly network: NetworkGate
  private runState: RunState = idle
  private current: Run | undefined
  private running: Promise<ExportState> | undefined

  private constructor(
    private readonly opened: OpenedExport,
    private readonly deps: RunnerDeps,
  ) {
    this.outDir = opened.outDir
    this.table = opened.table
    this.replay = opened.replay
    this.clock = deps.clock ?? realClock
    this.log = deps.log ?? silentLogger
    this.network = new NetworkGate(this.clock, deps.network, () => this.progressEmitter.changed())
    this.api = { rate: new AdaptiveRate(this.clock, deps.apiRate), clock: this.clock, network: this.network, log: this.log, ...(deps.backoff ? { backoff: deps.backoff } : {}) }
    this.bandwidth = deps.bandwidth ?? new BandwidthLimit(this.clock, this.header.options.maxBytesPerSecond)
    this.progressEmitter = new ProgressEmitter(this.clock, (meter) => progressOf(this.outDir, this.table, this.runState, meter, this.network), () => this.table.bytes, deps.progressIntervalMs)
    this.ledger = new Ledger(this.table, opened.journal, opened.folders, this.progressEmitter, opened.meta)
    // Nothing done after a journal write fails is remembered: pause at once (DiskFull), as a full disk under a file does.
    opened.journal.onFailure((e) => this.stop({ kind: 'paused', reason: e.toData() }))
    this.urls = new UrlPipeline(urlSource(resolverFor(deps, () => this.header.source), this.api, () => this.header.instanceId), () => this.header.options.concurrency, this.clock, deps.urlPipeline)
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
    return this.runState.kind
  }

  /** True from `run()` until that run has settled (paused, finished, stopped or cancelled). */
  get active(): boolean {
    return this.running !== undefined
  }

  /** Adds names not already in the export; known names (and verified files) are left as they are. */
  add(names: readonly string[], startTimes?: readonly (number | null)[], metas?: readonly (RecordingMeta | undefined)[]): number {
    const added = this.record(names, startTimes, metas)
    this.wakeFeed()
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
    this.running ??= this.runOnce().finally(() => {
      this.running = undefined
    })
    return this.running
  }

  /** Aborts transfers at once, keeping every `.part`; `run()` again continues them with Range. */
  pause(reason?: ErrorData): Promise<ExportState> {
    return this.requestStop({ kind: 'paused', ...(reason ? { reason } : {}) })
  }

  /** How the run before this process ended, as its journal says (`running`: killed); undefined for a new export. */
  get lastRun(): string | undefined {
    return this.opened.lastRun
  }

  /** Stops and keeps what is complete; half-downloaded `.part` files are removed. */
  cancel(): Promise<ExportState> {
    return this.requestStop({ kind: 'cancelled' })
  }

  setLimits(limits: { concurrency?: number; maxBytesPerSecond?: number | null }): void {
    const options = { ...this.header.options }
    if (limits.concurrency !== undefined) {
      options.concurrency = clampConcurrency(limits.concurrency)
      if (this.current) this.current.queue.concurrency = options.concurrency
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
    if (!this.running) return this.ledger.lookUpAgain(matches)
    const n = this.table.listing.contacts.filter((id) => failedWith(this.table, id, matches)).length
    if (n > 0) void this.running.then(() => this.ledger.lookUpAgain(matches) > 0 && this.unfinish(), () => undefined)
    return n
  }

  /**
   * `n` files went back to the queue: a run under way takes them in another pass (feed.ts); one
   * settling, or a finished export, is left paused for a resume (what `status` reads from its
   * journal, and what Resume all takes) instead of finished with work left.
   */
  private requeued(n: number): number {
    if (n === 0) return 0
    if (this.current) this.current.retried = true
    else if (this.running) {
      void this.running.then(
        () => this.unfinish(),
        () => undefined,
      )
    }
    this.unfinish()
    return n
  }

  private unfinish(): void {
    const left = this.table.counts.queued > 0 || !listingDone(this.header.source, this.table.listing)
    if (this.runState.kind === 'finished' && left) this.runState = move(this.runState, { kind: 'paused' })
  }

  /**
   * Failed files whose trouble was passing (network, timeout, 5xx, throttling, an expired URL) go
   * back to the queue, for a resume; those the service refused for good (no such recording) stay.
   */
  retryTransient(): number {
    return this.retryGroup((code) => isTransient(code))
  }

  async close(): Promise<void> {
    if (this.running) await this.pause()
    this.progressEmitter.stop()
    try {
      await this.ledger.close()
    } finally {
      await this.opened.lock.release()
    }
  }

  private async requestStop(request: StopRequest): Promise<ExportState> {
    if (!this.running) {
      if (request.kind === 'cancelled' && this.runState.kind !== 'finished' && this.runState.kind !== 'cancelled') {
        // A paused export's `.part` files go as a running one's do (cancel's promise).
        await removeParts(this.outDir, this.ledger, this.header.options.layout)
        // A run that began while the parts went is stopped as a run is, never marked over.
        if (this.running) return this.requestStop(request)
        const end = await settleRun(this.ledger, this.outDir, this.log, { kind: 'cancelled' }, this.clock.now())
        if (this.running) return this.requestStop(request)
        if (end.kind === 'cancelled') this.setState(end)
      }
      return this.runState.kind
    }
    this.stop(request)
    return this.running
  }

  /** The first stop wins: a fatal error during a pause is still reported, a pause after it is not. */
  private stop(request: StopRequest): void {
    const run = this.current
    if (!run || (run.stop && run.stop.kind !== 'paused')) return
    run.stop = request
    if (request.kind !== 'stopped' && this.runState.kind !== 'pausing') this.setState({ kind: 'pausing' })
    run.queue.clear()
    run.controller.abort(new DOMException(request.kind, 'AbortError'))
    this.wakeFeed()
  }

  private async runOnce(): Promise<ExportState> {
    const run = newRun(this.header.options.concurrency)
    this.current = run
    this.setState({ kind: 'running' })
    this.ledger.state(this.runState, this.clock.now())
    // The names are the export: they must be on disk before the first byte is, or a crash
    // in the first quarter-second would leave a folder of files no journal knows about.
    await this.ledger.flush().catch((e: unknown) => this.stop({ kind: 'paused', reason: toCccError(e).toData() }))
    this.progressEmitter.start()
    try {
      const listing = this.listBeside(run)
      await feed(run, this.table, this.urls, this.jobContext(run), this.header.options.concurrency)
      run.listingError = await listing
    } finally {
      this.progressEmitter.stop()
      this.network.close()
      this.current = undefined
      this.urls.clear()
    }
    // Set by pause(), cancel() or a failing file while the queue drained; a listing that could
    // not go on leaves the export paused at its cursor, once what it found is downloaded.
    const end = settledBy(run.stop ?? (run.listingError ? { kind: 'paused', reason: run.listingError } : undefined))
    if (end.kind === 'cancelled') await removeParts(this.outDir, this.ledger, this.header.options.layout)
    this.setState(await settleRun(this.ledger, this.outDir, this.log, end, this.clock.now()))
    return this.runState.kind
  }

  /** The listing of a contacts or range export, beside the downloads; resolves with what left it unfinished. */
  private async listBeside(run: Run): Promise<ErrorData | undefined> {
    // Paused (or stopped) while the run's first flush was under way: nothing to list now.
    if (run.stop || listingDone(this.header.source, this.table.listing)) return undefined
    run.listing = true
    this.setState({ kind: 'listing' })
    try {
      return await runListingBeside({
        header: this.header,
        ledger: this.ledger,
        rpc: rpcOf(this.deps),
        api: this.api,
        signal: run.controller.signal,
        log: this.log,
        add: (names, startTimes, metas) => void this.add(names, startTimes, metas),
        takeBack: (names) => void this.takeBack(names),
        leaveOut: (name, reason, call) => this.leaveOut(name, reason, call),
        stop: (request) => this.stop(request),
      })
    } finally {
      run.listing = false
      if (this.runState.kind === 'listing') this.setState({ kind: 'running' })
      this.wakeFeed()
    }
  }

  private jobContext(run: Run): FileJobContext {
    const { outDir, ledger, urls, clock, log, bandwidth, network } = this
    const { fetch = globalThis.fetch, backoff } = this.deps
    const rest = { layout: this.header.options.layout, freshFolder: this.opened.freshFolder, signal: run.controller.signal }
    const job: FileJobContext = { outDir, ledger, urls, clock, log, bandwidth, network, fetch, backoff, ...rest, halted: () => run.stop !== undefined, stop: (r) => this.stop(r) }
    return withRestorer(job, run, { deps: this.deps, source: this.header.source, api: this.api, instanceId: () => this.header.instanceId })
  }

  private wakeFeed(): void {
    wake(this.current)
  }

  private setState(state: RunState): void {
    this.runState = move(this.runState, state)
    this.progressEmitter.emit()
  }
}
