import { isApiVersion, isRecordingKind } from '../../common/api-version.ts'
import { LAYOUTS } from '../../common/export-options.ts'
import type { JournalEvent } from './journal-events.ts'

/**
 * Whether a parsed journal line may be replayed: the fields its type needs, of the right kinds.
 * A hand check, not zod: replay sees a million lines and has about 10% to spare (performance.md,
 * part c), and each check here is a few `typeof`s. A line of a type this build does not know
 * passes (ExportTable ignores it), so a journal from a newer build still opens.
 */
export function isValidEvent(e: unknown): e is JournalEvent {
  if (typeof e !== 'object' || e === null) return false
  const v = e as Record<string, unknown>
  if (typeof v.type !== 'string') return false
  const check = CHECKS.get(v.type)
  return check === undefined || check(v)
}

type Fields = Record<string, unknown>

const str = (x: unknown): x is string => typeof x === 'string'
const optStr = (x: unknown): boolean => x === undefined || typeof x === 'string'
/** Counts and sizes: whole and not negative ("x", NaN, -1 and 1.5 are forgeries or damage). */
const count = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0
const optCount = (x: unknown): boolean => x === undefined || count(x)

function strings(x: unknown): boolean {
  if (!Array.isArray(x)) return false
  for (let i = 0; i < x.length; i++) if (typeof x[i] !== 'string') return false
  return true
}

/**
 * A path relative to the output folder, as the runner writes it: not absolute, no `..` step, no
 * NUL. A forged one must not make the disk check (or anything else) look outside the folder.
 */
function relativePath(x: unknown): boolean {
  if (typeof x !== 'string' || x.length === 0) return false
  const first = x.charCodeAt(0)
  // `/` or `\` first, or a drive (`C:`): absolute.
  if (first === 0x2f || first === 0x5c || x.charCodeAt(1) === 0x3a) return false
  if (x.includes('\0')) return false
  return !x.includes('..') || !x.split(/[/\\]/).includes('..')
}

const SOURCE_KINDS = new Set(['names', 'contacts', 'range'])
const LAYOUT_NAMES: ReadonlySet<string> = new Set(LAYOUTS)
const STATES = new Set(['running', 'paused', 'finished', 'stopped', 'cancelled'])
const RECHECK_REASONS = new Set(['missing', 'changed'])

function options(x: unknown): boolean {
  if (typeof x !== 'object' || x === null) return false
  const o = x as Fields
  return (
    count(o.concurrency) &&
    LAYOUT_NAMES.has(o.layout as string) &&
    (o.maxBytesPerSecond === null || count(o.maxBytesPerSecond)) &&
    optStr(o.nameTemplate) &&
    optStr(o.timeZone) &&
    (o.sidecar === undefined || typeof o.sidecar === 'boolean')
  )
}

function source(x: unknown): boolean {
  if (typeof x !== 'object' || x === null) return false
  const s = x as Fields
  if (!SOURCE_KINDS.has(s.kind as string)) return false
  // A generation or recording kind this build does not know would be fetched the wrong way.
  if (!(s.api === undefined || isApiVersion(s.api)) || !(s.recording === undefined || isRecordingKind(s.recording))) return false
  return s.kind !== 'range' || (str(s.from) && str(s.to))
}

function errorData(x: unknown): boolean {
  if (x === undefined) return true
  return typeof x === 'object' && x !== null && str((x as Fields).code) && str((x as Fields).message)
}

function startTimes(x: unknown, n: number): boolean {
  if (x === undefined) return true
  if (!Array.isArray(x) || x.length !== n) return false
  for (let i = 0; i < x.length; i++) if (x[i] !== null && typeof x[i] !== 'number') return false
  return true
}

function plannedPaths(x: unknown, n: number): boolean {
  if (x === undefined) return true
  if (!Array.isArray(x) || x.length !== n) return false
  for (let i = 0; i < x.length; i++) if (x[i] !== null && !relativePath(x[i])) return false
  return true
}

function cursor(x: unknown): boolean {
  if (typeof x !== 'object' || x === null) return false
  const c = x as Fields
  return c.contact !== undefined ? count(c.contact) && optCount(c.again) : count(c.at) && count(c.page) && (c.until === undefined || count(c.until))
}

const CHECKS: ReadonlyMap<string, (v: Fields) => boolean> = new Map(Object.entries({
  export: (v: Fields) =>
    v.version === 1 && str(v.id) && str(v.createdAt) && str(v.instanceId) && v.instanceId !== '' && optStr(v.region) && optStr(v.endpoint) && optStr(v.profile) && source(v.source) && options(v.options),
  add: (v: Fields) => strings(v.names) && startTimes(v.startTimes, (v.names as unknown[]).length) && plannedPaths(v.paths, (v.names as unknown[]).length),
  done: (v: Fields) => str(v.name) && count(v.bytes) && relativePath(v.path) && optStr(v.crc64) && optCount(v.attempts) && optStr(v.by),
  fail: (v: Fields) => str(v.name) && str(v.code) && str(v.message) && count(v.attempts) && optCount(v.status) && optStr(v.requestId),
  skip: (v: Fields) => str(v.name) && str(v.reason),
  drop: (v: Fields) => strings(v.names),
  retry: (v: Fields) => strings(v.names),
  recheck: (v: Fields) => strings(v.names) && RECHECK_REASONS.has(v.reason as string),
  restore: (v: Fields) => strings(v.names) && optStr(v.at),
  state: (v: Fields) => STATES.has(v.state as string) && str(v.at) && errorData(v.reason),
  options: (v: Fields) => options(v.options),
  source: (v: Fields) => source(v.source),
  contacts: (v: Fields) => strings(v.ids),
  listed: (v: Fields) => cursor(v.next) && count(v.pages) && count(v.found) && count(v.unrecorded),
}))
