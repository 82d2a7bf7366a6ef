/** Calendar fields of an instant in an IANA time zone, two digits each (four for the year). */
export interface TimeParts {
  readonly yyyy: string
  readonly MM: string
  readonly dd: string
  readonly HH: string
  readonly mm: string
  readonly ss: string
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
    formatters.set(timeZone, f)
  }
  return f
}

export function validTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone)
    return true
  } catch {
    return false
  }
}

export function partsIn(ms: number, timeZone: string): TimeParts {
  const p: Record<string, string> = {}
  for (const { type, value } of formatter(timeZone).formatToParts(ms)) p[type] = value
  return { yyyy: p.year!.padStart(4, '0'), MM: p.month!, dd: p.day!, HH: p.hour!, mm: p.minute!, ss: p.second! }
}

/**
 * An instant as ISO 8601 in `timeZone`, its offset written out (`2026-03-01T09:30:00+08:00`), as
 * the manifest writes its times: a wall-clock time in that zone that no program can misread.
 */
export function isoInZone(ms: number, timeZone: string): string {
  const p = partsIn(ms, timeZone)
  const wall = Date.UTC(Number(p.yyyy), Number(p.MM) - 1, Number(p.dd), Number(p.HH), Number(p.mm), Number(p.ss))
  const offset = Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000)
  const abs = Math.abs(offset)
  const hhmm = `${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
  return `${p.yyyy}-${p.MM}-${p.dd}T${p.HH}:${p.mm}:${p.ss}${offset < 0 ? '-' : '+'}${hhmm}`
}
