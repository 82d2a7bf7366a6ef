/**
 * A day picked in an `<input type="date">` as the ISO instant the contract wants, in the user's
 * own time zone: call records are searched by the calendar day the user means, not UTC's.
 */
function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}

function parseDay(day: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  if (m === null) return null
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  return Number.isNaN(d.getTime()) ? null : d
}

export function isoWithOffset(d: Date): string {
  const offset = -d.getTimezoneOffset()
  const sign = offset >= 0 ? '+' : '-'
  const abs = Math.abs(offset)
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
    `T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  )
}

/**
 * `[from 00:00, the day after to 00:00)` local, or null when a day is missing or the range runs
 * backwards. The end is exclusive, as the engine walks it: "to 23:59:59" would leave out a call
 * in that day's last second.
 */
export function dayRange(fromDay: string, toDay: string): { from: string; to: string } | null {
  const from = parseDay(fromDay)
  const to = parseDay(toDay)
  if (from === null || to === null || to < from) return null
  // The calendar's next day, not 24 hours on: a DST change makes that day 23 or 25 hours long.
  const end = new Date(to.getFullYear(), to.getMonth(), to.getDate() + 1)
  return { from: isoWithOffset(from), to: isoWithOffset(end) }
}
