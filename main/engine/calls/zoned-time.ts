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
