import { randomUUID } from 'node:crypto'
import { setMaxListeners } from 'node:events'
import { readdir, rm } from 'node:fs/promises'
import { dirname, relative, sep } from 'node:path'
import PQueue from 'p-queue'
import { CccError, isCccError, type ErrorData } from '../../common/errors.ts'
import type { ExportProgress, ExportState } from '../../common/progress.ts'
import type { RecordingUrl } from '../ccc/client.ts'
import type { RpcCaller } from '../ccc/list-recordings.ts'
import { type Clock, realClock } from '../clock.ts'
import { downloadObject } from '../download/fetch-object.ts'
import { localPathFor } from '../download/local-path.ts'
import { matchesRemote } from '../download/verify-existing.ts'
import { type Logger, silentLogger } from '../log.ts'
import { AdaptiveRate, type AdaptiveRateOptions } from './api-rate.ts'
import { type ApiPolicy, isSettledApiError, withApiRetry } from './api-retry.ts'
import { backoffDelay, type BackoffPolicy, DEFAULT_BACKOFF, maxAttemptsFor } from './backoff.ts'
import { BandwidthLimit } from './bandwidth.ts'
import { ExportTable, type FileEntry } from './export-table.ts'
import { FolderLock } from './folder-lock.ts'
import { journalExists, JournalWriter, replayJournal, rewriteJournal, STATE_DIR, type ReplayResult } from './journal.ts'
import { type ExportHeaderEvent, type ExportOptions, failEvent, type ListedEvent } from './journal-events.ts'
import { describeSource, isListedSource, listingDone, runListing, sameSource } from './listing.ts'
import { PendingFolders } from './pending-folders.ts'
import { ProgressMeter } from './progress-meter.ts'
import { writeReport } from './report.ts'

/** The one CCC call the runner needs: a port, so tests and the app pass a real client. */
export interface RecordingResolver {
  downloadRecording(instanceId: string, fileName: string, options?: { signal?: AbortSignal }): Promise<RecordingUrl>
}

export interface RunnerDeps {
  readonly client: RecordingResolver
  /** For contacts and date-range exports; by default `client`, when it can make any call (CccClient can). */
  readonly rpc?: RpcCaller
  readonly fetch?: typeof fetch
  readonly clock?: Clock
  readonly log?: Logger
  readonly backoff?: BackoffPolicy
  readonly apiRate?: AdaptiveRateOptions
  /** How often progress may be pushed; about ten a second by default. */
  readonly progressIntervalMs?: number
  /** Makes renames into a folder durable; syncFolder by default. */
  readonly syncFolder?: (dir: string) => Promise<void>
}

export type NewExport = Omit<ExportHeaderEvent, 'type' | 'version' | 'id' | 'createdAt'>

export const DEFAULT_OPTIONS: ExportOptions = { concurrency: 6, layout: 'flat', maxBytesPerSecond: null }

export class ExportConflictError extends Error {
  override name = 'ExportConflictError'
}

/** A queued file, and its presigned URL when resolveAhead fetched it early. */
interface Waiting {
  readonly name: string
  readonly entry: FileEntry
  url?: Promise<string>
}

type StopKind = 'paused' | 'stopped' | 'cancelled'
type StopRequest = { kind: StopKind; reason?: ErrorData }

/**
 * Runs one export: a p-queue of transfers (resolve the presigned URL just in time, stream, verify,
 * rename), an adaptive API rate, retries by the error table, and a journal that lets a killed
 * process carry on where it was. Pause, cancel, an export-fatal code and a full disk all stop the
 * same way: abort the transfers, keep every `.part`, flush the journal, write the report.
 */
