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

/** A row's metadata, and what in it could not be read as its header says. */
export function metaFromRow(header: readonly string[], cells: readonly string[], at = fieldColumns(header)): { meta: RecordingMeta; warnings: CsvMetaWarning[] } {
  const columns: Record<string, string> = {}
  header.forEach((h, i) => {
    if (h !== '' && cells[i] !== undefined && cells[i] !== '') columns[h] = cells[i]!
  })
  const cell = (f: Field) => (at[f] === undefined ? undefined : cells[at[f]]?.trim() || undefined)
  const warnings: CsvMetaWarning[] = []
  const start = readTime(cell('start'))
  if (start === null) warnings.push({ column: header[at.start!]!, value: cell('start')!, why: 'is not a date and time; {date} uses the recording’s own time' })
  const duration = readSeconds(cell('duration'))
  if (duration === null) warnings.push({ column: header[at.duration!]!, value: cell('duration')!, why: 'is not a duration in seconds or h:mm:ss' })
  const agentName = cell('agentName')
  const agentId = cell('agentId')
  const meta = compact({
    contactId: cell('contactId'),
    caller: cell('caller'),
    callee: cell('callee'),
    direction: cell('direction'),
    disposition: cell('disposition'),
    agentName,
    agentId,
    agents: agentName || agentId ? [compact({ id: agentId, name: agentName })] : undefined,
    skillGroups: cell('skillGroup')?.split(/[,，;；]/).map((s) => s.trim()).filter(Boolean),
    start: start ?? undefined,
    duration: duration ?? undefined,
    columns: Object.keys(columns).length > 0 ? columns : undefined,
  })
  return { meta, warnings }
}

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
  return Number.isFinite(ms) ? ms : null
}

/** Seconds from `95`, `95.5`, `1:35` or `00:01:35`; undefined for empty, null for unreadable. */
export function readSeconds(text: string | undefined): number | null | undefined {
  if (text === undefined) return undefined
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text)
  const m = /^(?:(\d+):)?(\d{1,2}):(\d{2})$/.exec(text)
  if (!m) return null
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3])
}
