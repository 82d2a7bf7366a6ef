import { compact, type RecordingMeta } from './call.ts'

/**
 * A console or CRM export's row as call metadata (issue 13): every column is kept as text under
 * its header, and the headers we recognise (主叫号码, 被叫号码, 坐席, 开始时间 …) also fill the call
 * model. A cell that does not read as what its header says (a date Excel reformatted) stays text
 * in the manifest, and the caller is told with a warning naming the row.
 */

type Field = 'contactId' | 'caller' | 'callee' | 'agentName' | 'agentId' | 'skillGroup' | 'direction' | 'disposition' | 'start' | 'duration'

const HEADERS: Record<Field, readonly string[]> = {
  contactId: ['话务ID', '通话ID', '联络ID', 'ContactId', 'Contact ID'],
  caller: ['主叫号码', '主叫', 'CallingNumber', 'Caller', 'From'],
  callee: ['被叫号码', '被叫', 'CalledNumber', 'Callee', 'To'],
  agentName: ['坐席', '坐席名称', '坐席姓名', '坐席名', 'AgentName', 'Agent'],
  agentId: ['坐席工号', '坐席ID', '工号', 'AgentId', 'Agent ID'],
  skillGroup: ['技能组', '技能组名称', 'SkillGroup', 'SkillGroupName'],
  direction: ['呼叫类型', '通话类型', '呼叫方向', '方向', 'ContactType', 'Direction'],
  disposition: ['通话结果', '挂断原因', 'ContactDisposition', 'Disposition'],
  start: ['开始时间', '通话开始时间', '呼叫时间', 'StartTime', 'Start Time'],
  duration: ['时长', '通话时长', '录音时长', 'Duration'],
}

const normal = (h: string): string => h.toLowerCase().replace(/[\s_-]+/g, '')

/** For each recognised field, the column it is in (first match), from the header row. */
export function fieldColumns(header: readonly string[]): Partial<Record<Field, number>> {
  const at: Partial<Record<Field, number>> = {}
  const cells = header.map(normal)
  for (const [field, names] of Object.entries(HEADERS) as [Field, readonly string[]][]) {
    const i = cells.findIndex((c) => names.some((n) => normal(n) === c))
    if (i >= 0) at[field] = i
  }
  return at
}

export interface CsvMetaWarning {
  readonly column: string
  readonly value: string
  readonly why: string
}

/**
 * Each column's key in `meta.columns` (and so its header in the manifest): its header, unless that
 * header came earlier (`坐席 (2)`) or is empty (`column 4`, counted from 1 as a spreadsheet does).
 * A header seen once keeps its own text, so `{col:…}` finds it; the generated keys steer clear of it.
 */
export function columnKeys(header: readonly string[]): string[] {
  const named = (h: string) => h.trim() !== ''
  const taken = new Set(header.filter(named))
  const seen = new Set<string>()
  return header.map((h, i) => {
    if (named(h) && !seen.has(h)) {
      seen.add(h)
      return h
    }
    const base = named(h) ? h : `column ${i + 1}`
    let key = base
    for (let n = 2; taken.has(key); n++) key = `${base} (${n})`
    taken.add(key)
    return key
  })
}

/** A row's metadata, and what in it could not be read as its header says. */
export function metaFromRow(
  header: readonly string[],
  cells: readonly string[],
  // Both from the header alone: a million-row list passes them in, made once.
  at = fieldColumns(header),
  keys = columnKeys(header),
): { meta: RecordingMeta; warnings: CsvMetaWarning[] } {
  const columns: Record<string, string> = {}
  keys.forEach((key, i) => {
    if (cells[i] !== undefined && cells[i] !== '') columns[key] = cells[i]!
  })
  const cell = (f: Field) => (at[f] === undefined ? undefined : cells[at[f]]?.trim() || undefined)
  const read = { start: readTime(cell('start')), duration: readSeconds(cell('duration')), direction: readDirection(cell('direction')) }
  const agentName = cell('agentName')
  const agentId = cell('agentId')
  const meta = compact({
    contactId: cell('contactId'),
    caller: cell('caller'),
    callee: cell('callee'),
    direction: read.direction ?? cell('direction'),
    disposition: cell('disposition'),
    agentName,
    agentId,
    agents: agentName || agentId ? [compact({ id: agentId, name: agentName })] : undefined,
    skillGroups: cell('skillGroup')?.split(/[,，;；]/).map((s) => s.trim()).filter(Boolean),
    // A list's row has one time and one length, the call's as a console exports it; the recording
    // of a call starts with it and lasts as long as near enough, and the manifest's call columns
    // should not stand empty beside them.
    callStart: read.start ?? undefined,
    callDuration: read.duration ?? undefined,
    start: read.start ?? undefined,
    duration: read.duration ?? undefined,
    columns: Object.keys(columns).length > 0 ? columns : undefined,
  })
  const warnings = malformed(cell, read, at).map(([f, why]) => ({ column: keys[at[f]!]!, value: cell(f) ?? '', why }))
  return { meta, warnings }
}

