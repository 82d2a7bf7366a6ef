import { lstat, opendir } from 'node:fs/promises'
import { join } from 'node:path'
import { isTempOf } from '../atomic-file.ts'
import { STATE_DIR } from '../export/journal.ts'
import { REPORT_FILE } from '../export/report.ts'
import { MANIFEST_CSV, MANIFEST_JSONL } from './manifest-row.ts'

/** What an export writes at the top of its output folder besides recordings. */
export const OUTPUT_FILES = [REPORT_FILE, MANIFEST_CSV, MANIFEST_JSONL] as const
/** What `--dry-run` writes there: often before the export itself, into the same folder. */
export const DRY_RUN_FILE = 'dry-run.csv'
// `<name>.tmp` is the temp name older builds used mid-rewrite: a crash may have left one.
const OWN_FILES: ReadonlySet<string> = new Set([...OUTPUT_FILES.flatMap((f) => [f, `${f}.tmp`]), DRY_RUN_FILE])

/** Files of ours at the top of an output folder, not recordings (and their temp files mid-rewrite). */
const isOwn = (name: string): boolean => OWN_FILES.has(name) || OUTPUT_FILES.some((f) => isTempOf(name, f))

/** The names at the top of an output folder that a recording must not take: ours would overwrite it. */
export function ownNamesAtRoot(): readonly string[] {
  return [...OWN_FILES, STATE_DIR]
}

/** Partial downloads, anywhere: they become recordings only once verified and renamed. */
const isPartial = (name: string): boolean => name.endsWith('.part') || name.endsWith('.part.etag')

/**
 * Every entry below `outDir` that is not a folder, as a path relative to it with `/`, leaving out
 * the export's own state, report, manifest and partial files (only those, with `partial`). Folders are read as streams
 * (`opendir`), one at a time, so a folder of 100,000 files is never one array; links are listed,
 * not followed. A subfolder holding an export of its own (its own `.ccc-recordings`, as the app's
 * per-range folders inside a default folder do) is that export's: verify would call its files
 * unexpected, and a cancel here would delete its partial files while it runs.
 */
export async function* folderFiles(outDir: string, which: 'files' | 'partial' = 'files'): AsyncGenerator<string> {
  const pending = ['']
  while (pending.length > 0) {
    const rel = pending.pop()!
    const dir = await opendir(rel === '' ? outDir : join(outDir, rel), { bufferSize: 256 })
    for await (const entry of dir) {
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`
      if (rel === '' && (entry.name === STATE_DIR || isOwn(entry.name))) continue
      if (entry.isDirectory()) {
        if (!(await holdsExport(join(outDir, path)))) pending.push(path)
      } else if (isPartial(entry.name) === (which === 'partial')) yield path
    }
  }
}

async function holdsExport(dir: string): Promise<boolean> {
  try {
    return (await lstat(join(dir, STATE_DIR))).isDirectory()
  } catch {
    return false
  }
}
