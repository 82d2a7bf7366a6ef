import type { ExportEntry, VerifySummary } from '../../common/api.ts'
import { isCccError } from '../../common/errors.ts'
import { readLastVerified } from '../../engine/calls/last-verified.ts'
import { verifyFolder } from '../../engine/calls/verify-folder.ts'
import type { ExportTable } from '../../engine/export/export-table.ts'
import type { Exports } from '../../engine/export/exports.ts'
import { HandlerError } from './context.ts'

/** Problems sent to the page: a list to read, not the whole of a damaged archive. */
export const PROBLEMS_SHOWN = 20

/** Files accepted on their length alone: no CRC-64 or MD5 came (a proxy, a captive portal's path). */
export function lengthOnlyCount(table: ExportTable): number {
  let n = 0
  for (const [, entry] of table.files) if (entry.verifiedBy === 'length') n++
  return n
}

/**
 * A History entry with what only the open export's table knows (issue 17: "verified by length
 * only"), and the folder's last verify, which a live status (read from the runner) leaves out.
 */
export async function withChecks(exports: Exports, entry: ExportEntry): Promise<ExportEntry> {
  const runner = exports.get(entry.outDir)
  if (!runner) return entry
  const lengthOnly = lengthOnlyCount(runner.table)
  const lastVerified = entry.lastVerified ?? (await readLastVerified(entry.outDir).catch(() => undefined))
  return { ...entry, ...(lengthOnly > 0 ? { lengthOnly } : {}), ...(lastVerified ? { lastVerified } : {}) }
}

/**
 * History's "Verify folder" (issue 13 item 5): every file of the manifest reread and compared,
 * and the outcome recorded, so the entry then shows when the folder was last verified.
 */
export async function verifySummary(outDir: string, exports: Exports): Promise<VerifySummary> {
  if (exports.get(outDir)?.active) throw new HandlerError('Export.Busy', `${outDir}: the export is running; verify it when it has finished`)
  try {
    const r = await verifyFolder(outDir)
    return {
      ok: r.ok,
      at: r.at,
      files: r.files,
      missing: r.missing,
      changed: r.changed,
      unexpected: r.unexpected,
      ...(r.sinceManifest > 0 ? { sinceManifest: r.sinceManifest } : {}),
      ...(r.manifest ? {} : { noManifest: true as const }),
      ...(r.unrecorded > 0 ? { unrecorded: r.unrecorded } : {}),
      ...(r.toDo ? { toDo: r.toDo } : {}),
      ...(r.listingUnfinished ? { listingUnfinished: true as const } : {}),
      problems: r.problems.slice(0, PROBLEMS_SHOWN).map((p) => ({ kind: p.kind, path: p.kind === 'damaged' ? `manifest.jsonl:${p.line}` : p.path })),
    }
  } catch (e) {
    if (isCccError(e)) throw new HandlerError(e.code, e.message)
    throw e
  }
}
