/** One CSV field, quoted only when it must be (RFC 4180). */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return ''
  const text = String(value)
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/**
 * Text that Excel would run as a formula (=, +, -, @ first) is shown as text instead: messages in
 * a report come from servers and proxies, and a report is opened by double-clicking it.
 */
export function csvText(value: string | undefined): string {
  if (value === undefined) return ''
  return csvField(/^[=+\-@\t\r]/.test(value) ? `'${value}` : value)
}

/** Excel reads a CSV as UTF-8 only when it starts with a BOM; otherwise Chinese names are mojibake. */
export const UTF8_BOM = '\uFEFF'
