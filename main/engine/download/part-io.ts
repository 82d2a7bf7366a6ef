import type { Hash } from 'node:crypto'
import { constants as fsConstants } from 'node:fs'
import { lstat, mkdir, open, unlink, type FileHandle } from 'node:fs/promises'
import { dirname } from 'node:path'
import { CccError, isAbortError } from '../../common/errors.ts'
import { errnoToCccError } from '../errno.ts'
import { writeAll } from '../write-all.ts'
import { Crc64 } from './crc64.ts'

/**
 * The file operations under a `.part` (PartFile): each turns its failure into our codes, so a
 * full disk pauses the export and anything else on the local side stops it.
 */

/**
 * Errnos that concern this one file, not the folder: the file is retried or failed and the export
 * goes on, where an unknown errno stops it. ENOENT here means something removed a file or folder
 * the export had made (an antivirus taking a `.part` before its rename); the retry makes both again.
 */
const ONE_FILE: ReadonlyMap<string, 'Local.FileVanished' | 'Local.FileBusy'> = new Map([
  ['ENOENT', 'Local.FileVanished'],
  ['EBUSY', 'Local.FileBusy'],
  ['ETXTBSY', 'Local.FileBusy'],
])

const WHY: Readonly<Record<string, string>> = {
  'Local.FileVanished': ': another program removed a file or folder the export had made',
  'Local.FileBusy': ': another program has it open',
}

/** `what` and `file` say which operation failed on which file; an unknown errno is still a local write failure. */
export function localError(e: unknown, what: string, file: string): Error {
  if (e instanceof CccError || isAbortError(e)) return e as Error
  const errno = (e as NodeJS.ErrnoException | undefined)?.code
  const code = errnoToCccError(e)?.code ?? (errno === undefined ? undefined : ONE_FILE.get(errno)) ?? 'Local.WriteFailed'
  const why = WHY[code] ?? ''
  const message = code === 'DiskFull' ? `No space left on the disk to ${what} ${file}` : `Could not ${what} ${file}${why} (${errno ?? String(e)})`
  return new CccError({ code, message, cause: e })
}

/**
 * The final rename's failure. On Windows the folder has just taken the `.part`, so an EPERM or
 * EACCES there (after renameOver's retries) is the destination held open by another program (a
 * player, a backup tool) or marked read-only: that recording fails, the export goes on.
 */
export function renameError(e: unknown, dest: string, platform: NodeJS.Platform = process.platform): Error {
  const errno = (e as NodeJS.ErrnoException | undefined)?.code
  if (platform !== 'win32' || (errno !== 'EPERM' && errno !== 'EACCES')) return localError(e, 'move into place', dest)
  return new CccError({ code: 'Local.FileBusy', message: `Could not move into place ${dest}: another program has it open, or it is read-only (${errno})`, cause: e })
}

/** The `.part`'s size; a link or special file planted there is removed (see regularSize). */
export function sizeOf(file: string): Promise<number> {
  return regularSize(file, true)
}

export async function removeIfPresent(file: string): Promise<void> {
  try {
    await unlink(file)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw localError(e, 'delete', file)
  }
}

// O_NOFOLLOW: a symlink planted at `<dest>.part` must never be written through (issue 17 item 4).
// O_NONBLOCK: a FIFO planted there must fail or open at once, not hang the job; it is
// meaningless for regular files. Windows has neither, so it relies on the lstat in `openPart`.
const { O_RDWR, O_CREAT, O_TRUNC, O_EXCL } = fsConstants
const GUARDS = (fsConstants.O_NOFOLLOW ?? 0) | (fsConstants.O_NONBLOCK ?? 0)

/**
 * Whether `openPart(…, true)` makes each write durable as it returns (O_DSYNC), so the file needs
 * no fsync of its own. Windows has no such flag: there the fsync stays.
 */
export const WRITES_DURABLE = (fsConstants.O_DSYNC ?? 0) !== 0

