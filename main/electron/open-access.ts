import { lstat } from 'node:fs/promises'
import { basename, dirname, resolve } from 'node:path'
import { MANIFEST_CSV, MANIFEST_JSONL } from '../engine/calls/manifest-row.ts'
import { REPORT_FILE } from '../engine/export/report.ts'

/** The files of an export folder the page offers to open: what the export wrote for people to read. */
const OPENABLE_FILES: ReadonlySet<string> = new Set([REPORT_FILE, MANIFEST_CSV, MANIFEST_JSONL])

/**
 * Whether the page may have the desktop open `path` with its default program: opening is running,
 * for a program or a script, and the page is not trusted. So only what the app shows an Open button
 * for: an export folder the app knows, or its report or manifest, as Play only reads inside those
 * folders (play-access.ts). Kept free of Electron, so it is tested directly.
 */
export async function mayOpen(path: string, folders: readonly string[]): Promise<boolean> {
  const target = resolve(path)
  const known = new Set(folders.map((f) => resolve(f)))
  if (known.has(target)) return true
  if (!OPENABLE_FILES.has(basename(target)) || !known.has(dirname(target))) return false
  // A link named report.csv could lead to a program: only the regular file the export wrote.
  return lstat(target).then(
    (s) => s.isFile(),
    () => false,
  )
}
