import { resolve } from 'node:path'
import { catalogEntry } from '../common/error-catalog.ts'
import { formatBytes } from '../common/format.ts'
import { ExportTable } from '../engine/export/export-table.ts'
import { journalExists, replayJournal } from '../engine/export/journal.ts'
import type { StateEvent } from '../engine/export/journal-events.ts'
import { parse } from './args.ts'
import { UsageError } from './exit-codes.ts'
import type { CliIo } from './io.ts'
import { cliLocale } from './summary.ts'

export const STATUS_USAGE = 'ccc-recordings status <dir> [--json]'

/** Reads the journal without opening it for writing: safe while another process runs the export. */
export async function statusCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } } as const, { min: 1, max: 1, usage: STATUS_USAGE })
  const outDir = resolve(io.cwd, positionals[0]!)
  if (!(await journalExists(outDir))) throw new UsageError(`${outDir}: no export here (no .ccc-recordings/journal.jsonl)`)
  const table = new ExportTable()
  let last: StateEvent | undefined
  await replayJournal(outDir, (e) => {
    table.apply(e)
    if (e.type === 'state') last = e
  })
  const locale = cliLocale(io.env)
  const failures = table.failures().map((f) => ({ ...f, meaning: catalogEntry(f.code).meaning[locale], action: catalogEntry(f.code).action[locale] }))
  const c = table.counts
  const status = {
    outDir,
    instanceId: table.header?.instanceId,
    createdAt: table.header?.createdAt,
    state: last?.state ?? 'running',
    counts: { ...c },
    bytes: table.bytes,
    failures,
    ...(table.header?.source && table.header.source.kind !== 'names'
      ? { listing: { pages: table.listing.pages, found: table.listing.found, unrecorded: table.listing.unrecorded } }
      : {}),
    ...(last?.reason ? { reason: last.reason } : {}),
  }
  if (values.json) {
    io.stdout.write(`${JSON.stringify(status)}\n`)
    return 0
  }
  const pending = c.queued + c.resolving + c.downloading + c.paused
  const lines = [
    `Export in ${outDir} (instance ${status.instanceId}, started ${status.createdAt})`,
    `Last state: ${status.state}${last?.reason ? ` (${last.reason.code}: ${last.reason.message})` : ''}`,
    `Files: ${c.total} total, ${c.done} verified, ${c.failed} failed, ${c.skipped} skipped, ${pending} to do`,
    `Bytes on disk: ${formatBytes(table.bytes)}`,
  ]
  const source = table.header?.source
  if (source && source.kind !== 'names') {
    const l = table.listing
    lines.push(`Listing ${source.kind === 'range' ? `${source.from} to ${source.to}` : `${l.contacts.length} contact IDs`}: ${l.pages} pages, ${l.found} recordings found, ${l.unrecorded} without a recording`)
  }
  if (failures.length > 0) {
    lines.push('Failures by code:')
    for (const f of failures) lines.push(`  ${f.code}  ${f.count}  ${f.meaning}. ${f.action}`)
  }
  io.stdout.write(`${lines.join('\n')}\n`)
  return 0
}
