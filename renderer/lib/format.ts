import type { Locale } from '../../main/common/error-catalog.ts'

const numberFormats = new Map<string, Intl.NumberFormat>()

function numberFormat(locale: Locale, fractionDigits: number): Intl.NumberFormat {
  const key = `${locale}/${fractionDigits}`
  let f = numberFormats.get(key)
  if (f === undefined) {
    f = new Intl.NumberFormat(locale, { maximumFractionDigits: fractionDigits })
    numberFormats.set(key, f)
  }
  return f
}

export function formatCount(n: number, locale: Locale): string {
  return numberFormat(locale, 0).format(n)
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const

/** Binary multiples with the short names Explorer and Finder users know. */
export function formatBytes(bytes: number, locale: Locale): string {
  let value = Math.max(0, bytes)
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  return `${numberFormat(locale, unit === 0 ? 0 : 1).format(value)} ${UNITS[unit]}`
}

export function percent(part: number, whole: number): number {
  if (whole <= 0) return 0
  return Math.min(100, Math.floor((part / whole) * 100))
}

export interface Duration {
  readonly h: number
  readonly m: number
  readonly s: number
}

export function splitSeconds(seconds: number): Duration {
  const total = Math.max(0, Math.round(seconds))
  return { h: Math.floor(total / 3600), m: Math.floor((total % 3600) / 60), s: total % 60 }
}

export function formatDateTime(iso: string, locale: Locale): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return d.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' })
}

/** "14:05": when something began today, as the clock on the wall reads. */
export function formatTime(iso: string, locale: Locale): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
}
