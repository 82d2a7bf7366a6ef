import { text } from './list-shape.ts'

/**
 * The text fields of a reply object under our names (`{ ours: 'TheirKey' }`, kept in that order),
 * leaving out the missing and the empty: an absent field and `""` mean the same in POP's replies.
 */
export function textFields<K extends string>(raw: Record<string, unknown>, keys: Readonly<Record<K, string>>): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {}
  for (const [ours, theirs] of Object.entries(keys) as [K, string][]) {
    const s = text(raw[theirs])
    if (s !== undefined && s !== '') out[ours] = s
  }
  return out
}
