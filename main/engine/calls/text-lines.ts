import { createReadStream } from 'node:fs'

/** Longer than any manifest line (a row with a few hundred CSV columns is tens of KB). */
const MAX_LINE_CHARS = 4 * 1024 * 1024

/** What a line too long to be ours is read as: never valid JSON, so it counts as damaged. */
export const OVERLONG_LINE = '\u0000 line too long'

/**
 * The lines of a UTF-8 file, read as they are needed: the consumer's pace pulls the next 64 KB,
 * so a 100,000-line file costs one chunk of memory, not the file. Blank lines are skipped; a line
 * without an end (a file cut short) is still yielded, for its reader to judge.
 */
export async function* textLines(path: string): AsyncGenerator<string> {
  let pending = ''
  let overlong = false
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 64 * 1024 })) {
    const parts = (pending + (chunk as string)).split('\n')
    pending = parts.pop()!
    for (const part of parts) {
      if (overlong) {
        overlong = false
        yield OVERLONG_LINE
        continue
      }
      const line = part.endsWith('\r') ? part.slice(0, -1) : part
      if (line.trim() !== '') yield line
    }
    // A hostile or broken file with no line ends must not be held whole.
    if (pending.length > MAX_LINE_CHARS) {
      overlong = true
      pending = ''
    }
  }
  if (overlong) yield OVERLONG_LINE
  else if (pending.trim() !== '') yield pending.endsWith('\r') ? pending.slice(0, -1) : pending
}
