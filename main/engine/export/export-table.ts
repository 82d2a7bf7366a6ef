import type { ErrorData } from '../../common/errors.ts'
import type { JobKind } from '../../common/job.ts'
import { emptyCounts, type FailureGroup } from '../../common/progress.ts'
import type { DoneEvent, ExportHeaderEvent, FailEvent, JournalEvent } from './journal-events.ts'
import { FileColumns, type FileEntry } from './file-columns.ts'
import { LiveFiles } from './live-files.ts'
import { FILTERED } from '../calls/filters.ts'
import { ListingState } from './listing-state.ts'
import { NameTable } from './name-table.ts'

export type { FileEntry } from './file-columns.ts'

/**
 * Every file of an export and its state, with the counts and failure groups kept up to date on
 * each change, so progress costs the same for ten files or a million.
 */
export class ExportTable {
  header: ExportHeaderEvent | undefined
  readonly counts = emptyCounts()
  /** Contact IDs and the listing cursor of a contacts or date-range export. */
  readonly listing = new ListingState()
  private readonly failureGroups = new Map<string, { count: number; sample: string }>()
  /** Names in the order they were added; a file's index is its place here. */
  private readonly names = new NameTable()
  private readonly columns = new FileColumns(this.names)
  readonly files: LiveFiles = new LiveFiles(this.names, this.columns)
  private cursor = 0
  private doneBytes = 0
  private partBytes = 0
  /** Skipped rows of calls or contacts without a recording (`call/<id>`, `contact/<id>`: no recording's name holds a `/`). */
  private placeholderRows = 0
  /** Skipped rows a filter left out. */
  private leftOutRows = 0

  get bytes(): number {
    return this.doneBytes + this.partBytes
  }

  get size(): number {
    return this.names.size
  }

  /**
   * What a listing found, from the rows themselves: its recordings (those a filter left out
   * aside), and the calls or contacts without one. The journal's own counts add up what each
   * step found, so overlapping windows, a relist, or a journal older builds wrote count some twice.
   */
  get listed(): { readonly found: number; readonly unrecorded: number } {
    return { found: this.counts.total - this.placeholderRows - this.leftOutRows, unrecorded: this.placeholderRows }
  }

