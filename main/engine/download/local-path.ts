import type { Layout } from '../../common/export-options.ts'
import { createHash } from 'node:crypto'
import nodePath from 'node:path'
import { CccError } from '../../common/errors.ts'

/**
 * A CCC file name is data, not a path (architecture.md "Local paths"): whatever it holds, it
 * becomes one harmless file name, valid on Windows, macOS and Linux alike, so an export copied
 * between machines or written to a shared drive behaves the same everywhere.
 */

/** Room for `.part.etag` (10 bytes) under the usual 255-byte limit of a name on disk. */
export const MAX_NAME_BYTES = 200

// Windows refuses these as the part before the first dot, in any case: `con.wav` is the console.
// The superscript digits count as digits there too (Microsoft "Naming Files, Paths, and Namespaces").
const RESERVED_STEM = /^(?:con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$/i
// Reserved on Windows, plus C0 and C1 control characters (invisible, and some terminals act on them).
const BAD_CHARS = /[<>:"/\\|?*\u0000-\u001f\u007f-\u009f]/g
// Our own working files sit next to the final one: a name must never be mistaken for them.
const WORKING_SUFFIX = /\.part(?:\.etag)?$/i
// Kept whole when a name is shortened or tagged, so the file still opens with the right program.
const EXTENSION = /\.[A-Za-z0-9]{1,10}$/

function shortHash(original: string): string {
  return createHash('sha256').update(original, 'utf8').digest('hex').slice(0, 8)
}

/** The longest prefix of `s` (whole code points) that fits in `maxBytes` of UTF-8. */
function clipUtf8(s: string, maxBytes: number): string {
  let bytes = 0
  let end = 0
  for (const ch of s) {
    const n = Buffer.byteLength(ch, 'utf8')
    if (bytes + n > maxBytes) break
    bytes += n
    end += ch.length
  }
  return s.slice(0, end)
}

/**
 * The local file name for a CCC file name. Deterministic; a name that is already safe comes back
 * unchanged, and any name that had to be altered gets `~<hash of the original>` before its
 * extension, so `a:b.wav` (→ `a_b~1f2e3d4c.wav`) never lands on the file of a genuine `a_b.wav`.
 * Throws `InvalidFileName` for an empty name.
 */
export function safeLocalName(cccName: string): string {
  if (cccName.length === 0) {
    throw new CccError({ code: 'InvalidFileName', message: 'The file name is empty' })
  }
  let name = cccName
    .replace(BAD_CHARS, '_')
    // A run of dots is never needed in a recording name, and `..` anywhere reads as a parent folder.
    .replace(/\.{2,}/g, '.')
    // Windows drops trailing dots and spaces silently, which would make two names one file.
    .replace(/[. ]+$/, '')
  // A leading dot hides the file on macOS and Linux (and `.` alone is the folder itself).
  if (name.startsWith('.')) name = `_${name.slice(1)}`
  if (name.length === 0) name = '_'
  const stem = name.split('.', 1)[0]!.replace(/ +$/, '')
  if (RESERVED_STEM.test(stem)) name = `_${name}`

  const altered = name !== cccName || WORKING_SUFFIX.test(cccName)
  if (!altered && Buffer.byteLength(name, 'utf8') <= MAX_NAME_BYTES) return name
  return withTag(name, `~${shortHash(cccName)}`)
}

/**
 * `name` with `tag` before its extension, shortened to fit MAX_NAME_BYTES. A name ending in
 * `.part` or `.part.etag` keeps no extension, so the result never looks like a working file:
 * `x.wav.part` gives `x.wav.part~1a2b3c4d`, not `x.wav~1a2b3c4d.part`, which is the `.part` of
 * a listed `x.wav~1a2b3c4d` (issue 17 item 3).
 */
export function withTag(name: string, tag: string): string {
  const ext = WORKING_SUFFIX.test(name) ? '' : (EXTENSION.exec(name)?.[0] ?? '')
  const base = name.slice(0, name.length - ext.length)
  const room = MAX_NAME_BYTES - Buffer.byteLength(ext, 'utf8') - Buffer.byteLength(tag, 'utf8')
  return `${clipUtf8(base, room)}${tag}${ext}`
}

/**
 * `relative` resolved against `root`, or `InvalidFileName` unless the result lies strictly inside
 * `root`. `pathApi` is `path.win32` or `path.posix` to check one platform's rules from another.
 */
export function resolveInside(root: string, relative: string, pathApi: nodePath.PlatformPath = nodePath): string {
  const base = pathApi.resolve(root)
  const target = pathApi.resolve(base, relative)
  const rel = pathApi.relative(base, target)
  const inside =
    rel !== '' &&
    rel !== '..' &&
    !rel.startsWith(`..${pathApi.sep}`) &&
    // On Windows a different drive comes back as an absolute path.
    !pathApi.isAbsolute(rel)
  if (!inside) {
    throw new CccError({ code: 'InvalidFileName', message: `"${relative}" would be written outside the output folder` })
  }
  return target
}


/**
 * CCC is a China service and its users read call dates in China Standard Time (UTC+8, no daylight
 * saving), so a call at 01:00 CST on the 11th files under the 11th whatever the computer's zone.
 */
const CST_OFFSET_MS = 8 * 60 * 60 * 1000
// Names begin with the call's start in epoch milliseconds: `153128491143400080327683.wav`.
const LEADING_MS = /^(\d{13})/
// Outside these years a leading number is a coincidence, not a timestamp.
const PLAUSIBLE_FROM = Date.UTC(2000, 0, 1)
const PLAUSIBLE_TO = Date.UTC(2100, 0, 1)

const plausible = (t: number | undefined): number | undefined =>
  t !== undefined && Number.isFinite(t) && t >= PLAUSIBLE_FROM && t < PLAUSIBLE_TO ? t : undefined

// A list from another system may name files by their wall-clock start, `20260304233000-x.wav`:
// read as epoch ms, such a name files under 2034. A CCC name's epoch ms begin with 1 until 2033,
// so they are never a date of this century here.
const LEADING_DATE_TIME = /^(20\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)/

/**
 * The call's start a name begins with, when it is a plausible time: a CCC 1.0 name's epoch ms, or
 * `YYYYMMDDhhmmss` as China's wall clock (CCC's own, see CST_OFFSET_MS).
 */
export function timeInName(cccName: string): number | undefined {
  const d = LEADING_DATE_TIME.exec(cccName)
  if (d) {
    const [y, mo, day, h, mi, sec] = d.slice(1).map(Number) as [number, number, number, number, number, number]
    const t = Date.UTC(y, mo - 1, day, h, mi, sec)
    const back = new Date(t)
    // Only a real date and time: 20261399… is a number, not a day.
    if (back.getUTCMonth() === mo - 1 && back.getUTCDate() === day && h < 24 && mi < 60 && sec < 60) return t - CST_OFFSET_MS
  }
  const digits = LEADING_MS.exec(cccName)?.[1]
  return digits === undefined ? undefined : plausible(Number(digits))
}

/** `YYYY/MM/DD` in CST, or undefined when neither the start time nor the name gives a date. */
export function dateFolder(cccName: string, startTimeMs?: number): string | undefined {
  const ms = plausible(startTimeMs) ?? timeInName(cccName)
  if (ms === undefined) return undefined
  const d = new Date(ms + CST_OFFSET_MS)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`
}

/** Kept apart from the dated folders so the tree under `root` stays uniform. */
export const UNKNOWN_DATE_FOLDER = 'unknown-date'

/**
 * The absolute local path of a recording. `by-date` files it under `YYYY/MM/DD/` (CST) from
 * `startTimeMs` when known, else from the timestamp the name begins with, else under `unknown-date/`.
 */
export function localPathFor(
  root: string,
  cccName: string,
  layout: Layout,
  startTimeMs?: number,
  pathApi: nodePath.PlatformPath = nodePath,
): string {
  const file = safeLocalName(cccName)
  if (layout === 'flat') return resolveInside(root, file, pathApi)
  const folder = dateFolder(cccName, startTimeMs) ?? UNKNOWN_DATE_FOLDER
  return resolveInside(root, pathApi.join(...folder.split('/'), file), pathApi)
}
