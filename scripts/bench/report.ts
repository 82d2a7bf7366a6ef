/** The benchmark's rows and the table they print as. */

export interface Row {
  /** The section letter: a … e. */
  readonly section: string
  readonly what: string
  readonly figure: string
  readonly target?: string
  /** undefined: no target; null: not measurable here. */
  readonly met?: boolean | null
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((x, y) => x - y)
  const mid = s.length >> 1
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`
export const mb = (v: number | null): string => (v === null ? 'n/a' : `${v.toFixed(0)} MB`)
export const count = (n: number): string => n.toLocaleString('en-US')

export function verdict(met: boolean | null | undefined): string {
  if (met === undefined) return ''
  if (met === null) return '?'
  return met ? 'yes' : 'NO'
}

export function formatTable(rows: readonly Row[]): string {
  const header = ['', 'measure', 'figure', 'target', 'met']
  const cells = rows.map((r) => [r.section, r.what, r.figure, r.target ?? '', verdict(r.met)])
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)))
  const line = (c: readonly string[]) => c.map((x, i) => x.padEnd(widths[i]!)).join('  ').trimEnd()
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n')
}