/** The fields of a row that do not read as their header says, and what that costs the user. */
function malformed(
  cell: (f: Field) => string | undefined,
  read: { start: number | null | undefined; duration: number | null | undefined; direction: string | null | undefined },
  at: Partial<Record<Field, number>>,
): [Field, string][] {
  const found: [Field, string][] = []
  if (read.start === null) found.push(['start', 'is not a date and time; {date} uses the recording’s own time'])
  if (read.duration === null) found.push(['duration', 'is not a duration in seconds or h:mm:ss'])
  if (read.direction === null) found.push(['direction', `is not a direction (${Object.keys(DIRECTIONS).join(', ')}); kept as it is, --direction does not match it`])
  for (const f of ['caller', 'callee'] as const) {
    if (isShortenedNumber(cell(f))) found.push([f, 'is a number Excel shortened to scientific notation: its last digits are lost'])
  }
  // One warning for a row with no agent at all; a name without an ID (or the reverse) still names one.
  const agent = at.agentName !== undefined ? 'agentName' : at.agentId !== undefined ? 'agentId' : undefined
  if (agent && !cell('agentName') && !cell('agentId')) found.push([agent, 'is empty; {agent} renders as unknown and --agent does not match the row'])
  return found
}

/**
 * The words consoles and CRMs write for a call's direction, as the API's ContactType names it
 * (call.ts: Inbound, Outbound, Internal), so `--direction` and `{direction}` see one vocabulary.
 */
const DIRECTIONS: Record<string, readonly string[]> = {
  Inbound: ['inbound', 'in', 'incoming', '呼入', '呼入电话', '呼入通话', '来电', '入呼'],
  Outbound: ['outbound', 'out', 'outgoing', '呼出', '呼出电话', '呼出通话', '外呼', '去电'],
  Internal: ['internal', '内部', '内线', '内部通话', '内部呼叫', '内呼'],
}

const DIRECTION_OF = new Map(Object.entries(DIRECTIONS).flatMap(([value, words]) => words.map((w) => [w, value] as const)))

/** Inbound, Outbound or Internal from any of their words, in any case; undefined for empty, null for unknown. */
export function readDirection(text: string | undefined): string | null | undefined {
  if (text === undefined) return undefined
  return DIRECTION_OF.get(normal(text)) ?? null
}

// Excel shows a long number such as 13800138000 as 1.38E+10 and writes that to the CSV it saves.
const isShortenedNumber = (text: string | undefined): boolean => text !== undefined && /^[+-]?\d+(?:\.\d+)?E[+-]?\d+$/i.test(text)

const CST = '+08:00'

/**
 * Epoch ms from what consoles and Excel write: epoch ms or s, `2026-03-05 01:02:03`, `2026/3/5 1:02`,
 * ISO with a zone. A time without a zone is China Standard Time (where CCC's records are kept).
 * Undefined for an empty cell, null for one that cannot be read.
 */
export function readTime(text: string | undefined): number | null | undefined {
  if (text === undefined) return undefined
  if (/^\d{13}$/.test(text)) return Number(text)
  if (/^\d{10}$/.test(text)) return Number(text) * 1000
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(text)
  if (!m) return null
  const [, y, mo, d, h = '0', mi = '0', s = '0', zone] = m
  const two = (x: string) => x.padStart(2, '0')
  const iso = `${y}-${two(mo!)}-${two(d!)}T${two(h)}:${two(mi)}:${two(s)}${zone ? (zone === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')) : CST}`
  const ms = Date.parse(iso)
  return Number.isFinite(ms) && isWallClock(+y!, +mo!, +d!, +h, +mi, +s) ? ms : null
}

/**
 * Whether the fields name a real date and time: Date.parse rolls 2026-02-30 over to March and
 * 24:00 to the next day, which would name a call on a day it did not happen (sources.ts
 * parseIsoTime guards its dates the same way).
 */
function isWallClock(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, s))
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && t.getUTCHours() === h && t.getUTCMinutes() === mi && t.getUTCSeconds() === s
}

/**
 * Seconds from `95`, `95.5`, `1:35` or `00:01:35`; undefined for empty, null for unreadable. A
 * clock's seconds (and, after hours, its minutes) stop at 59: `1:75` is a typo, not 135 s. Minutes
 * without hours may pass 59 (`75:30`), as a minutes-and-seconds timer shows a long call.
 */
export function readSeconds(text: string | undefined): number | null | undefined {
  if (text === undefined) return undefined
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text)
  const m = /^(?:(\d+):)?(\d{1,2}):(\d{2})$/.exec(text)
  if (!m) return null
  const [h, mi, s] = [Number(m[1] ?? 0), Number(m[2]), Number(m[3])]
  if (s >= 60 || (m[1] !== undefined && mi >= 60)) return null
  return h * 3600 + mi * 60 + s
}
