/**
 * The date range's quick choices, as the days an `<input type="date">` holds, in the user's own
 * time zone: "yesterday" is the calendar day they lived through, not UTC's.
 */
export type RangePreset = 'yesterday' | 'last7' | 'lastMonth'
export const RANGE_PRESETS: readonly RangePreset[] = ['yesterday', 'last7', 'lastMonth']

function day(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

/** `from` and `to` (inclusive) of a preset, seen from `now`; today is left out, its calls still coming. */
export function presetDays(preset: RangePreset, now: Date = new Date()): { from: string; to: string } {
  const y = now.getFullYear()
  const m = now.getMonth()
  const d = now.getDate()
  if (preset === 'yesterday') return { from: day(new Date(y, m, d - 1)), to: day(new Date(y, m, d - 1)) }
  if (preset === 'last7') return { from: day(new Date(y, m, d - 7)), to: day(new Date(y, m, d - 1)) }
  return { from: day(new Date(y, m - 1, 1)), to: day(new Date(y, m, 0)) }
}
