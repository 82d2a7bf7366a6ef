import type { ErrorData } from '../../common/errors.ts'
import type { ExportState } from '../../common/progress.ts'
import type { RecordingMeta } from '../calls/call.ts'
import type { Clock } from '../clock.ts'
import { toCccError } from '../errno.ts'
import type { Logger } from '../log.ts'
import type { ApiPolicy } from './api-retry.ts'
import type { BandwidthLimit } from './bandwidth.ts'
import type { ExportTable } from './export-table.ts'
import { feed, newRun, type Run, wake } from './feed.ts'
import { type FileJobContext, removeParts } from './file-job.ts'
import type { ExportHeaderEvent } from './journal-events.ts'
import type { Ledger } from './ledger.ts'
import { listingDone } from './listing.ts'
import { runListingBeside } from './listing-run.ts'
import type { NetworkGate } from './network-gate.ts'
import type { ProgressEmitter } from './progress.ts'
import { withRestorer } from './restore-run.ts'
import { rpcOf, type RunnerDeps } from './runner-deps.ts'
import { settleRun } from './settle-run.ts'
import { idle, move, type RunState, settledBy, type StopRequest } from './state.ts'
import type { UrlPipeline } from './url-pipeline.ts'

/** What a listing beside the downloads does to the export's rows: the runner's own calls, so the feed is woken as for any. */
export interface ListedRows {
  add(names: readonly string[], startTimes?: readonly (number | null)[], metas?: readonly (RecordingMeta | undefined)[]): void
  takeBack(names: readonly string[]): void
  leaveOut(name: string, reason: string, call?: { readonly start: number | null; readonly meta: RecordingMeta }): boolean
}

/** The export's parts a run works with, made once by the runner. */
export interface RunParts {
  readonly outDir: string
  readonly table: ExportTable
  readonly ledger: Ledger
  readonly header: () => ExportHeaderEvent
  readonly deps: RunnerDeps
  readonly clock: Clock
  readonly log: Logger
  readonly api: ApiPolicy
  readonly urls: UrlPipeline
  readonly network: NetworkGate
  readonly bandwidth: BandwidthLimit
  readonly progress: ProgressEmitter
  /** The folder was new and empty: a file's first try looks for no `.part`. */
  readonly freshFolder: boolean
  readonly rows: ListedRows
}

/**
 * One export's runs, one at a time: the state machine's current state (state.ts), the run under
 * way and its promise, which every stop, pause and cancel goes through. Pause, cancel, an
 * export-fatal code and a full disk all stop the same way: abort the transfers, keep every
 * `.part`, flush the journal, write the report. What changes the rows is the runner's
 * (runner.ts); what it means for a run under way (another pass, or paused with work left) is
 * said here, where the state is.
 */
export class RunLifecycle {
  private runState: RunState = idle
  private current: Run | undefined
  private running: Promise<ExportState> | undefined

  constructor(private readonly parts: RunParts) {}

  get state(): RunState {
    return this.runState
  }

  /** True from `run()` until that run has settled (paused, finished, stopped or cancelled). */
  get active(): boolean {
    return this.running !== undefined
  }

  run(): Promise<ExportState> {
    this.running ??= this.runOnce().finally(() => {
      this.running = undefined
    })
    return this.running
  }

  /** The first stop wins: a fatal error during a pause is still reported, a pause after it is not. */
  stop(request: StopRequest): void {
    const run = this.current
    if (!run || (run.stop && run.stop.kind !== 'paused')) return
    run.stop = request
    if (request.kind !== 'stopped' && this.runState.kind !== 'pausing') this.setState({ kind: 'pausing' })
    run.queue.clear()
    run.controller.abort(new DOMException(request.kind, 'AbortError'))
    this.wake()
  }

  async requestStop(request: StopRequest): Promise<ExportState> {
    const { outDir, ledger, log, clock } = this.parts
    if (!this.running) {
      if (request.kind === 'cancelled' && this.runState.kind !== 'finished' && this.runState.kind !== 'cancelled') {
        // A paused export's `.part` files go as a running one's do (cancel's promise).
        await removeParts(outDir, ledger, this.parts.header().options.layout)
        // A run that began while the parts went is stopped as a run is, never marked over.
        if (this.running) return this.requestStop(request)
        const end = await settleRun(ledger, outDir, log, { kind: 'cancelled' }, clock.now())
        if (this.running) return this.requestStop(request)
        if (end.kind === 'cancelled') this.setState(end)
      }
      return this.runState.kind
    }
    this.stop(request)
    return this.running
  }

