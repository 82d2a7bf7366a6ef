import type { CsvCell } from '../export/csv-write.ts'
import type { Agent } from './call.ts'
import type { ManifestRow } from './manifest-row.ts'

/** The manifest's own columns, always first and in this order; the CSV source's columns follow. */
export const MANIFEST_COLUMNS = [
  'local_path', 'file_name', 'bytes', 'crc64', 'sha256', 'downloaded_at', 'verified_by',
  'contact_id', 'call_start', 'call_end', 'caller', 'callee', 'direction', 'disposition', 'agents',
  'skill_groups', 'call_duration', 'satisfaction', 'agent_id', 'agent_name', 'recording_start',
  'recording_duration',
] as const

/**
 * The manifest's header row: the fixed columns, then the CSV source's headers (the keys of its
 * rows' `meta.columns`). A source column named like a fixed one (a list of our own `file_name`,
 * `caller`) gets ` (csv)` after it, so every header is unique and a program reading the manifest
 * by header finds ours; `headers` stays the key each row's cell is read under.
 */
export function manifestHeader(headers: readonly string[]): string[] {
  const taken = new Set<string>([...MANIFEST_COLUMNS, ...headers])
  const own = new Set<string>(MANIFEST_COLUMNS)
  const renamed = headers.map((h) => {
    if (!own.has(h)) return h
    let name = `${h} (csv)`
    for (let n = 2; taken.has(name); n++) name = `${h} (csv ${n})`
    taken.add(name)
    return name
  })
  return [...MANIFEST_COLUMNS, ...renamed]
}

const CST_MS = 8 * 3_600_000

/**
 * An instant as ISO 8601 in China Standard Time (`2026-03-01T09:30:00+08:00`): the time CCC's users
 * read calls in, with the offset written out so a program reads the same instant. China has kept
 * +08:00 all year since 1991, so the offset is fixed. Milliseconds only when there are some.
 */
export function cstIso(ms: number | undefined): string | undefined {
  if (ms === undefined || !Number.isFinite(ms)) return undefined
  const d = new Date(ms + CST_MS)
  if (Number.isNaN(d.getTime())) return undefined
  const iso = d.toISOString()
  return `${d.getUTCMilliseconds() === 0 ? iso.slice(0, 19) : iso.slice(0, 23)}+08:00`
}

/** An ISO time from the journal, shown in China Standard Time; text that is not a time is kept as it is. */
function cstText(iso: string | undefined): string | undefined {
  if (iso === undefined) return undefined
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? iso : cstIso(ms)
}

const agentText = (a: Agent): string => (a.name && a.id ? `${a.name} (${a.id})` : (a.name ?? a.id ?? ''))

// `; ` and not `,`: a list inside one cell should not look like two cells to whoever reads the text.
const joined = (values: readonly string[] | undefined): string | undefined => (values && values.length > 0 ? values.join('; ') : undefined)

/** One manifest row as CSV cells: the fixed columns, then `headers` from the CSV source's row. */
export function manifestCells(row: ManifestRow, headers: readonly string[]): CsvCell[] {
  const m = row.meta
  const cells: CsvCell[] = [
    row.localPath, row.fileName, row.bytes, row.crc64, row.sha256, cstText(row.downloadedAt), row.verifiedBy,
    m.contactId, cstIso(m.callStart), cstIso(m.callEnd), m.caller, m.callee, m.direction, m.disposition,
    joined(m.agents?.map(agentText)), joined(m.skillGroups), m.callDuration, m.satisfaction,
    m.agentId, m.agentName, cstIso(m.start), m.duration,
  ]
  for (const h of headers) cells.push(m.columns?.[h])
  return cells
}
