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

/** "2026-03-01 → 03-31": the dates as the user typed them (their own offset), the year once when shared. */
export function rangeName(from: string, to: string): string {
  const a = from.slice(0, 10)
  const b = to.slice(0, 10)
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
