import type { ErrorData } from '../../common/errors.ts'
import type { JobKind } from '../../common/job.ts'
import type { emptyCounts, FailureGroup } from '../../common/progress.ts'
import type { DoneEvent, ExportHeaderEvent, FailEvent, JournalEvent } from './journal-events.ts'
import { FileColumns, type FileEntry } from './file-columns.ts'
import { LiveFiles } from './live-files.ts'
import { isListingRow } from './listing-rows.ts'
import { ListingState } from './listing-state.ts'
import { NameTable } from './name-table.ts'
import { isLeftOut, TableTallies } from './table-tallies.ts'

export type { FileEntry } from './file-columns.ts'

/**
 * Every file of an export and its state, changed by the runner or by a journal replayed; what
 * that comes to (counts, failures, bytes) is TableTallies', told of each change.
 */
export class ExportTable {
  header: ExportHeaderEvent | undefined
  /** Contact IDs and the listing cursor of a contacts or date-range export. */
  readonly listing = new ListingState()
  /** Names in the order they were added; a file's index is its place here. */
  private readonly names = new NameTable()
  private readonly columns = new FileColumns(this.names)
  readonly files: LiveFiles = new LiveFiles(this.names, this.columns)
  private readonly tallies = new TableTallies((index) => this.names.at(index))
  private cursor = 0

  /** Files in each state, and in all. */
  get counts(): ReturnType<typeof emptyCounts> {
    return this.tallies.counts
  }

  get bytes(): number {
    return this.tallies.bytes
  }

  /** What a listing found, from the rows themselves (TableTallies.listed). */
  get listed(): { readonly found: number; readonly unrecorded: number; readonly leftOut: number } {
    return this.tallies.listed
  }

  failures(): FailureGroup[] {
    return this.tallies.failures()
  }

  get size(): number {
    return this.names.size
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
    this.tallies.added()
    return true
  }

  /**
   * A skipped row that stands for nothing any more (a call's placeholder, now that its recording
   * is listed) leaves the rows and the counts; true when `name` was such a row.
   */
  drop(name: string): boolean {
    const entry = this.files.get(name)
    // A listing's failed (or torn, queued) row goes too once its lookup answers: it was never a file.
    if (entry?.state !== 'skipped' && !(isListingRow(name) && (entry?.state === 'failed' || entry?.state === 'queued'))) return false
    this.tallies.leave(entry)
    this.tallies.removed()
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
    this.tallies.leave(entry)
    entry.state = state
    this.tallies.enter(entry)
  }

  /** Bytes that reached the `.part` file, or left it when a transfer restarted from zero. */
  addPartBytes(entry: FileEntry, delta: number): void {
    entry.bytes += delta
    this.tallies.partBytesChanged(delta)
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
    this.tallies.leave(entry)
    entry.error = error
    entry.state = 'failed'
    this.tallies.enter(entry)
  }

  /** Skipped, or skipped already and now for another reason: counted under the reason it has now. */
  skip(entry: FileEntry, reason: string): void {
    this.tallies.leave(entry)
    entry.state = 'skipped'
    entry.error = { code: 'Skipped', message: reason }
    this.tallies.enter(entry)
  }

  /** Failed files of one code (or all failed files) back to the queue. */
  requeue(code?: CodeFilter): string[] {
    const names: string[] = []
    const matches = codeMatcher(code)
    for (const [name, entry] of this.files) {
      // A contact's or call's failed lookup is looked up again (Ledger.retry), never downloaded.
      if (entry.state !== 'failed' || !matches(entry.error?.code ?? '') || isListingRow(name)) continue
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

/** Which failures a retry takes: one code, the codes a test passes, or (undefined) all. */
export type CodeFilter = string | ((code: string) => boolean) | undefined

export function codeMatcher(code: CodeFilter): (code: string) => boolean {
  return typeof code === 'function' ? code : (c: string) => code === undefined || c === code
}