  failures(): FailureGroup[] {
    return [...this.failureGroups]
      .map(([code, g]) => ({ code, count: g.count, sample: g.sample }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
  }

  /** Adds names not seen before, in order; returns how many were new. */
  add(names: readonly string[], startTimes?: readonly (number | null)[], paths?: readonly (string | null)[]): number {
    let added = 0
    for (let i = 0; i < names.length; i++) if (this.addOne(names[i]!, startTimes?.[i], paths?.[i])) added++
    return added
  }

  /** Adds one name unless the export has it already; true when it was new (or had been dropped). */
  addOne(name: string, startTime?: number | null, path?: string | null): boolean {
    const start = typeof startTime === 'number' ? startTime : undefined
    const planned = typeof path === 'string' ? path : undefined
    if (this.names.add(name) >= 0) this.columns.push(start, planned)
    else if (!this.revive(name, start, planned)) return false
    this.counts.queued++
    this.counts.total++
    return true
  }

  /**
   * A skipped row that stands for nothing any more (a call's placeholder, now that its recording
   * is listed) leaves the rows and the counts; true when `name` was such a row.
   */
  drop(name: string): boolean {
    const entry = this.files.get(name)
    if (entry?.state !== 'skipped') return false
    this.leave(entry)
    this.counts.total--
    entry.error = undefined
    // The column keeps `skipped`: the feed's and the namer's walks over every index pass it by.
    this.files.drop(entry.index)
    return true
  }

  /** A dropped name added again: a new row in its old place. */
  private revive(name: string, startTime: number | undefined, path: string | undefined): boolean {
    if (this.files.droppedRows === 0) return false
    const i = this.names.indexOf(name)
    if (!this.files.revive(i)) return false
    const entry = this.files.at(i)
    entry.state = 'queued'
    entry.startTime = startTime
    entry.path = path
    entry.attempts = 0
    return true
  }

  setState(entry: FileEntry, state: JobKind): void {
    if (entry.state === state) return
    this.leave(entry)
    entry.state = state
    this.counts[state]++
    if (state === 'done') {
      this.partBytes -= entry.bytes
      this.doneBytes += entry.bytes
    }
    if (state === 'failed' && entry.error) this.countFailure(entry.error)
  }

  /** Bytes that reached the `.part` file, or left it when a transfer restarted from zero. */
  addPartBytes(entry: FileEntry, delta: number): void {
    entry.bytes += delta
    this.partBytes += delta
  }

  done(entry: FileEntry, bytes: number, path: string, crc64?: string, verifiedBy?: string): void {
    this.addPartBytes(entry, bytes - entry.bytes)
    entry.path = path
    if (crc64 !== undefined) entry.crc64 = crc64
    entry.verifiedBy = verifiedBy === 'md5' || verifiedBy === 'length' ? verifiedBy : undefined
    entry.error = undefined
    this.columns.setWrote(entry.index)
    this.setState(entry, 'done')
  }

  fail(entry: FileEntry, error: ErrorData): void {
    this.leave(entry)
    entry.error = error
    entry.state = 'failed'
    this.counts.failed++
    this.countFailure(error)
  }

  skip(entry: FileEntry, reason: string): void {
    // Skipped already: setState leaves it be, so its row is taken off the count here, under its old reason.
    if (entry.state === 'skipped') this.countRow(entry, -1)
    this.setState(entry, 'skipped')
    entry.error = { code: 'Skipped', message: reason }
    this.countRow(entry, 1)
  }

  private countRow(entry: FileEntry, by: 1 | -1): void {
    if (entry.state !== 'skipped') return
    if (this.names.at(entry.index).includes('/')) this.placeholderRows += by
    else if (isLeftOut(entry)) this.leftOutRows += by
  }

  /** Failed files of one code (or all failed files) back to the queue. */
  requeue(code?: string | ((code: string) => boolean)): string[] {
    const names: string[] = []
    const matches = typeof code === 'function' ? code : (c: string) => code === undefined || c === code
    for (const [name, entry] of this.files) {
      if (entry.state !== 'failed' || !matches(entry.error?.code ?? '')) continue
      this.requeueEntry(entry)
      names.push(name)
    }
    return names
  }

  /**
   * Names a list's filter left out before, asked for again without being left out: back to the
   * queue, as a retry's are (and journalled as one).
   */
  requeueLeftOut(names: readonly string[]): string[] {
    const back: string[] = []
    for (const name of names) {
      const entry = this.files.get(name)
      if (entry && isLeftOut(entry)) {
        this.requeueEntry(entry)
        back.push(name)
      }
    }
    return back
  }

  /** A failed file starts over: no error, and a fresh budget of attempts. */
  private requeueEntry(entry: FileEntry): void {
    this.setState(entry, 'queued')
    entry.error = undefined
    entry.attempts = 0
  }

  /** A file found not on disk as journalled, as a `recheck` line replays it: a done one is queued again. */
  recheck(entry: FileEntry): void {
    if (entry.state === 'done') this.undo(entry)
  }

  /** A done file not on disk as journalled: queued again from nothing, with a fresh budget of attempts. */
  private undo(entry: FileEntry): void {
    this.setState(entry, 'queued')
    this.addPartBytes(entry, -entry.bytes)
    // The path stays: the file is downloaded again to where it was (a template's place included).
    entry.crc64 = undefined
    entry.attempts = 0
  }

  /** Files whose archived recording is being restored: only those still to do (a later `done` or `fail` wins). */
  private restoring(names: readonly string[]): void {
    for (const name of names) {
      const entry = this.files.get(name)
      if (entry && (entry.state === 'queued' || entry.state === 'paused')) this.setState(entry, 'restoring')
    }
  }

  private leave(entry: FileEntry): void {
    this.countRow(entry, -1)
    this.counts[entry.state]--
    if (entry.state === 'done') {
      this.doneBytes -= entry.bytes
      this.partBytes += entry.bytes
    }
    if (entry.state === 'failed' && entry.error) {
      const group = this.failureGroups.get(entry.error.code)
      if (group && --group.count === 0) this.failureGroups.delete(entry.error.code)
    }
  }

  private countFailure(error: ErrorData): void {
    const group = this.failureGroups.get(error.code)
    if (group) group.count++
    else this.failureGroups.set(error.code, { count: 1, sample: error.message })
  }

  /**
   * The place of a journalled name. Journal lines mostly follow the order files were added
   * (compaction writes them in exactly that order; a live export finishes files roughly in
   * queue order), so the place after the last one found is tried first: a comparison of the
   * name with that place's bytes instead of a hash lookup in a table of a million names.
   */
  private find(name: string): number {
    const next = this.cursor
    if (this.names.isAt(next, name)) {
      this.cursor = next + 1
      return this.files.isRow(next) ? next : -1
    }
    const i = this.names.indexOf(name)
    if (i < 0) return -1
    this.cursor = i + 1
    return this.files.isRow(i) ? i : -1
  }

  private replayDone(event: DoneEvent): void {
    const i = this.find(event.name)
    if (i < 0) return
    const entry = this.files.at(i)
    entry.attempts = event.attempts ?? entry.attempts
    // The usual flat path is the name: a flag bit, not another million strings (file-columns.ts).
    this.done(entry, event.bytes, event.path, event.crc64, event.by)
  }

  private replayFail(event: FailEvent): void {
    const i = this.find(event.name)
    if (i < 0) return
    const entry = this.files.at(i)
    entry.attempts = event.attempts
    const { code, message, status, requestId } = event
    this.fail(entry, { code, message, ...(status === undefined ? {} : { status }), ...(requestId === undefined ? {} : { requestId }) })
  }

  /** Replays one journal event. Unknown event types are ignored, so older builds can read newer journals. */
  apply(event: JournalEvent): void {
    switch (event.type) {
      case 'export':
        this.header ??= event
        return
      case 'options':
        if (this.header) this.header = { ...this.header, options: event.options }
        return
      case 'source':
        // Only a range moved on (`sync`): another kind would change what the listing cursor means.
        if (this.header?.source.kind === 'range' && event.source.kind === 'range') this.header = { ...this.header, source: event.source }
        return
      case 'add':
        this.add(event.names, event.startTimes, event.paths)
        return
      case 'done':
        this.replayDone(event)
        return
      case 'fail':
        this.replayFail(event)
        return
      case 'skip': {
        const i = this.find(event.name)
        if (i >= 0) this.skip(this.files.at(i), event.reason)
        return
      }
      case 'drop':
        for (const name of event.names) this.drop(name)
        return
      case 'retry':
        for (const name of event.names) {
          const entry = this.files.get(name)
          if (entry?.state === 'failed' || (entry && isLeftOut(entry))) this.requeueEntry(entry)
        }
        return
      case 'recheck':
        for (const name of event.names) {
          const entry = this.files.get(name)
          if (!entry) continue
          this.recheck(entry)
          // Also where it is not done now (a compacted journal says so of a file it had written).
          this.columns.setWrote(entry.index)
        }
        return
      // A `state` line changes nothing here (it falls out of the switch).
      case 'restore':
        return this.restoring(event.names)
      case 'contacts':
      case 'listed':
        this.listing.apply(event)
        return
    }
  }
}

/** Skipped because a filter left it out (not a call without a recording, which stays skipped). */
function isLeftOut(entry: FileEntry): boolean {
  return entry.state === 'skipped' && entry.error?.message.startsWith(FILTERED) === true
}