export class ExportRunner {
  readonly table: ExportTable
  private readonly clock: Clock
  private readonly fetchFn: typeof fetch
  private readonly log: Logger
  private readonly rate: AdaptiveRate
  /** The one retry/rate policy of every API call: DownloadRecording and the listing actions. */
  private readonly api: ApiPolicy
  private readonly bandwidth: BandwidthLimit
  private readonly meter: ProgressMeter
  private readonly listeners = new Set<(p: ExportProgress) => void>()
  private queue: PQueue | undefined
  private controller: AbortController | undefined
  private stopRequest: StopRequest | undefined
  private stateValue: ExportState = 'idle'
  private reason: ErrorData | undefined
  private ticker: NodeJS.Timeout | undefined
  private running: Promise<ExportState> | undefined

  private constructor(
    readonly outDir: string,
    table: ExportTable,
    private readonly journal: JournalWriter,
    private readonly folders: PendingFolders,
    private readonly lock: FolderLock,
    private readonly deps: RunnerDeps,
    readonly replay: ReplayResult | undefined,
  ) {
    this.table = table
    this.clock = deps.clock ?? realClock
    this.fetchFn = deps.fetch ?? globalThis.fetch
    this.log = deps.log ?? silentLogger
    this.rate = new AdaptiveRate(this.clock, deps.apiRate)
    this.api = { rate: this.rate, clock: this.clock, ...(deps.backoff ? { backoff: deps.backoff } : {}) }
    this.bandwidth = new BandwidthLimit(this.clock, this.header.options.maxBytesPerSecond)
    this.meter = new ProgressMeter(this.clock)
  }

  /**
   * Opens the export in `outDir`: replays its journal when there is one (a new `init` must then be
   * for the same instance), or starts a journal from `init`.
   */
  static async open(outDir: string, deps: RunnerDeps, init?: NewExport): Promise<ExportRunner> {
    const hasJournal = await journalExists(outDir)
    if (!hasJournal && !init) throw new ExportConflictError(`${outDir}: no export here (no .ccc-recordings/journal.jsonl)`)
    // Before anything is read or written: one process at a time per folder.
    const lock = await FolderLock.acquire(outDir)
    try {
      return await ExportRunner.openLocked(outDir, deps, init, hasJournal, lock)
    } catch (e) {
      await lock.release()
      throw e
    }
  }

  private static async openLocked(outDir: string, deps: RunnerDeps, init: NewExport | undefined, hasJournal: boolean, lock: FolderLock): Promise<ExportRunner> {
    const table = new ExportTable()
    let replay: ReplayResult | undefined
    if (hasJournal) {
      replay = await replayJournal(outDir, (e) => table.apply(e))
      const header = table.header
      if (!header) throw new ExportConflictError(`${outDir}: the export journal has no header line; move .ccc-recordings aside to start afresh`)
      if (init && init.instanceId !== header.instanceId) {
        throw new ExportConflictError(
          `${outDir} already holds an export for instance ${header.instanceId}; choose another folder for instance ${init.instanceId}`,
        )
      }
      // The listing follows the header's source: another kind or range here would be ignored.
      if (init && (isListedSource(init.source) || isListedSource(header.source)) && !sameSource(init.source, header.source)) {
        throw new ExportConflictError(`${outDir} already holds an export of ${describeSource(header.source)}; choose another folder for ${describeSource(init.source)}`)
      }
      // Retries and superseded lines pile up over many resumes; compaction keeps replay fast.
      const minimal = table.size + table.size / 1000 + 16
      if (replay.events > 2 * minimal || replay.damaged.length > 0) await rewriteJournal(outDir, table.compacted())
    }
    // A new export into an empty folder (but for the lock): nothing there can be one of its files or a .part.
    const freshFolder = !replay && (await holdsOnlyState(outDir))
    const folders = new PendingFolders(deps.syncFolder)
    const journal = await JournalWriter.open(outDir, { beforeWrite: () => folders.syncAll() })
    if (!table.header && init) {
      const header: ExportHeaderEvent = { type: 'export', version: 1, id: randomUUID(), createdAt: new Date().toISOString(), ...init }
      table.apply(header)
      journal.append(header)
    } else if (init && table.header) {
      const options = init.options
      table.header = { ...table.header, options }
      journal.append({ type: 'options', options })
    }
    await journal.flush()
    const runner = new ExportRunner(outDir, table, journal, folders, lock, deps, replay)
    runner.freshFolder = freshFolder
    return runner
  }

