import type { JobKind } from '../../common/job.ts'
import { ExportTable } from '../export/export-table.ts'
import { replayJournal } from '../export/journal.ts'
import { isListedSource, listingDone } from '../export/listing.ts'
import type { StateEvent } from '../export/journal-events.ts'
import { ExportNames } from '../naming/export-names.ts'
import type { ManifestRow } from './manifest-row.ts'
import { manifestRows } from './meta-store.ts'

const RESUMED: ReadonlySet<JobKind> = new Set(['queued', 'resolving', 'downloading', 'paused', 'restoring'])

/**
 * What the export's journal knows that its manifest may not: the manifest is rewritten when an
 * export pauses or ends, so one that was killed or lost power has files the journal records as
 * verified and the manifest does not list yet, and a few files renamed into place in the moment
 * before their journal line was written. Read without opening the export for writing, so it is
 * safe beside a process that runs it.
 */
export class JournalView {
  private pending: Set<string> | undefined

  private constructor(
    private readonly table: ExportTable,
    /** The last run's state as journalled (with the lock, whether a run is going on: export-status.ts). */
    readonly lastState: StateEvent | undefined,
  ) {}

  static async read(outDir: string): Promise<JournalView> {
    const table = new ExportTable()
    let last: StateEvent | undefined
    await replayJournal(outDir, (e) => {
      table.apply(e)
      if (e.type === 'state') last = e
    })
    return new JournalView(table, last)
  }

  /** Recordings the export has still to download (a resume's work), those whose file a crash left unrecorded included. */
  get toDo(): number {
    const c = this.table.counts
    return c.queued + c.resolving + c.downloading + c.paused + c.restoring
  }

  /** A contacts or date-range export whose listing stopped before its end: there may be calls it has not seen. */
  get listingUnfinished(): boolean {
    const source = this.table.header?.source
    return source !== undefined && isListedSource(source) && !listingDone(source, this.table.listing)
  }

  /** Every file the journal records as verified, as the manifest will list it once rewritten. */
  async verifiedRows(outDir: string): Promise<Iterable<ManifestRow>> {
    return manifestRows(outDir, this.table)
  }

  /**
   * True for a path where the export puts a file it has not recorded as verified: its own
   * download, which the next resume checks, not a stranger's file. The names are made on the
   * first question only, by the namer the runner uses, collision suffixes included.
   */
  isPending(relativePath: string): boolean {
    if (!this.pending) {
      this.pending = new Set()
      const names = new ExportNames(this.table, this.table.header?.options.layout ?? 'flat')
      for (const [name, entry] of this.table.files) {
        // Only a row a resume downloads: a failed or skipped one stays so, and its file is not ours.
        if (!RESUMED.has(entry.state)) continue
        try {
          this.pending.add(names.relativePath(name, entry).normalize('NFC'))
        } catch {
          // A name that cannot be a file has no file to find.
        }
      }
    }
    return this.pending.has(relativePath.normalize('NFC'))
  }
}
