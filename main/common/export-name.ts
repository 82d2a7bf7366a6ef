/**
 * What an export is called on screen: its source ("calls-march.csv", "2026-03-01 → 03-31"), not
 * the bare folder path. Plain data in, words in: the page passes its own language's labels.
 */

/** Where an export's names came from, as its journal header keeps it (the engine's SourceInfo). */
export type ExportOrigin =
  | { readonly kind: 'names'; readonly file?: string }
  | { readonly kind: 'contacts'; readonly file?: string }
  | { readonly kind: 'range'; readonly from: string; readonly to: string; readonly phone?: string }

export interface NameLabels {
  /** Names pasted into the app: no file to name the export after. */
  readonly pasted: string
  /** Contact IDs typed in. */
  readonly contacts: string
}

/** The last part of a path, whichever separator the OS that wrote it used. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/).filter((p) => p !== '')
  return parts[parts.length - 1] ?? path
}

function localDay(ms: number): string {
  const d = new Date(ms)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

/**
 * "2026-03-01 → 03-31": the calendar days the user picked, the year once when shared. A range is
 * journalled in UTC, so its days are read back in this process's own zone (the user's), else a
 * Beijing day would show as the UTC day before it; the end is exclusive, so a range ending at
 * midnight ends on the day before.
 */
export function rangeName(from: string, to: string): string {
  const start = Date.parse(from)
  const end = Date.parse(to)
  if (Number.isNaN(start) || Number.isNaN(end)) return `${from.slice(0, 10)} → ${to.slice(0, 10)}`
  const a = localDay(start)
  const b = localDay(Math.max(start, end - 1))
  if (a === b) return a
  return `${a} → ${a.slice(0, 4) === b.slice(0, 4) ? b.slice(5) : b}`
}

export function exportName(info: { readonly outDir: string; readonly origin?: ExportOrigin }, labels: NameLabels): string {
  const origin = info.origin
  const folder = baseName(info.outDir)
  if (origin === undefined) return folder
  if (origin.kind === 'range') return origin.phone ? `${rangeName(origin.from, origin.to)} · ${origin.phone}` : rangeName(origin.from, origin.to)
  if (origin.file) return baseName(origin.file)
  return `${origin.kind === 'names' ? labels.pasted : labels.contacts} · ${folder}`
}