  get header(): ExportHeaderEvent {
    // open() guarantees it.
    return this.table.header!
  }

  get state(): ExportState {
    return this.stateValue
  }

  /** Adds names not already in the export; known names (and verified files) are left as they are. */
  add(names: readonly string[], startTimes?: readonly (number | null)[]): number {
    const fresh: string[] = []
    const freshStarts: (number | null)[] = []
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!
      if (this.table.files.has(name)) continue
      fresh.push(name)
      freshStarts.push(startTimes?.[i] ?? null)
    }
    for (let i = 0; i < fresh.length; i += 1000) {
      const names = fresh.slice(i, i + 1000)
      const starts = startTimes ? freshStarts.slice(i, i + 1000) : undefined
      this.table.add(names, starts)
      this.journal.append(starts ? { type: 'add', names, startTimes: starts } : { type: 'add', names })
    }
    this.changed()
    this.wakeFeed()
    return fresh.length
  }

  /**
   * Adds contact IDs to a contacts export (journalled, so `resume` lists them too); the next
   * `run()` lists those not yet listed. Returns how many were new.
   */
  addContacts(ids: readonly string[]): number {
    if (this.header.source.kind !== 'contacts') throw new ExportConflictError(`${this.outDir} is not an export of contact IDs`)
    const fresh = this.table.listing.addContacts(ids)
    for (let i = 0; i < fresh.length; i += 1000) this.journal.append({ type: 'contacts', ids: fresh.slice(i, i + 1000) })
    this.changed()
    return fresh.length
  }

  /**
   * Starts a finished date range's listing again from its first window, for a run of the same
   * range into the same folder: calls that reached CCC's records after the last listing (one
   * still in progress then, a record that arrived late) are added, and files already in the
   * export are not downloaded again. Returns false, and changes nothing, when the export is not
   * a date range or its listing has not finished (`run()` then continues it where it was).
   */
  relist(): boolean {
    const source = this.header.source
    if (source.kind !== 'range' || !listingDone(source, this.table.listing)) return false
    const event: ListedEvent = { type: 'listed', next: { at: Date.parse(source.from), page: 1 }, pages: 0, found: 0, unrecorded: 0 }
    this.table.listing.apply(event)
    this.journal.append(event)
    this.changed()
    return true
  }

  /** Listing counts so far (contacts and date-range exports): pages or contacts answered, recordings found, contacts or calls without a recording. */
  listingProgress(): { pages: number; found: number; unrecorded: number; done: boolean } | undefined {
    if (!isListedSource(this.header.source)) return undefined
    const l = this.table.listing
    return { pages: l.pages, found: l.found, unrecorded: l.unrecorded, done: listingDone(this.header.source, l) }
  }

  onProgress(listener: (p: ExportProgress) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  progress(): ExportProgress {
    const { bytesPerSecond, etaSeconds } = this.meter.estimate(this.table)
    return {
      id: this.outDir,
      state: this.stateValue,
      counts: { ...this.table.counts },
      bytes: this.table.bytes,
      bytesPerSecond,
      etaSeconds,
      failures: this.table.failures(),
      ...(this.reason ? { reason: this.reason } : {}),
      ...(isListedSource(this.header.source) ? { listing: { pages: this.table.listing.pages, found: this.table.listing.found } } : {}),
    }
  }

  /** True from `run()` until that run has settled (paused, finished, stopped or cancelled). */
  get active(): boolean {
    return this.running !== undefined
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
    return this.requestStop('paused', reason)
  }

  /** Stops and keeps what is complete; half-downloaded `.part` files are removed. */
  cancel(): Promise<ExportState> {
    return this.requestStop('cancelled')
  }

  setLimits(limits: { concurrency?: number; maxBytesPerSecond?: number | null }): void {
    const options = { ...this.header.options }
    if (limits.concurrency !== undefined) {
      options.concurrency = Math.min(64, Math.max(1, Math.floor(limits.concurrency)))
      if (this.queue) this.queue.concurrency = options.concurrency
    }
    if (limits.maxBytesPerSecond !== undefined) {
      options.maxBytesPerSecond = limits.maxBytesPerSecond
      this.bandwidth.set(limits.maxBytesPerSecond)
    }
    this.table.header = { ...this.header, options }
    this.journal.append({ type: 'options', options })
  }

  /** Failed files with `code` (all failed files without one) go back to the queue; returns how many. */
  retryGroup(code?: string): number {
    const names = this.table.requeue(code)
    if (names.length > 0) this.journal.append({ type: 'retry', names })
    if (this.stateValue === 'finished') this.stateValue = 'idle'
    this.changed()
    return names.length
  }

  async close(): Promise<void> {
    if (this.running) await this.pause()
    clearInterval(this.ticker)
    try {
      await this.journal.close()
    } finally {
      await this.lock.release()
    }
  }

  private async requestStop(kind: StopKind, reason?: ErrorData): Promise<ExportState> {
    if (!this.running) {
      if (kind === 'cancelled' && this.stateValue !== 'finished') {
        this.stateValue = 'cancelled'
        await this.settle()
      }
      return this.stateValue
    }
    this.stop(kind, reason)
    return this.running
  }

  /** The first stop wins: a fatal error during a pause is still reported, a pause after it is not. */
  private stop(kind: StopKind, reason?: ErrorData): void {
    if (this.stopRequest && this.stopRequest.kind !== 'paused') return
    this.stopRequest = { kind, ...(reason ? { reason } : {}) }
    if (kind === 'paused' || kind === 'cancelled') this.setState('pausing')
    this.queue?.clear()
    this.controller?.abort(new DOMException(kind, 'AbortError'))
    this.wakeFeed()
  }

  private async runOnce(): Promise<ExportState> {
    this.stopRequest = undefined
    this.reason = undefined
    this.listingError = undefined
    this.controller = new AbortController()
    const signal = this.controller.signal
    // Every transfer and API call in flight listens to it: more than ten at --concurrency 11 and
    // up is the design, not a leak, and must not print MaxListenersExceededWarning. Not 0
    // ("unlimited"): Node 20's getMaxListeners then throws, and undici's fetch calls it.
    setMaxListeners(4096, signal)
    const concurrency = this.header.options.concurrency
    const queue = new PQueue({ concurrency })
    this.queue = queue
    this.setState('running')
    this.journal.append({ type: 'state', state: 'running', at: new Date(this.clock.now()).toISOString() })
    // The names are the export: they must be on disk before the first byte is, or a crash
    // in the first quarter-second would leave a folder of files no journal knows about.
    await this.journal.flush()
    this.ticker = setInterval(() => this.tick(), this.deps.progressIntervalMs ?? 100)
    this.ticker.unref?.()
    // Downloads start while the listing goes on: each listed page feeds the queue at once.
    const listing = this.startListing(signal)
    try {
      // Fed lazily: a million queued closures would cost more memory than the files' own state.
      // One live iterator over the table, which sees names the listing appends; it is only asked
      // for more while more exist, because a Map iterator that once said "done" stays done.
      const files = this.table.files.entries()
      let visited = 0
      for (;;) {
        if (this.stopRequest) break
        if (visited >= this.table.files.size) {
          if (!this.listingActive) break
          await new Promise<void>((resolve) => (this.wake = resolve))
          continue
        }
        const next = files.next()
        if (next.done) break
        visited++
        const [name, entry] = next.value
        if (entry.state !== 'queued' && entry.state !== 'paused') continue
        if (queue.size >= concurrency * 2) await queue.onSizeLessThan(concurrency)
        if (this.stopRequest) break
        const waiting: Waiting = { name, entry }
        this.waiting.push(waiting)
        void queue.add(() => this.processFile(name, entry, signal, waiting))
        this.resolveAhead(signal)
      }
      await queue.onIdle()
      await listing
    } finally {
      clearInterval(this.ticker)
      this.ticker = undefined
      this.queue = undefined
      this.waiting = []
    }
    // Set by pause(), cancel() or a failing file while the queue drained; a listing that could
    // not go on leaves the export paused at its cursor, once what it found is downloaded.
    const listingStop: StopRequest | undefined = this.listingError ? { kind: 'paused', reason: this.listingError } : undefined
    const stop = (this.stopRequest as StopRequest | undefined) ?? listingStop
    this.reason = stop?.reason
    this.stateValue = stop ? stop.kind : 'finished'
    if (stop?.kind === 'cancelled') await this.removeParts()
    await this.settle()
    return this.stateValue
  }

  private listingActive = false
  private listingError: ErrorData | undefined
  private wake: (() => void) | undefined

  private wakeFeed(): void {
    const wake = this.wake
    this.wake = undefined
    wake?.()
  }

  private rpc(): RpcCaller | undefined {
    if (this.deps.rpc) return this.deps.rpc
    const client = this.deps.client as Partial<RpcCaller>
    return typeof client.call === 'function' ? (this.deps.client as unknown as RpcCaller) : undefined
  }

  /** Runs the listing beside the downloads; never rejects: how it ended is recorded instead. */
  private startListing(signal: AbortSignal): Promise<void> {
    const source = this.header.source
    if (listingDone(source, this.table.listing)) return Promise.resolve()
    const rpc = this.rpc()
    if (!rpc) {
      // A wiring mistake, not the user's: still an ending the caller can show, not a hang.
      this.listingError = { code: 'Unknown', message: 'this export lists its files, but the runner was given no RPC client (RunnerDeps.rpc)' }
      return Promise.resolve()
    }
    this.listingActive = true
    this.setState('listing')
    return runListing({
      rpc,
      instanceId: this.header.instanceId,
      source,
      state: this.table.listing,
      api: this.api,
      signal,
      log: this.log,
      add: (names, startTimes) => void this.add(names, startTimes),
      note: (key, reason) => this.note(key, reason),
      commit: (event) => this.commitListing(event),
    })
      .then(
        () => {
          if (this.stateValue === 'listing') this.setState('running')
        },
        (e: unknown) => {
          if (signal.aborted) return
          const error = toCccError(e)
          this.log.error(`listing stopped: ${error.code}: ${error.message}`)
          if (error.fatal) this.stop('stopped', error.toData())
          else if (error.handling === 'pause') this.stop('paused', error.toData())
          else this.listingError = error.toData()
          if (this.stateValue === 'listing') this.setState('running')
        },
      )
      .finally(() => {
        this.listingActive = false
        this.wakeFeed()
      })
  }

  private async commitListing(event: ListedEvent): Promise<void> {
    this.table.listing.apply(event)
    this.journal.append(event)
    // A page's cursor is durable before the next page is asked for: a kill costs one page at most.
    await this.journal.flush()
    this.changed()
  }

  /** Something listed that is not a file to download, kept as a skipped row so it is counted and reported. */
  private note(key: string, reason: string): void {
    let entry = this.table.files.get(key)
    if (entry?.state === 'skipped') return
    if (!entry) {
      this.table.add([key])
      this.journal.append({ type: 'add', names: [key] })
      entry = this.table.files.get(key)!
    }
    this.table.skip(entry, reason)
    this.journal.append({ type: 'skip', name: key, reason })
    this.log.info(`${key}: ${reason}`)
    this.changed()
  }

  private async settle(): Promise<void> {
    const state = this.stateValue
    if (state === 'paused' || state === 'finished' || state === 'stopped' || state === 'cancelled') {
      this.journal.append({ type: 'state', state, at: new Date(this.clock.now()).toISOString(), ...(this.reason ? { reason: this.reason } : {}) })
    }
    await this.journal.flush()
    try {
      await writeReport(this.outDir, this.table)
    } catch (e) {
      this.log.warn(`could not write report.csv: ${e instanceof Error ? e.message : String(e)}`)
    }
    this.emit()
  }

  private async removeParts(): Promise<void> {
    for (const [name, entry] of this.table.files) {
      if (entry.state === 'done' || entry.bytes === 0) continue
      const dest = this.destination(name, entry)
      if (!dest) continue
      await rm(`${dest}.part`, { force: true })
      await rm(`${dest}.part.etag`, { force: true })
      this.table.addPartBytes(entry, -entry.bytes)
      this.table.setState(entry, 'queued')
    }
  }

  private destination(name: string, entry: FileEntry): string | undefined {
    try {
      return localPathFor(this.outDir, name, this.header.options.layout, entry.startTime)
    } catch {
      return undefined
    }
  }

  /** One file, start to finish, with retries. Never throws: every outcome is recorded. */
  private async processFile(name: string, entry: FileEntry, signal: AbortSignal, waiting?: Waiting): Promise<void> {
    let ahead: Promise<string> | undefined
    if (waiting) {
      const at = this.waiting.indexOf(waiting)
      if (at >= 0) this.waiting.splice(at, 1)
      ahead = waiting.url
    }
    let dest: string
    try {
      dest = localPathFor(this.outDir, name, this.header.options.layout, entry.startTime)
    } catch (e) {
      this.recordFailure(name, entry, toCccError(e))
      return
    }
    let attempt = 0
    // Bytes mean a .part from an earlier try (a requeued failure keeps them).
    let untouched = this.freshFolder && entry.attempts === 0 && entry.bytes === 0
    for (;;) {
      attempt++
      entry.attempts++
      const fresh = untouched
      untouched = false
      try {
        this.table.setState(entry, 'resolving')
        this.changed()
        const resolve = () => this.resolveUrl(name, entry, signal)
        const url = await (ahead ?? resolve())
        ahead = undefined
        const existing = entry.bytes === 0 && !fresh ? await matchesRemote(url, dest, this.fetchFn, signal) : null
        if (existing) {
          this.log.info(`${name}: already on disk and identical, not downloaded again`)
          this.finish(name, entry, dest, existing.bytes, existing.crc64)
          return
        }
        this.table.setState(entry, 'downloading')
        const result = await downloadObject({
          url,
          dest,
          fetch: this.fetchFn,
          signal,
          renewUrl: resolve,
          fresh,
          onProgress: (_chunk: number, bytesInPart: number) => {
            this.table.addPartBytes(entry, bytesInPart - entry.bytes)
            this.changed()
          },
          throttle: (bytes: number) => this.bandwidth.take(bytes, signal),
        })
        this.finish(name, entry, dest, result.bytes, result.crc64)
        return
      } catch (e) {
        if (signal.aborted) {
          this.table.setState(entry, entry.bytes > 0 ? 'paused' : 'queued')
          return
        }
        const error = toCccError(e)
        if (error.fatal) {
          // The summary says it once; in-flight files that hit the same code say nothing more.
          this.log.debug(`${name}: ${error.code}: ${error.message}; stopping the export`)
          this.table.setState(entry, entry.bytes > 0 ? 'paused' : 'queued')
          this.stop('stopped', error.toData())
          return
        }
        if (error.handling === 'pause') {
          this.log.warn(`${name}: ${error.code}: ${error.message}; pausing the export`)
          this.table.setState(entry, entry.bytes > 0 ? 'paused' : 'queued')
          this.stop('paused', error.toData())
          return
        }
        const limit = error.handling === 'skip' || error.handling === 'fatal' ? 1 : maxAttemptsFor(error.handling, error.code)
        // An API error withApiRetry gave up on has had its attempts already.
        if (!error.retryable || attempt >= limit || isSettledApiError(e)) {
          this.recordFailure(name, entry, error)
          return
        }
        this.log.debug(`${name}: ${error.code} (attempt ${attempt}), retrying`)
        try {
          await this.clock.sleep(backoffDelay(attempt, this.deps.backoff ?? DEFAULT_BACKOFF), signal)
        } catch {
          this.table.setState(entry, entry.bytes > 0 ? 'paused' : 'queued')
          return
        }
      }
    }
  }

  /** DownloadRecording under the export's one API policy (withApiRetry), each retry counted for the file. */
  private async resolveUrl(name: string, entry: FileEntry, signal: AbortSignal): Promise<string> {
    const onRetry = () => void entry.attempts++
    this.resolving++
    let url: string
    try {
      ;({ url } = await withApiRetry(this.api, (s) => this.deps.client.downloadRecording(this.header.instanceId, name, { signal: s }), signal, onRetry))
    } finally {
      this.resolving--
    }
    // Only after a success: a failure may stop the export, which must not have sent more calls.
    this.resolveAhead(signal)
    return url
  }

  /**
   * Overlaps API calls with transfers: while transfer slots stream, the presigned URLs of the
   * files waiting next in the queue are fetched, so a slot that frees up starts its transfer at
   * once instead of first waiting a round trip for DownloadRecording. DownloadRecording calls in
   * flight, ahead or not, stay within the transfer concurrency, so an export-fatal reply still
   * stops the export after at most that many calls. The URLs are used seconds later (they live an hour).
   */
  private resolveAhead(signal: AbortSignal): void {
    const budget = this.header.options.concurrency
    for (const waiting of this.waiting) {
      if (this.resolving >= budget || signal.aborted || this.stopRequest) return
      if (waiting.url) continue
      const url = this.resolveUrl(waiting.name, waiting.entry, signal)
      // Its outcome, success or error, is taken by processFile.
      url.catch(() => undefined)
      waiting.url = url
    }
  }

  private finish(name: string, entry: FileEntry, dest: string, bytes: number, crc64: string | undefined): void {
    const relativePath = relative(this.outDir, dest).split(sep).join('/')
    // Usually the name itself (flat layout): keep the one string the table already holds.
    const path = relativePath === name ? name : relativePath
    this.table.done(entry, bytes, path, crc64)
    this.meter.fileDone()
    this.folders.add(dirname(dest))
    this.journal.append({ type: 'done', name, bytes, path, attempts: entry.attempts, ...(crc64 ? { crc64 } : {}) })
    this.changed()
  }

  private recordFailure(name: string, entry: FileEntry, error: CccError): void {
    this.log.warn(`${name}: ${error.code}: ${error.message}`)
    this.table.fail(entry, error.toData())
    this.journal.append(failEvent(name, error.toData(), entry.attempts))
    this.changed()
  }

  private dirty = false
  /** Files in the queue not yet started, oldest first, for resolveAhead (at most twice the concurrency). */
  private waiting: Waiting[] = []
  /** DownloadRecording calls under way, a transfer slot's own and those ahead. */
  private resolving = 0
  /**
   * The folder was empty when this new export opened: a file this process has not tried yet has
   * no final file and no .part on disk, so nobody looks for them (three file operations a file).
   */
  private freshFolder = false

  private changed(): void {
    this.dirty = true
  }

  private tick(): void {
    this.meter.sample(this.table.bytes)
    if (this.dirty) this.emit()
  }

  private setState(state: ExportState): void {
    this.stateValue = state
    this.emit()
  }

  private emit(): void {
    this.dirty = false
    if (this.listeners.size === 0) return
    const progress = this.progress()
    for (const listener of this.listeners) listener(progress)
  }
}

/** Anything thrown below becomes a CccError; an unexpected one is kept as `Unknown`, never lost. */
export function toCccError(e: unknown): CccError {
  if (isCccError(e)) return e
  const code = (e as NodeJS.ErrnoException | undefined)?.code
  if (code === 'ENOSPC') return new CccError({ code: 'DiskFull', message: 'No space left on the output disk', cause: e })
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new CccError({ code: 'Local.WriteFailed', message: e instanceof Error ? e.message : String(e), cause: e })
  }
  return new CccError({ code: 'Unknown', message: e instanceof Error ? e.message : String(e), cause: e })
}

/** True for a missing folder or one with nothing in it. */
async function holdsOnlyState(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).every((entry) => entry === STATE_DIR)
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT'
  }
}