  /** A run under way takes its transfers at this many at once from now on. */
  setConcurrency(concurrency: number): void {
    if (this.current) this.current.queue.concurrency = concurrency
  }

  /**
   * Rows went back to the queue: a run under way takes them in another pass (feed.ts); one
   * settling, or a finished export, is left paused for a resume (what `status` reads from its
   * journal, and what Resume all takes) instead of finished with work left.
   */
  requeued(): void {
    if (this.current) this.current.retried = true
    else this.whenSettled(() => this.unfinish())
    this.unfinish()
  }

  /** After the run under way has settled, if there is one. */
  whenSettled(then: () => void): void {
    void this.running?.then(then, () => undefined)
  }

  /** A finished export with rows to do again, or a listing to go on, is paused instead. */
  unfinish(): void {
    const { table } = this.parts
    const left = table.counts.queued > 0 || !listingDone(this.parts.header().source, table.listing)
    if (this.runState.kind === 'finished' && left) this.runState = move(this.runState, { kind: 'paused' })
  }

  wake(): void {
    wake(this.current)
  }

  private async runOnce(): Promise<ExportState> {
    const { outDir, table, ledger, urls, network, progress, clock, log } = this.parts
    const options = this.parts.header().options
    const run = newRun(options.concurrency)
    this.current = run
    this.setState({ kind: 'running' })
    ledger.state(this.runState, clock.now())
    // The names are the export: they must be on disk before the first byte is, or a crash
    // in the first quarter-second would leave a folder of files no journal knows about.
    await ledger.flush().catch((e: unknown) => this.stop({ kind: 'paused', reason: toCccError(e).toData() }))
    progress.start()
    try {
      const listing = this.listBeside(run)
      await feed(run, table, urls, this.jobContext(run), options.concurrency)
      run.listingError = await listing
    } finally {
      progress.stop()
      network.close()
      this.current = undefined
      urls.clear()
    }
    // Set by pause(), cancel() or a failing file while the queue drained; a listing that could
    // not go on leaves the export paused at its cursor, once what it found is downloaded.
    const end = settledBy(run.stop ?? (run.listingError ? { kind: 'paused', reason: run.listingError } : undefined))
    if (end.kind === 'cancelled') await removeParts(outDir, ledger, options.layout)
    this.setState(await settleRun(ledger, outDir, log, end, clock.now()))
    return this.runState.kind
  }

  /** The listing of a contacts or range export, beside the downloads; resolves with what left it unfinished. */
  private async listBeside(run: Run): Promise<ErrorData | undefined> {
    const { table, rows } = this.parts
    const header = this.parts.header()
    // Paused (or stopped) while the run's first flush was under way: nothing to list now.
    if (run.stop || listingDone(header.source, table.listing)) return undefined
    run.listing = true
    this.setState({ kind: 'listing' })
    try {
      return await runListingBeside({
        header,
        ledger: this.parts.ledger,
        rpc: rpcOf(this.parts.deps),
        api: this.parts.api,
        signal: run.controller.signal,
        log: this.parts.log,
        add: (names, startTimes, metas) => rows.add(names, startTimes, metas),
        takeBack: (names) => rows.takeBack(names),
        leaveOut: (name, reason, call) => rows.leaveOut(name, reason, call),
        stop: (request) => this.stop(request),
      })
    } finally {
      run.listing = false
      if (this.runState.kind === 'listing') this.setState({ kind: 'running' })
      this.wake()
    }
  }

  private jobContext(run: Run): FileJobContext {
    const { outDir, ledger, urls, clock, log, bandwidth, network, deps } = this.parts
    const header = this.parts.header()
    const { fetch = globalThis.fetch, backoff } = deps
    const rest = { layout: header.options.layout, freshFolder: this.parts.freshFolder, signal: run.controller.signal }
    const job: FileJobContext = { outDir, ledger, urls, clock, log, bandwidth, network, fetch, backoff, ...rest, halted: () => run.stop !== undefined, stop: (r) => this.stop(r) }
    return withRestorer(job, run, { deps, source: header.source, api: this.parts.api, instanceId: () => this.parts.header().instanceId })
  }

  private setState(state: RunState): void {
    this.runState = move(this.runState, state)
    this.parts.progress.emit()
  }
}