/**
 * The `.part` is not what was looked at a moment ago (gone, or shorter: an antivirus, a user, a
 * sync client took it): nothing is wrong with the disk, the download starts over.
 */
export class PartChanged extends Error {
  constructor(file: string, how: string) {
    super(`${file} ${how} since it was looked at`)
    this.name = 'PartChanged'
  }
}

/**
 * A regular file at `dest` that the export never wrote and that is not the recording (a folder
 * that held files before): it is not replaced.
 */
export function fileInTheWay(dest: string): CccError {
  return new CccError({ code: 'Local.FileInTheWay', message: `${dest} is a file this export did not write, and not this recording: it is left alone` })
}

export function notAFile(file: string, what: string): CccError {
  return new CccError({ code: 'Local.NotAFile', message: `${file} is ${what}, not a file this export wrote: it is left alone` })
}

/**
 * What is at `file` without following a link: its size when a regular file, 0 when nothing is
 * there. A symlink or another special file is removed when `clear` (only ever our working files:
 * unlinking a link never touches its target), else refused.
 */
export async function regularSize(file: string, clear: boolean): Promise<number> {
  let s
  try {
    s = await lstat(file)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') throw await folderInTheWay(file, e)
    throw localError(e, 'read', file)
  }
  if (s.isFile()) return s.size
  if (!clear || s.isDirectory()) throw notAFile(file, s.isDirectory() ? 'a folder' : 'a link or special file')
  await removeIfPresent(file)
  return 0
}

/**
 * Read-write, created and truncated for a fresh copy; cut to `keep` bytes for a resume, so nothing
 * stale trails the new bytes. Never through a link, never anything but a regular file. A missing
 * folder is created here, on the first file that needs it, rather than checked per file.
 * `durable`: a fresh copy's writes are synced as they are made (see WRITES_DURABLE).
 */
export async function openPart(file: string, keep: number, durable = false): Promise<FileHandle> {
  const flags = O_RDWR | GUARDS | (durable ? (fsConstants.O_DSYNC ?? 0) : 0)
  let fh: FileHandle | undefined
  try {
    if (!fsConstants.O_NOFOLLOW) await regularSize(file, keep === 0)
    if (keep > 0) {
      try {
        fh = await open(file, O_RDWR | GUARDS)
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new PartChanged(file, 'is gone')
        throw e
      }
      const s = await fh.stat()
      if (!s.isFile()) throw notAFile(file, 'a special file')
      // Cut to `keep`, never grown to it: a shorter file padded with zeros would be resumed.
      if (s.size < keep) throw new PartChanged(file, `holds ${s.size} bytes, not ${keep},`)
      await fh.truncate(keep)
      return fh
    }
    // Nearly always nothing is there yet: made with O_EXCL, the file can only be a new regular
    // file, so it needs no look (one file operation fewer per recording).
    try {
      return await openFresh(file, flags | O_CREAT | O_EXCL)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
    }
    fh = await openFresh(file, flags | O_CREAT | O_TRUNC)
    if ((await fh.stat()).isFile()) return fh
    // A FIFO or device planted where the fresh .part goes: it goes, and the file is made anew.
    await fh.close()
    await regularSize(file, true)
    fh = await open(file, flags | O_CREAT | O_EXCL)
    return fh
  } catch (e) {
    await fh?.close().catch(() => {})
    throw e instanceof PartChanged ? e : localError(e, 'open', file)
  }
}

/**
 * ENOTDIR: a file stands where a folder of this recording's path goes (a template's `{agent}/`
 * folder named as a file the user keeps there). That recording fails, naming the file, and the
 * export goes on; the output folder itself turned into a file is the runner's to stop on.
 */
