import { resolve } from 'node:path'
import { catalogEntry } from '../common/error-catalog.ts'
import { formatBytes } from '../common/format.ts'
import type { ExportStatus } from '../common/progress.ts'
import { API_V1 } from '../common/api-version.ts'
import { readExportState } from '../engine/export/export-status.ts'
import { listNeverRecorded, listNotRecorded } from '../engine/export/exports.ts'
import { freeSpace } from '../engine/free-space.ts'
import { noExportReason, readExportHeader } from '../engine/export/journal.ts'
import { generationName } from '../engine/export/rebind.ts'
import { parse } from './args.ts'
import { UsageError } from './exit-codes.ts'
import type { CliIo } from './io.ts'
import { recheckWords } from './recheck-note.ts'
import { terminalSafe } from '../common/terminal-text.ts'
import { readSyncStatusOrDamage, syncDamagedLine, syncLines } from './sync-status.ts'
import { actionForTerminal, cliLocale, explained, quoteArg, retryableLine, retryableOf } from './summary.ts'

export const STATUS_USAGE = 'ccc-recordings status <dir> [--json]'

/**
 * Reads the export's status without opening it for writing: safe while another process runs it.
 * It is the status the app's History shows (export-status.ts): an export whose process is gone
 * reads as paused, "interrupted".
 */
export async function statusCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } } as const, { min: 1, max: 1, usage: STATUS_USAGE })
  const outDir = resolve(io.cwd, positionals[0]!)
  const state = await readExportState(outDir)
  if (!state) throw new UsageError(`${outDir}: no export here (${await noExportReason(outDir)})`)
  const { status, table } = state
  const locale = cliLocale(io.env)
  const explain = (code: string) => ({ meaning: catalogEntry(code).meaning[locale], action: actionForTerminal(catalogEntry(code).action[locale], code) })
  const failures = status.failures.map((f) => ({ ...f, ...explain(f.code) }))
  // Why it stopped, explained as the run's summary explained it: the server's message alone can be 600 characters of string-to-sign.
  const reason = status.reason ? { ...status.reason, ...explain(status.reason.code) } : undefined
  const free = await freeSpace(outDir)
  const { sync, damaged } = await readSyncStatusOrDamage(outDir, Date.now(), table)
  // Which API generation, and for 2.0 which recordings: a folder's files are of one only.
  const source = (await readExportHeader(outDir))?.source
  const generation = source ? { apiVersion: source.api ?? API_V1, ...(source.api === undefined ? {} : { recording: source.recording ?? 'mono' }) } : {}
  if (values.json) {
    // Its own key: a reader of `sync` finds what it always found, or nothing.
    io.stdout.write(`${JSON.stringify({ ...status, ...(reason ? { reason } : {}), ...(free === undefined ? {} : { freeBytes: free }), ...generation, failures, ...retryableOf(failures), ...(sync ? { sync } : {}), ...(damaged ? { syncDamaged: damaged } : {}) })}\n`)
    return 0
  }
  // sync-last.json is written when a run ends: one that was killed left none, so say so here.
  const killedSync = sync && status.interrupted ? ['The last sync run was interrupted (killed, or the computer stopped): the next sync goes on from the mark'] : []
  const goOn = sync ? 'the next sync continues it' : 'resume continues it'
  const lines = [...describe(status, goOn, reason ? reasonLines(reason) : [], free), ...(source ? [`Of: ${status.source}, ${generationName(source)}`] : []), ...(sync ? syncLines(sync) : []), ...killedSync, ...(damaged ? [syncDamagedLine(damaged)] : [])]
  // A run killed between the header and its list: resume refuses it (exports.ts), so say what does work.
  const running = status.state === 'running' || status.state === 'listing' || status.state === 'pausing'
  if (source && !running && listNeverRecorded(source, table)) lines.push(terminalSafe(listNotRecorded(outDir, source)))
  if (failures.length > 0) {
    lines.push('Failures by code:')
    // Columns as the run's summary has them (summary.ts formatSummary).
    const width = Math.max(...failures.map((f) => terminalSafe(f.code).length))
    for (const f of failures) lines.push(`  ${terminalSafe(f.code).padEnd(width)}  ${String(f.count).padStart(6)}  ${explained(f)}`)
    const { retryable } = retryableOf(failures)
    // While a run holds the folder, it is the one trying: resume would be refused as busy.
    if (retryable && !running) lines.push(terminalSafe(retryableLine(retryable, sync ? 'the next sync' : `ccc-recordings resume ${quoteArg(outDir)}`)))
  }
  io.stdout.write(`${lines.join('\n')}\n`)
  return 0
}

