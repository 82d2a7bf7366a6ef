import { CccError } from '../../common/errors.ts'
import type { RecordingMeta } from './call.ts'

/**
 * Which calls an export keeps (issue 13): the ones a QA lead asks for ("agent Zhang's outbound
 * calls over two minutes"). The API filters what it can (phone number, direction, disposition on
 * ListCallDetailRecords); the rest is applied here to the listed rows, and every filter counts
 * what it removed, so the report can say why a call is not in the folder.
 */
export interface CallFilter {
  /** Agent ID or name; a recording matches when its agent, or any agent of its call, is this one. */
  readonly agent?: string
  readonly skillGroup?: string
  /** inbound, outbound or internal, in any case. */
  readonly direction?: string
  readonly disposition?: string
  /** Seconds, of the recording (or of the call when the recording's is unknown). */
  readonly minDuration?: number
  readonly maxDuration?: number
  /** A calling or called number containing this. */
  readonly phone?: string
}

export const FILTER_NAMES = ['agent', 'skillGroup', 'direction', 'disposition', 'minDuration', 'maxDuration', 'phone'] as const
export type FilterName = (typeof FILTER_NAMES)[number]

/** A filter as a message names it, for the CLI's users and the app's alike (not its field name). */
const LABELS: Record<FilterName, string> = {
  agent: 'agent',
  skillGroup: 'skill group',
  direction: 'direction',
  disposition: 'disposition',
  minDuration: 'minimum duration',
  maxDuration: 'maximum duration',
  phone: 'phone number',
}

export function filterLabel(name: FilterName | string): string {
  return LABELS[name as FilterName] ?? name
}

const DIRECTIONS = ['inbound', 'outbound', 'internal']

/** Checks a filter before anything starts; refuses what cannot match anything, naming the field. */
export function checkFilter(filter: CallFilter): CallFilter {
  const bad = (field: FilterName, why: string): never => {
    throw new CccError({ code: 'Filter.Invalid', message: `${filterLabel(field)}: ${why}`, details: { field } })
  }
  if (filter.direction !== undefined && !DIRECTIONS.includes(filter.direction.toLowerCase())) bad('direction', `"${filter.direction}" is not one of ${DIRECTIONS.join(', ')}`)
  for (const field of ['minDuration', 'maxDuration'] as const) {
    const v = filter[field]
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) bad(field, 'must be a number of seconds, 0 or more')
  }
  if (filter.minDuration !== undefined && filter.maxDuration !== undefined && filter.minDuration > filter.maxDuration) {
    bad('minDuration', `${filter.minDuration} s is more than the maximum duration, ${filter.maxDuration} s: nothing could match`)
  }
  return filter
}

const same = (a: string | undefined, b: string): boolean => a !== undefined && a.trim().toLowerCase() === b.trim().toLowerCase()

const TESTS: Record<FilterName, (m: RecordingMeta, f: CallFilter) => boolean> = {
  agent: (m, f) => [m.agentId, m.agentName, ...(m.agents ?? []).flatMap((a) => [a.id, a.name])].some((x) => same(x, f.agent!)),
  skillGroup: (m, f) => (m.skillGroups ?? []).some((g) => same(g, f.skillGroup!)),
  direction: (m, f) => same(m.direction, f.direction!),
  disposition: (m, f) => same(m.disposition, f.disposition!),
  // The call's duration, as every other filter is the call's: a transferred call of 80 s is kept
  // whole by a 1-minute minimum, though each of its two legs is 40 s. A list without the call's
  // duration has only the recording's.
  minDuration: (m, f) => (m.callDuration ?? m.duration ?? Number.POSITIVE_INFINITY) >= f.minDuration!,
  maxDuration: (m, f) => (m.callDuration ?? m.duration ?? 0) <= f.maxDuration!,
  phone: (m, f) => [m.caller, m.callee].some((n) => n !== undefined && n.includes(f.phone!.trim())),
}

