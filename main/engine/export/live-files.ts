import { type FileColumns, type FileEntry, FileIndex } from './file-columns.ts'
import type { NameTable } from './name-table.ts'

/**
 * The files without the rows dropped since (`ExportTable.drop`): `get`, `has` and `for…of` (the
 * report, compaction, requeues) leave them out. `entries()`, `size` and the index accessors keep
 * them, as skipped rows: the feed and the namer walk a live `entries()` against `size` while the
 * listing appends (feed.ts, export-names.ts), and a count that shrank under them would end the
 * walk before the last names.
 */
export class LiveFiles extends FileIndex {
  /** Indexes of rows dropped since they were added: the name table cannot forget a name. */
  private readonly dropped = new Set<number>()

  constructor(names: NameTable, columns: FileColumns) {
    super(names, columns)
  }

  drop(index: number): void {
    this.dropped.add(index)
  }

  /** The dropped row at `index` is a row again; false when it was not dropped. */
  revive(index: number): boolean {
    return this.dropped.delete(index)
  }

  /** Whether the row at `index` is one (not dropped): for walks by index, which keep dropped rows. */
  isRow(index: number): boolean {
    return this.dropped.size === 0 || !this.dropped.has(index)
  }

  /** Rows dropped: none in most exports. */
  get droppedRows(): number {
    return this.dropped.size
  }

  override has(name: string): boolean {
    return this.get(name) !== undefined
  }

  override get(name: string): FileEntry | undefined {
    const entry = super.get(name)
    return entry && this.dropped.has(entry.index) ? undefined : entry
  }

  override [Symbol.iterator](): IterableIterator<[string, FileEntry]> {
    // Most exports never drop a row: their walks (a report of a million rows) pay for no filter.
    return this.dropped.size === 0 ? this.entries() : this.withoutDropped()
  }

  private *withoutDropped(): IterableIterator<[string, FileEntry]> {
    for (const pair of this.entries()) if (!this.dropped.has(pair[1].index)) yield pair
  }
}
