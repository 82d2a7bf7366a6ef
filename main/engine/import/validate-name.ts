/**
 * What a CCC recording name cannot be. CCC names look like `153128491143400080327683.wav`, but
 * the API accepts spaces, `*`, `(`, Chinese and more (ccc-api.md §1), and characters that are
 * only awkward on some file systems are neutralised later by the local-path rules, so this list
 * is short: only what can never name an OSS object under `record/<instance>/`, or what shows the
 * cell was damaged on its way here. Pure and cheap: it runs once per imported row.
 */
import { MAX_NAME_LENGTH, type NameProblem } from '../../common/name-problems.ts'

export { MAX_NAME_LENGTH, type NameProblem }

/** English, for the CLI; the app words the same codes through its own messages. */
export const NAME_PROBLEM_TEXT: Readonly<Record<NameProblem, string>> = {
  'empty': 'the name is empty',
  'dot-name': 'the name is "." or ".."',
  'too-long': `the name is longer than ${MAX_NAME_LENGTH} characters`,
  'control-character': 'the name contains a control character (tab, line break, NUL, …)',
  'path-separator': 'the name contains "/" or "\\"',
  'invisible-character': 'the name contains an invisible formatting character (zero-width space, direction mark, …)',
  'replacement-character': 'the name contains "\uFFFD": the file was probably read in the wrong encoding',
  'unpaired-surrogate': 'the name contains a broken Unicode character (unpaired surrogate)',
  'excel-number': 'the value is a number Excel shortened to scientific notation (like 1.23457E+11), and its digits are lost: format the column as Text in Excel, then export the list again',
}

// What Excel makes of a long number (a contact ID) in a General cell, once the sheet is saved as
// CSV: no name or ID looks like it, and the digits it stood for cannot be had back.
const EXCEL_NUMBER = /^[+-]?\d+(?:[.,]\d+)?E[+-]?\d+$/i

// Default-ignorable format characters that copy-paste from web pages and chat apps leaves behind.
function isInvisible(c: number): boolean {
  return (
    c === 0x00ad ||
    c === 0x061c ||
    c === 0x180e ||
    (c >= 0x200b && c <= 0x200f) ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2060 && c <= 0x206f) ||
    c === 0xfeff
  )
}

/** The first problem with an already cleaned name (see `cleanRecordingName`), or null when it is usable. */
export function validateRecordingName(name: string): NameProblem | null {
  const n = name.length
  if (n === 0) return 'empty'
  if (name === '.' || name === '..') return 'dot-name'
  if (n > MAX_NAME_LENGTH) return 'too-long'
  if (EXCEL_NUMBER.test(name)) return 'excel-number'
  for (let i = 0; i < n; i++) {
    const c = name.charCodeAt(i)
    // Printable ASCII other than the separators: the whole of a typical CCC name.
    if (c >= 0x20 && c < 0x7f) {
      if (c === 0x2f || c === 0x5c) return 'path-separator'
      continue
    }
    // Below 0x20, DEL, and the C1 block.
    if (c <= 0x9f) return 'control-character'
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = i + 1 < n ? name.charCodeAt(i + 1) : 0
      if (d < 0xdc00 || d > 0xdfff) return 'unpaired-surrogate'
      i++
      continue
    }
    if (c >= 0xdc00 && c <= 0xdfff) return 'unpaired-surrogate'
    if (c === 0xfffd) return 'replacement-character'
    if (isInvisible(c)) return 'invisible-character'
  }
  return null
}

/**
 * A cell as the user meant it: surrounding whitespace (full-width spaces and NBSP included) and
 * invisible format characters at either end removed, which pasting from a web page or chat adds.
 * Inside the name they are left for `validateRecordingName` to report.
 */
export function cleanRecordingName(raw: string): string {
  let s = raw.trim()
  let start = 0
  let end = s.length
  while (start < end && isInvisible(s.charCodeAt(start))) start++
  while (end > start && isInvisible(s.charCodeAt(end - 1))) end--
  if (start === 0 && end === s.length) return s
  s = s.slice(start, end).trim()
  // Invisible and space characters may alternate at the ends ("\u200B 123.wav \u200E").
  return s.length !== end - start ? cleanRecordingName(s) : s
}