async function folderInTheWay(file: string, e: unknown): Promise<Error> {
  const dest = file.endsWith('.part') ? file.slice(0, -'.part'.length) : file
  for (let at = dirname(file); at !== dirname(at); at = dirname(at)) {
    const s = await lstat(at).catch(() => undefined)
    if (s && !s.isDirectory()) return new CccError({ code: 'Local.FileInTheWay', message: `${at} is a file, where the folder of ${dest} goes: it is left alone`, cause: e })
  }
  return localError(e, 'open', file)
}

async function openFresh(file: string, flags: number): Promise<FileHandle> {
  try {
    return await open(file, flags)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    // A link where our .part goes (ELOOP; EMLINK on FreeBSD): the link goes, the file is made anew.
    if (code === 'ELOOP' || code === 'EMLINK') {
      await regularSize(file, true)
      return await open(file, flags | O_EXCL)
    }
    if (code === 'ENOTDIR') throw await folderInTheWay(file, e)
    if (code !== 'ENOENT') throw e
    const dir = dirname(file)
    try {
      await mkdir(dir, { recursive: true })
    } catch (m) {
      // Windows answers the open through a file with ENOENT, not ENOTDIR: the mkdir then meets the file.
      const code = (m as NodeJS.ErrnoException).code
      if (code === 'ENOTDIR' || code === 'EEXIST') throw await folderInTheWay(file, m)
      throw localError(m, 'create the folder', dir)
    }
    return await open(file, flags)
  }
}

/**
 * The final rename replaces an older copy of the recording, never a link (the rename would
 * leave the link's target as it is, but the user put the link there) nor anything else.
 */
export async function guardDestination(dest: string): Promise<void> {
  try {
    const s = await lstat(dest)
    if (!s.isFile()) throw notAFile(dest, s.isDirectory() ? 'a folder' : 'a link or special file')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw localError(e, 'check', dest)
  }
}

/** Several buffers at `position` in one writev where the kernel takes them all (it nearly always does). */
export async function writeAllv(fh: FileHandle, bufs: readonly Uint8Array[], position: number): Promise<void> {
  if (bufs.length === 1) return writeAll(fh, bufs[0]!, position)
  const { bytesWritten } = await fh.writev(bufs as Uint8Array[], position)
  // A short writev: the rest one buffer at a time.
  let skip = bytesWritten
  let at = position + bytesWritten
  for (const buf of bufs) {
    if (skip >= buf.length) {
      skip -= buf.length
      continue
    }
    const rest = skip > 0 ? buf.subarray(skip) : buf
    skip = 0
    await writeAll(fh, rest, at)
    at += rest.length
  }
}

/**
 * CRC-64 of the first `length` bytes already on disk: OSS gives the CRC of the whole object even
 * on a 206, so a resumed file is checked whole. `onChunk` lets the caller keep its idle timer
 * quiet and stop on abort between reads.
 */
export async function crcOfPrefix(fh: FileHandle, length: number, onChunk: () => void, sha?: Hash): Promise<Crc64> {
  const crc = new Crc64()
  const buf = Buffer.allocUnsafe(Math.max(1, Math.min(length, 1 << 20)))
  let pos = 0
  while (pos < length) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, length - pos), pos)
    if (bytesRead === 0) throw new PartChanged('the .part', 'is shorter')
    const chunk = bytesRead === buf.length ? buf : buf.subarray(0, bytesRead)
    crc.update(chunk)
    sha?.update(chunk)
    pos += bytesRead
    onChunk()
  }
  return crc
}

/**
 * fsync, then close: the data is on the disk before the rename can make it the final file.
 * `synced`: every write was made durable already (opened `durable`), so only the close is left.
 */
export async function syncAndClose(fh: FileHandle, file: string, synced = false): Promise<void> {
  try {
    if (!synced) await fh.sync()
  } catch (e) {
    await fh.close().catch(() => {})
    throw localError(e, 'flush', file)
  }
  try {
    await fh.close()
  } catch (e) {
    throw localError(e, 'close', file)
  }
}