/** `goOn`: what continues an interrupted export here (a sync folder's is the next sync, not a resume); `why`: the stop explained. */
function describe(status: ExportStatus, goOn: string, why: readonly string[], free: number | undefined): string[] {
  const c = status.counts
  const pending = c.queued + c.resolving + c.downloading + c.paused + c.restoring
  // Archived 2.0 recordings whose restore was asked for: resume asks again, then downloads them.
  const restoring = c.restoring > 0 ? ` (${c.restoring} of them restoring from archive storage)` : ''
  const state = status.interrupted ? ` (interrupted: no process is running it; ${goOn})` : status.reason ? ` (${terminalSafe(status.reason.code)})` : ''
  const lines = [
    `Export in ${status.outDir} (instance ${status.instanceId}, started ${status.createdAt})`,
    `Last state: ${status.state}${state}`,
    ...why,
    `Files: ${c.total} total, ${c.done} verified, ${c.failed} failed, ${c.skipped} skipped, ${pending} to do${restoring}`,
    `Bytes on disk: ${formatBytes(status.bytes)}`,
    ...(free === undefined ? [] : [freeLine(free, status, goOn)]),
  ]
  if (status.recheck) lines.push(`Not on disk as journalled: ${recheckWords(status.recheck)}; counted as to do (resume downloads them again)`)
  lines.push(verifiedLine(status.lastVerified, status.counts.done))
  if (status.listing) {
    const l = status.listing
    const where = l.done ? 'complete' : 'not complete: resume goes on listing'
    lines.push(`Listing ${l.of} (${where}): ${l.pages} pages, ${l.found} recordings found, ${l.unrecorded} without a recording${l.leftOut > 0 ? `, ${l.leftOut} left out by the filters` : ''}`)
  }
  return lines
}

/** Below this, an export with files still to do is taken to have stopped for want of room. */
const NEARLY_FULL = 64 * 1024 * 1024

/**
 * The disk's free space; nearly full, with files still to do, it is the likely reason for a stop
 * whose journal could not record one (the disk filled before the journal's next line).
 */
function freeLine(free: number, status: ExportStatus, goOn: string): string {
  const c = status.counts
  const toDo = c.queued + c.resolving + c.downloading + c.paused
  if (free >= NEARLY_FULL || toDo === 0) return `Free on its disk: ${formatBytes(free)}`
  return `Free on its disk: ${formatBytes(free)}, too little to go on (a full disk pauses an export, and can keep its journal from saying so): free some space; then ${goOn}`
}

/** The stop's code with its meaning and what to do, then the server's or the system's own words. */
function reasonLines(r: { readonly code: string; readonly message: string; readonly meaning: string; readonly action: string }): string[] {
  return [`${terminalSafe(r.code)}: ${explained(r)}`, ...(r.message ? [`  ${terminalSafe(r.message)}`] : [])]
}

/** Same-size changes are only seen by `verify`: say when it last ran, and how it went. */
function verifiedLine(v: ExportStatus['lastVerified'], done: number): string {
  if (!v) return 'Last verified: never (ccc-recordings verify <dir> rereads every file against its SHA-256 in the manifest)'
  // A check of an earlier state of the export: it says nothing of the files verified since.
  const since = v.files < done ? `; the export has ${done} verified files now (verify again to check them all)` : ''
  if (v.ok) return `Last verified: ${v.at}, all ${v.files} files match${since}`
  return `Last verified: ${v.at}, ${v.missing} missing, ${v.changed} changed, ${v.unexpected} unexpected${v.unrecorded ? `, ${v.unrecorded} not yet recorded as verified` : ''}`
}
