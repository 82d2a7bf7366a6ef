import type { TimetableProblem } from '../../common/api.ts'
import { CccError } from '../../common/errors.ts'
import type { Clock } from '../clock.ts'
import { parseRate } from './bandwidth.ts'

/**
 * A bandwidth timetable in rclone's `--bwlimit` syntax: `"08:00,512K 18:00,off"`, each entry a
 * local time (optionally a day, `Mon-08:00`) and the rate from then on (`off`: no limit). The
 * live line carries the calls by day; the export may have it by night.
 */
export interface TimetableEntry {
  /** 0 = Sunday … 6 = Saturday; undefined: every day. */
  readonly day?: number
  /** Minutes after local midnight. */
  readonly minute: number
  /** Bytes a second; null: no limit. */
  readonly rate: number | null
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']
const WEEK_MINUTES = 7 * 1440

/** A plain rate (`5MB/s`) or a timetable (any entry with a time). */
export function parseMaxRate(text: string): { rate: number } | { timetable: TimetableEntry[] } {
  // `off` alone lifts a limit an earlier run kept, as it does inside a timetable: no limit all day.
  if (/^\s*off\s*$/i.test(text)) return { timetable: parseTimetable('00:00,off') }
  return /\d:\d\d\s*,/.test(text) ? { timetable: parseTimetable(text) } : { rate: parseRate(text) }
}

/**
 * A timetable refused: the English `--max-rate` prints, and the problem as data, so the app can
 * say which entry is wrong in the page's language.
 */
export class TimetableError extends CccError {
  constructor(
    readonly problem: TimetableProblem,
    message: string,
  ) {
    super({ code: 'Timetable.Invalid', message, details: problem })
    this.name = 'TimetableError'
  }
}

export function parseTimetable(text: string): TimetableEntry[] {
  // Without the filter, blank text splits into one empty token, refused as a malformed entry rather than as empty.
  const tokens = text.trim().split(/\s+/).filter((token) => token !== '')
  if (tokens.length === 0) throw new TimetableError({ reason: 'empty', entry: '', position: 0, part: '' }, 'the timetable is empty; write it like "08:00,512K 18:00,off"')
  const entries = tokens.map((token, i) => parseEntry(token, i + 1))
  const seen = new Set<string>()
  entries.forEach((e, i) => {
    const key = `${e.day ?? '*'}-${e.minute}`
    if (seen.has(key)) {
      const token = tokens[i]!
      throw new TimetableError({ reason: 'twice', entry: token, position: i + 1, part: token.slice(0, token.indexOf(',')) }, `the timetable names ${formatTime(e)} twice`)
    }
    seen.add(key)
  })
  return entries
}

function parseEntry(token: string, position: number): TimetableEntry {
  const refuse = (reason: TimetableProblem['reason'], part: string, message: string): TimetableError => new TimetableError({ reason, entry: token, position, part }, message)
  const m = /^(?:([a-z]{3})-)?(\d{1,2}):(\d{2}),(.+)$/i.exec(token)
  if (!m) throw refuse('entry', token, `"${token}" is not a timetable entry; write it like 08:00,512K or Mon-08:00,off`)
  const day = m[1] === undefined ? undefined : DAYS.indexOf(m[1].toLowerCase())
  if (day === -1) throw refuse('day', m[1]!, `"${m[1]}" in "${token}" is not a day; use Mon, Tue, Wed, Thu, Fri, Sat or Sun`)
  const hour = Number(m[2])
  const minute = Number(m[3])
  if (hour > 23 || minute > 59) throw refuse('time', `${m[2]}:${m[3]}`, `"${m[2]}:${m[3]}" in "${token}" is not a time of day`)
  return { ...(day === undefined ? {} : { day }), minute: hour * 60 + minute, rate: entryRate(m[4]!, refuse) }
}

/** parseRate's own words stay the message: `--max-rate 5MB/s` and a timetable's rate are refused alike. */
function entryRate(text: string, refuse: (reason: 'rate', part: string, message: string) => TimetableError): number | null {
  if (text.toLowerCase() === 'off') return null
  try {
    return parseRate(text)
  } catch (e) {
    throw refuse('rate', text, (e as Error).message)
  }
}

function formatTime(e: TimetableEntry): string {
  const hhmm = `${String(Math.floor(e.minute / 60)).padStart(2, '0')}:${String(e.minute % 60).padStart(2, '0')}`
  return e.day === undefined ? hhmm : `${DAYS[e.day]}-${hhmm}`
}

const formatters = new Map<string, Intl.DateTimeFormat>()

/** The wall clock at `instant` in `timeZone` (the system's when absent), as minutes into its week. */
export function weekMinute(instant: number, timeZone?: string): number {
  const key = timeZone ?? ''
  let f = formatters.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...(timeZone ? { timeZone } : {}) })
    formatters.set(key, f)
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(instant)).map((p) => [p.type, p.value]))
  const day = DAYS.indexOf(String(parts.weekday).toLowerCase())
  return day * 1440 + Number(parts.hour) * 60 + Number(parts.minute)
}

/**
 * The rate the timetable sets at `instant`: the latest entry at or before the wall-clock time,
 * going back across midnight (and the week) to the last one. Read off the wall clock each time,
 * so a DST change moves nothing: an entry in a skipped hour takes effect when the hour is skipped.
 */
export function rateAt(entries: readonly TimetableEntry[], instant: number, timeZone?: string): number | null {
  const now = weekMinute(instant, timeZone)
  let best: { back: number; rate: number | null } | undefined
  for (const e of entries) {
    for (const day of e.day === undefined ? [0, 1, 2, 3, 4, 5, 6] : [e.day]) {
      const back = (now - (day * 1440 + e.minute) + WEEK_MINUTES) % WEEK_MINUTES
      if (!best || back < best.back) best = { back, rate: e.rate }
    }
  }
  return best?.rate ?? null
}

/**
 * Applies a timetable while an export runs: the rate now, then at each minute's turn the rate
 * then, when it changed. Minutes, not the next entry's instant: a DST change or a clock set by
 * hand needs no arithmetic here.
 */
export function followTimetable(entries: readonly TimetableEntry[], clock: Clock, set: (rate: number | null) => void, timeZone?: string): () => void {
  const abort = new AbortController()
  let current = rateAt(entries, clock.now(), timeZone)
  set(current)
  const loop = async (): Promise<void> => {
    while (!abort.signal.aborted) {
      await clock.sleep(60_000 - (clock.now() % 60_000), abort.signal)
      if (abort.signal.aborted) return
      const rate = rateAt(entries, clock.now(), timeZone)
      if (rate !== current) {
        current = rate
        set(rate)
      }
    }
  }
  loop().catch(() => undefined)
  return () => abort.abort()
}