/** The first filter that removes the recording, or undefined when it is kept. */
export function removedBy(meta: RecordingMeta, filter: CallFilter): FilterName | undefined {
  for (const name of FILTER_NAMES) {
    if (filter[name] === undefined) continue
    if (!TESTS[name](meta, filter)) return name
  }
  return undefined
}

/** Counts of what each filter removed, for the report, the summary and a dry run. */
export class FilterTally {
  readonly removed: Partial<Record<FilterName, number>> = {}
  kept = 0

  /** True when the recording is kept. */
  apply(meta: RecordingMeta, filter: CallFilter): boolean {
    const by = removedBy(meta, filter)
    this.count(by)
    return by === undefined
  }

  /** One recording, kept (undefined) or left out by `by`. */
  count(by: FilterName | undefined): void {
    if (by === undefined) this.kept++
    else this.removed[by] = (this.removed[by] ?? 0) + 1
  }
}

/** What each filter reads: a list with none of it on any row cannot match that filter at all. */
const READS: Record<FilterName, { has: (m: RecordingMeta) => boolean; column: string }> = {
  agent: { has: (m) => m.agentId !== undefined || m.agentName !== undefined || (m.agents?.length ?? 0) > 0, column: 'an agent (坐席)' },
  skillGroup: { has: (m) => (m.skillGroups?.length ?? 0) > 0, column: 'a skill group (技能组)' },
  direction: { has: (m) => m.direction !== undefined, column: 'a direction (呼叫类型)' },
  disposition: { has: (m) => m.disposition !== undefined, column: 'a disposition' },
  minDuration: { has: (m) => m.duration !== undefined || m.callDuration !== undefined, column: 'a duration (通话时长)' },
  maxDuration: { has: (m) => m.duration !== undefined || m.callDuration !== undefined, column: 'a duration (通话时长)' },
  phone: { has: (m) => m.caller !== undefined || m.callee !== undefined, column: 'a calling or called number (主叫号码, 被叫号码)' },
}

/**
 * The names a list keeps under a filter, with their metadata; refused (Filter.Invalid) when none is
 * left, saying which filter needs a column the list does not have, or what each filter removed.
 */
export function keepFiltered<M extends RecordingMeta>(names: readonly string[], metas: readonly M[], filter: CallFilter): { names: string[]; metas: M[]; tally: FilterTally; leftOut: LeftOut[] } {
  const tally = new FilterTally()
  const kept: string[] = []
  const keptMetas: M[] = []
  const leftOut: LeftOut[] = []
  names.forEach((name, i) => {
    const by = removedBy(metas[i]!, filter)
    tally.count(by)
    if (by !== undefined) {
      leftOut.push({ name, reason: filterReason(by) })
      return
    }
    kept.push(name)
    keptMetas.push(metas[i]!)
  })
  if (kept.length === 0 && names.length > 0) throw new CccError({ code: 'Filter.Invalid', message: nothingKept(metas, filter, tally) })
  return { names: kept, metas: keptMetas, tally, leftOut }
}

/** A name of a list that a filter left out: a skipped row of the export, so the report accounts for it. */
export interface LeftOut {
  readonly name: string
  readonly reason: string
}

function nothingKept(metas: readonly RecordingMeta[], filter: CallFilter, tally: FilterTally): string {
  const blind = FILTER_NAMES.filter((n) => filter[n] !== undefined && !metas.some((m) => READS[n].has(m)))
  if (blind.length > 0) {
    const needs = blind.map((n) => `the ${filterLabel(n)} filter needs ${READS[n].column} column`).join('; ')
    return `the filters leave no name: the list has no column they can read (${needs}); remove the filter or use a list with that column`
  }
  const removed = Object.entries(tally.removed).map(([by, n]) => `${n} by ${filterLabel(by)}`)
  return `the filters leave no name: left out ${removed.join(', ')}`
}

export function isEmptyFilter(filter: CallFilter): boolean {
  return FILTER_NAMES.every((n) => filter[n] === undefined)
}

/** The skipped row's reason for a recording a filter left out (the summary counts them by it). */
export function filterReason(by: FilterName): string {
  return `${FILTERED} ${by}`
}

export const FILTERED = 'left out by the filter'
