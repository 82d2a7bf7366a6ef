import { createReadStream } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import { extname, isAbsolute, relative, resolve, win32 } from 'node:path'
import { Readable } from 'node:stream'
import { PLAY_SCHEME } from '../common/play-url.ts'

export type PlayDecision =
  | { readonly ok: true; readonly path: string }
  | { readonly ok: false; readonly status: 400 | 403 | 404; readonly reason: string }

const refuse = (status: 400 | 403 | 404, reason: string): PlayDecision => ({ ok: false, status, reason })

/** True when `path` is `folder` itself or below it (never a sibling that merely starts the same). */
function inside(folder: string, path: string): boolean {
  const rel = relative(folder, path)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)
}

/**
 * Which file a play URL may read, or why not: the one rule between the page and the disk, kept
 * free of Electron so it is tested directly. Only a file inside an export folder the app knows;
 * no `..` segment (whatever its encoding: the query is decoded once, then checked), no absolute
 * path, nothing a symlink leads out of the folder, and only regular files.
 */
export async function playPath(url: string, folders: readonly string[]): Promise<PlayDecision> {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return refuse(400, 'not a URL')
  }
  if (parsed.protocol !== `${PLAY_SCHEME}:` || parsed.hostname !== 'play') return refuse(400, 'not a play URL')
  const dir = parsed.searchParams.get('dir')
  const rel = parsed.searchParams.get('path')
  if (!dir || !rel || dir.includes('\0') || rel.includes('\0')) return refuse(400, 'no folder or path')
  const folder = folders.map((f) => resolve(f)).find((f) => isAbsolute(dir) && f === resolve(dir))
  if (folder === undefined) return refuse(403, 'not an export folder of this app')
  if (isAbsolute(rel) || win32.isAbsolute(rel) || rel.split(/[\\/]/).includes('..')) return refuse(403, 'outside the export folder')
  const target = resolve(folder, rel)
  if (!inside(folder, target)) return refuse(403, 'outside the export folder')
  let real: string
  try {
    // Symlinks resolved on both sides: a link inside the folder to a file elsewhere is refused.
    real = await realpath(target)
    if (!inside(await realpath(folder), real)) return refuse(403, 'outside the export folder')
    if (!(await stat(real)).isFile()) return refuse(404, 'not a file')
  } catch {
    return refuse(404, 'no such file')
  }
  return { ok: true, path: real }
}

const TYPES: Readonly<Record<string, string>> = { '.wav': 'audio/wav', '.mp3': 'audio/mpeg', '.mkv': 'video/x-matroska', '.ogg': 'audio/ogg', '.m4a': 'audio/mp4' }

/**
 * The part of a file a `Range` header asks for (RFC 9110 §14.1.2, one range: what media elements
 * send), `null` for the whole file, or 'unsatisfiable'. Several ranges are answered whole.
 */
export function byteRange(header: string | null, size: number): { start: number; end: number } | null | 'unsatisfiable' {
  const m = header === null ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!m || (m[1] === '' && m[2] === '')) return null
  if (m[1] === '') {
    // A suffix: the last N bytes.
    const n = Number(m[2])
    if (n === 0 || size === 0) return 'unsatisfiable'
    return { start: Math.max(0, size - n), end: size - 1 }
  }
  const start = Number(m[1])
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)
  if (start >= size || end < start) return 'unsatisfiable'
  return { start, end }
}

/**
 * The answer to a play URL, Range included: media elements seek with Range requests, which a
 * plain `net.fetch` of the file URL does not honour on every platform (electron/electron#38749),
 * so the bytes are served here, from the one file `playPath` allows.
 */
export async function playResponse(url: string, range: string | null, folders: readonly string[]): Promise<Response> {
  const decision = await playPath(url, folders)
  if (!decision.ok) return new Response(decision.reason, { status: decision.status })
  const size = (await stat(decision.path)).size
  const type = TYPES[extname(decision.path).toLowerCase()] ?? 'application/octet-stream'
  const part = byteRange(range, size)
  if (part === 'unsatisfiable') return new Response(null, { status: 416, headers: { 'content-range': `bytes */${size}` } })
  const { start, end } = part ?? { start: 0, end: size - 1 }
  const headers: Record<string, string> = { 'content-type': type, 'accept-ranges': 'bytes', 'content-length': String(Math.max(0, end - start + 1)) }
  if (part) headers['content-range'] = `bytes ${start}-${end}/${size}`
  const body = size === 0 ? null : (Readable.toWeb(createReadStream(decision.path, { start, end })) as ReadableStream<Uint8Array>)
  return new Response(body, { status: part ? 206 : 200, headers })
}
