/** Sizes as people read them in a file manager: 1024-based, one decimal. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let value = bytes
  let i = 0
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024
    i++
  }
  return i === 0 ? `${value} B` : `${value.toFixed(1)} ${units[i]}`
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const r = s % 60
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`
  if (m > 0) return `${m}m${String(r).padStart(2, '0')}s`
  return `${r}s`
}

const pad2 = (n: number): string => String(n).padStart(2, '0')

/**
 * An instant as the person reading it keeps time: `2026-03-01 00:00 +08:00` in this process's zone
 * (seconds only when there are some). A journal keeps ranges in UTC, and `2026-02-28T16:00:00.000Z`
 * is not how anyone in Shanghai would write the first of March. Text that is no time stays as it is.
 */
export function localStamp(iso: string): string {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) return iso
  const d = new Date(ms)
  const offset = -d.getTimezoneOffset()
  const sign = offset < 0 ? '-' : '+'
  const seconds = d.getSeconds() === 0 ? '' : `:${pad2(d.getSeconds())}`
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}${seconds} ${sign}${pad2(Math.floor(Math.abs(offset) / 60))}:${pad2(Math.abs(offset) % 60)}`
}
