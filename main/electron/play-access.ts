import { realpath, stat } from 'node:fs/promises'
import { isAbsolute, relative, resolve, win32 } from 'node:path'
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
