/**
 * The one way we write CSV for others (the report, a group's failures, a manifest): every text
 * cell is neutralised against formula injection and quoted only when it must be (RFC 4180).
 */

export type CsvCell = string | number | undefined

// OWASP's CSV injection triggers: Excel, LibreOffice and Sheets run a cell that starts with one.
const FORMULA_START = /^[=+\-@\t\r]/

/**
 * Text that a spreadsheet would run as a formula is given a leading `'`, which shows it as text:
 * names, codes and messages come from lists, servers and proxies, and a report is opened by
 * double-clicking it. Numbers we wrote are left alone: a byte count is never a formula.
 */
export function csvCell(value: CsvCell): string {
  if (value === undefined) return ''
  if (typeof value === 'number') return String(value)
  const text = FORMULA_START.test(value) ? `'${value}` : value
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** One CSV record with its CRLF, every cell through `csvCell`. */
export function csvLine(cells: readonly CsvCell[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`
}

/**
 * The inverse for a list read back in (a group CSV imports again as a list): a name that `csvCell`
 * prefixed is the name without its `'`. No CCC name starts with `'` and then a formula sign.
 */
export function uncsvFormula(text: string): string {
  return text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text
}

/** Excel reads a CSV as UTF-8 only when it starts with a BOM; otherwise Chinese names are mojibake. */
export const UTF8_BOM = '\uFEFF'
