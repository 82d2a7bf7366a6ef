import type { CliIo } from './io.ts'

/** "2 missing and 1 changed (another size)": the disk check's findings in words. */
export function recheckWords(r: { readonly missing: number; readonly changed: number }): string {
  const parts = [r.missing > 0 && `${r.missing} missing`, r.changed > 0 && `${r.changed} changed (another size)`].filter(Boolean)
  return parts.join(' and ')
}

/** Told when opening found verified files that are not on disk as journalled. */
export function tellRecheck(r: { readonly missing: number; readonly changed: number }, io: CliIo): void {
  if (r.missing + r.changed === 0) return
  const n = r.missing + r.changed
  io.stderr.write(`${n} verified file${n === 1 ? ' is' : 's are'} not on disk as journalled (${recheckWords(r)}): downloaded again\n`)
}
