import { catalogEntry, isKnownCode, type Locale } from '../../main/common/error-catalog.ts'
import { format, MESSAGES, type MessageKey, type Params } from '../i18n/translate.ts'
import { formatBytes, formatCount, splitSeconds } from '../lib/format.ts'

class LocaleStore {
  current = $state<Locale>('en')
}

export const locale = new LocaleStore()

export function setLocale(next: Locale): void {
  locale.current = next
}

/** Reads `locale.current`, so every caller in a template re-renders on a language switch. */
export function t(key: MessageKey, params?: Params): string {
  return format(MESSAGES[locale.current][key], params)
}

/** Keys with a `.one` singular beside them. */
export type PluralKey = { [K in MessageKey]: `${K}.one` extends MessageKey ? K : never }[MessageKey]

/** A counted message: the `.one` form for exactly one, else the key's own, with `{count}` filled in. */
export function tn(key: PluralKey, n: number, params?: Params): string {
  return t(n === 1 ? `${key}.one` : key, { ...params, count: count(n) })
}

export function count(n: number): string {
  return formatCount(n, locale.current)
}

export function bytes(n: number): string {
  return formatBytes(n, locale.current)
}

export function duration(seconds: number): string {
  const { h, m, s } = splitSeconds(seconds)
  // Days past a day: "5 d 3 h" reads at a glance where "123 h 0 min" does not.
  if (h >= 24) return t('duration.dh', { d: Math.floor(h / 24), h: h % 24 })
  if (h > 0) return t('duration.hm', { h, m })
  if (m > 0) return t('duration.ms', { m, s })
  return t('duration.s', { s })
}

export interface Explanation {
  readonly known: boolean
  readonly meaning: string
  readonly action: string
}

/** What a code means and what to do, from the shared catalog, in the current language. */
export function explain(code: string): Explanation {
  const entry = catalogEntry(code)
  return { known: isKnownCode(code) || code.startsWith('Throttling'), meaning: entry.meaning[locale.current], action: entry.action[locale.current] }
}
