import { CccError } from '../../common/errors.ts'
import { safeLocalName, timeInName } from '../download/local-path.ts'
import type { RecordingRecord } from './call.ts'
import { partsIn, validTimeZone } from './zoned-time.ts'

/**
 * Naming templates (issue 13): `{yyyy}-{MM}/{agent}/{date}_{time}_{caller}_{contactId}{ext}`.
 * `/` makes folders; a value never does (its own slashes become `_`). Each component is then made
 * safe by the same rules as a CCC name (local-path.ts): illegal characters, reserved names,
 * trailing dots and spaces, length; the namer makes the whole path unique.
 */

export const PLACEHOLDERS = [
  'fileName', 'stem', 'ext', 'contactId', 'date', 'time', 'yyyy', 'MM', 'dd', 'HH', 'mm', 'ss',
  'agent', 'agentId', 'skillGroup', 'caller', 'callee', 'direction',
] as const
export type Placeholder = (typeof PLACEHOLDERS)[number]

/** What a placeholder renders as when the data has no value for it (the README names it). */
export const MISSING = 'unknown'

export const PRESETS = {
  flat: '{fileName}',
  'by-date': '{yyyy}/{MM}/{dd}/{fileName}',
  'by-date-agent': '{yyyy}/{MM}/{dd}/{agent}/{fileName}',
  'by-agent-date': '{agent}/{yyyy}/{MM}/{dd}/{fileName}',
} as const

/** China Standard Time: CCC's users read call times there (issue 13), whatever the computer's zone. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai'

type Token = { readonly text: string } | { readonly name: Placeholder } | { readonly column: string }

export interface NameTemplate {
  readonly source: string
  readonly tokens: readonly Token[]
  /** The CSV headers `{col:…}` asks for. */
  readonly columns: readonly string[]
  readonly timeZone: string
}

function refuse(template: string, why: string): never {
  throw new CccError({ code: 'Template.Invalid', message: `The name template "${template}" ${why}` })
}

/** Parses a template, or refuses it naming what is wrong, before anything starts. */
export function parseTemplate(source: string, timeZone: string = DEFAULT_TIME_ZONE): NameTemplate {
  if (!validTimeZone(timeZone)) throw new CccError({ code: 'Template.Invalid', message: `"${timeZone}" is not an IANA time zone (for example Asia/Shanghai)` })
  if (source.trim() === '') refuse(source, 'is empty')
  const tokens: Token[] = []
  const columns: string[] = []
  for (let i = 0; i < source.length; ) {
    const open = source.indexOf('{', i)
    const close = source.indexOf('}', i)
    if (close !== -1 && (open === -1 || close < open)) refuse(source, `has a "}" without its "{" at character ${close + 1}`)
    if (open === -1) {
      tokens.push({ text: source.slice(i) })
      break
    }
    if (open > i) tokens.push({ text: source.slice(i, open) })
    const end = source.indexOf('}', open)
    const nested = source.indexOf('{', open + 1)
    if (end === -1 || (nested !== -1 && nested < end)) refuse(source, `has a "{" without its "}" at character ${open + 1}`)
    tokens.push(placeholder(source, source.slice(open + 1, end), columns))
    i = end + 1
  }
  if (!tokens.some((t) => !('text' in t))) refuse(source, 'has no placeholder: every recording would get the same name')
  return { source, tokens, columns, timeZone }
}

function placeholder(source: string, inner: string, columns: string[]): Token {
  if (inner.startsWith('col:')) {
    const column = inner.slice(4)
    if (column === '') refuse(source, 'has {col:} without a column header')
    columns.push(column)
    return { column }
  }
  if (!(PLACEHOLDERS as readonly string[]).includes(inner)) {
    refuse(source, `has an unknown placeholder {${inner}}; known: ${PLACEHOLDERS.map((p) => `{${p}}`).join(' ')} {col:<header>}`)
  }
  return { name: inner as Placeholder }
}

/** A template naming a CSV column the list does not have is refused, with the headers it has. */
export function checkColumns(template: NameTemplate, headers: readonly string[]): void {
  const missing = template.columns.filter((c) => !headers.includes(c))
  if (missing.length > 0) {
    throw new CccError({
      code: 'Template.Invalid',
      message: `The name template asks for column ${missing.map((c) => `"${c}"`).join(', ')}, which the list does not have; its headers are ${headers.map((h) => `"${h}"`).join(', ')}`,
    })
  }
}

/** The relative path (with `/`) for a recording: every component safe on Windows, macOS and Linux. */
export function renderName(template: NameTemplate, record: RecordingRecord): string {
  const values = valuesOf(template, record)
  const raw = template.tokens
    .map((t) => ('text' in t ? t.text : 'name' in t ? values(t.name) : valueOrMissing(record.meta.columns?.[t.column])))
    .join('')
  return raw
    .split('/')
    .filter((component) => component !== '')
    .map((component) => safeLocalName(component))
    .join('/')
}

/** A value inside one component: its own separators must not make folders. */
function valueOrMissing(value: string | undefined): string {
  const v = value?.trim()
  return v ? v.replace(/[/\\]/g, '_') : MISSING
}

function valuesOf(template: NameTemplate, record: RecordingRecord): (p: Placeholder) => string {
  const m = record.meta
  const dot = record.fileName.lastIndexOf('.')
  const hasExt = dot > 0 && record.fileName.length - dot <= 11
  const at = m.start ?? m.callStart ?? timeInName(record.fileName)
  const parts = at === undefined ? undefined : partsIn(at, template.timeZone)
  const agent = m.agentName ?? m.agents?.[0]?.name ?? m.agentId ?? m.agents?.[0]?.id
  const table: Record<Placeholder, string | undefined> = {
    fileName: record.fileName.replace(/[/\\]/g, '_'),
    stem: hasExt ? record.fileName.slice(0, dot) : record.fileName,
    ext: hasExt ? record.fileName.slice(dot) : '',
    contactId: m.contactId,
    date: parts && `${parts.yyyy}-${parts.MM}-${parts.dd}`,
    time: parts && `${parts.HH}${parts.mm}${parts.ss}`,
    yyyy: parts?.yyyy,
    MM: parts?.MM,
    dd: parts?.dd,
    HH: parts?.HH,
    mm: parts?.mm,
    ss: parts?.ss,
    agent,
    agentId: m.agentId ?? m.agents?.[0]?.id,
    skillGroup: m.skillGroups?.join('+'),
    caller: m.caller,
    callee: m.callee,
    direction: m.direction,
  }
  // {ext} may be empty (a name without one); every other value falls back to the fixed word.
  return (p) => (p === 'ext' ? table.ext! : valueOrMissing(table[p]))
}
