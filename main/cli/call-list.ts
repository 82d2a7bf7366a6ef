import { formatBytes } from '../common/format.ts'
import { terminalSafe } from '../common/terminal-text.ts'
import type { RecordingMeta } from '../engine/calls/call.ts'
import { columnKeys, fieldColumns, metaFromRow } from '../engine/calls/csv-meta.ts'
import { type DryRun, writeDryRun } from '../engine/calls/dry-run.ts'
import { filterLabel, keepFiltered, type LeftOut } from '../engine/calls/filters.ts'
import { checkColumns } from '../engine/calls/name-template.ts'
import type { ImportResult } from '../engine/import/csv.ts'
import type { CallChoices } from './call-options.ts'
import { UsageError } from './exit-codes.ts'
import type { CliIo } from './io.ts'

/**
 * A list's own columns as each name's call metadata (issue 13): what `{col:…}`, `{agent}` or
 * `{date}` render from, and what the manifest keeps. The template's columns are checked against
 * the list's headers, and the filter is applied here, since no API lists these calls.
 */
/** A list's names as the export takes them: those its filter kept, and why it left out the others. */
export interface FilteredList {
  readonly names: string[]
  readonly metas: (RecordingMeta | undefined)[]
  readonly leftOut?: readonly LeftOut[]
  /** What each filter left out, by its name (the dry run prints them). */
  readonly removed: Record<string, number>
}

export function listMetas(result: ImportResult, label: string, choices: CallChoices, io: CliIo): FilteredList {
  const header = result.header?.cells
  if (choices.template && choices.template.columns.length > 0) {
    if (!header) throw new UsageError(`${label}: the name template asks for columns (${choices.template.columns.join(', ')}), but the list has no header row`)
    try {
      // The keys the row's cells are kept under: a repeated or empty header is told apart there.
      checkColumns(choices.template, columnKeys(header))
    } catch (e) {
      throw new UsageError(`${label}: ${(e as Error).message}`)
    }
  }
  const rows = result.rows
  if (!header || !rows) return keepAll(result.names, choices, label, io)
  const at = fieldColumns(header)
  const keys = columnKeys(header)
  const metas: RecordingMeta[] = []
  let warned = 0
  for (const row of rows) {
    const { meta, warnings } = metaFromRow(header, row.cells, at, keys)
    metas.push(meta)
    for (const w of warnings) {
      if (warned++ < 10) io.stderr.write(`${label}: row ${row.row}: ${terminalSafe(w.column)} "${terminalSafe(w.value)}" ${w.why}\n`)
    }
  }
  if (warned > 10) io.stderr.write(`${label}: ${warned - 10} more cells could not be read as their column says (kept as text in the manifest)\n`)
  return filtered(result.names, metas, choices, label, io)
}

/**
 * The metadata of a name from a list without columns: nothing, one object for every name. An
 * object per name was 100,000 of them held for the whole of bench part b's run (6 MB); frozen,
 * since a change to it would be a change to every name's.
 */
const NO_META: RecordingMeta = Object.freeze({})

function keepAll(names: string[], choices: CallChoices, label: string, io: CliIo) {
  return filtered(
    names,
    names.map(() => NO_META),
    choices,
    label,
    io,
  )
}

function filtered(names: string[], metas: RecordingMeta[], choices: CallChoices, label: string, io: CliIo): FilteredList {
  const filter = choices.filter
  if (!filter) return { names, metas, removed: {} }
  let kept
  try {
    kept = keepFiltered(names, metas, filter)
  } catch (e) {
    throw new UsageError(`${label}: ${(e as Error).message}`)
  }
  const removed = Object.entries(kept.tally.removed).map(([by, n]) => `${n} by ${filterLabel(by)}`)
  if (removed.length > 0) io.stderr.write(`${label}: ${kept.names.length} of ${names.length} names kept; left out ${removed.join(', ')}\n`)
  return { names: kept.names, metas: kept.metas, leftOut: kept.leftOut, removed: kept.tally.removed }
}

/** What a dry run found, on stdout (one JSON object with --json), and where its list is. */
export async function tellDryRun(plan: DryRun, dir: string, timeZone: string | undefined, io: CliIo, json: boolean): Promise<number> {
  const file = await writeDryRun(dir, plan, timeZone)
  if (json) {
    io.stdout.write(`${JSON.stringify({ dryRun: true, calls: plan.calls, recordings: plan.recordings.length, estimatedBytes: plan.estimatedBytes, removed: plan.removed, unrecorded: plan.unrecorded, refused: plan.refused, list: file })}\n`)
    return 0
  }
  const size = plan.estimatedBytes === null ? 'size unknown (no durations)' : `about ${formatBytes(plan.estimatedBytes)} (from the durations)`
  const lines = [`Dry run: ${plural(plan.calls, 'call')}, ${plural(plan.recordings.length, 'recording')}, ${size}; nothing was downloaded`]
  for (const [by, n] of Object.entries(plan.removed)) lines.push(`  left out by ${filterLabel(by)}: ${n}`)
  if (plan.unrecorded > 0) lines.push(`  calls or contacts without a recording: ${plan.unrecorded}`)
  for (const [code, n] of Object.entries(plan.refused)) lines.push(`  contact IDs or calls CCC could not look up (${code}): ${n}`)
  for (const r of plan.recordings.slice(0, 5)) lines.push(`  ${r.localPath}`)
  if (plan.recordings.length > 5) lines.push(`  … and ${plan.recordings.length - 5} more`)
  lines.push(`What would be downloaded, with the local names: ${file}`)
  io.stdout.write(`${lines.join('\n')}\n`)
  return 0
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`
