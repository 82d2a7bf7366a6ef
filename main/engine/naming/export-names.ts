import type { Layout } from '../../common/export-options.ts'
import { dateFolder, resolveInside, UNKNOWN_DATE_FOLDER } from '../download/local-path.ts'
import type { ExportTable, FileEntry } from '../export/export-table.ts'
import { LocalNamer } from './local-namer.ts'

/**
 * An export's names, from its table (issue 17 item 3): the journalled paths of finished files
 * first, then every other file in the order it was added. Files are named lazily, up to the one
 * asked for, so a million-file export costs nothing until its files start; a file added later
 * (the listing goes on while files download) is named after every earlier one, as a rebuild
 * from the journal would name it.
 */
export class ExportNames {
  private readonly namer: LocalNamer
  // A live iterator over the table's files in the order added: Map iteration visits entries
  // added after it began, as long as it was never run to its end (see `catchUp`).
  private readonly pending: Iterator<[string, FileEntry]>
  private named = 0

  constructor(
    private readonly table: ExportTable,
    readonly layout: Layout,
  ) {
    // Keyed by the table's own numbers: the namer keeps no copy of the names.
    const { files } = table
    this.namer = new LocalNamer({ indexOf: (name) => files.get(name)?.index ?? -1, at: (index) => files.nameAt(index) })
    for (const [name, entry] of table.files) if (entry.state === 'done' && entry.path !== undefined) this.namer.claim(name, entry.path)
    this.pending = table.files.entries()
  }

  /** The file's path relative to the export, `/` between folders; throws InvalidFileName for a name that cannot be one. */
  relativePath(name: string, entry: FileEntry): string {
    this.catchUp(entry.index)
    return this.namer.pathOf(name) ?? this.namer.assign(name, candidateOf(name, entry, this.layout))
  }

  /**
   * The file named `path` (relative, `/` between folders; `folded`: see LocalNamer.keyOf), every
   * file named first: in portions, so a million names do not hold the event loop (the app's) for
   * the seconds they take.
   */
  async ownerOf(path: string, folded = false): Promise<string | undefined> {
    while (this.named < this.table.files.size) {
      this.catchUp(this.named + NAMING_PORTION - 1)
      await new Promise((resolve) => setImmediate(resolve))
    }
    return this.namer.keyOf(path, folded)
  }

  private catchUp(index: number): void {
    // Never asks the iterator past the last file: a finished iterator stays finished.
    while (this.named <= index && this.named < this.table.files.size) {
      const next = this.pending.next()
      if (next.done) return
      this.named++
      const [name, entry] = next.value
      try {
        this.namer.assign(name, candidateOf(name, entry, this.layout))
      } catch {
        // A name that cannot be a file: its own job says so when it asks.
      }
    }
  }
}

/** A naming template's planned path (journalled when the file was added), else the layout's. */
function candidateOf(name: string, entry: FileEntry, layout: Layout): string | readonly string[] {
  return entry.state !== 'done' && entry.path !== undefined ? entry.path : candidatePath(name, layout, entry.startTime)
}

/** Where a layout puts a recording (components), before the namer makes it safe and unique. */
export function candidatePath(cccName: string, layout: Layout, startTimeMs?: number): readonly string[] {
  if (layout === 'flat') return [cccName]
  return [...(dateFolder(cccName, startTimeMs) ?? UNKNOWN_DATE_FOLDER).split('/'), cccName]
}

const cache = new WeakMap<ExportTable, ExportNames>()

// About 50 ms of naming.
const NAMING_PORTION = 10_000

/**
 * The absolute local path of `name` in the export at `outDir`, from the one namer of its table.
 * Throws InvalidFileName for a name that cannot be a file or would land outside the folder.
 */
export function localPathOf(outDir: string, table: ExportTable, layout: Layout, name: string, entry: FileEntry): string {
  return resolveInside(outDir, exportNames(table, layout).relativePath(name, entry))
}

/** The one namer of an export's table. */
export function exportNames(table: ExportTable, layout: Layout): ExportNames {
  let names = cache.get(table)
  if (names?.layout !== layout) {
    names = new ExportNames(table, layout)
    cache.set(table, names)
  }
  return names
}
