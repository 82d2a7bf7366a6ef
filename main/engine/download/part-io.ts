import { mkdir, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises'
import { dirname } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { CccError, isAbortError } from '../../common/errors.ts'
import { errnoToCccError } from '../errno.ts'
import { Crc64 } from './crc64.ts'

/**
 * The file operations under a `.part` (PartFile): each turns its failure into our codes, so a
 * full disk pauses the export and anything else on the local side stops it.
 */

/** `what` and `file` say which operation failed on which file; an unknown errno is still a local write failure. */
export function localError(e: unknown, what: string, file: string): Error {
  if (e instanceof CccError || isAbortError(e)) return e as Error
  const code = errnoToCccError(e)?.code ?? 'Local.WriteFailed'
  const errno = (e as NodeJS.ErrnoException | undefined)?.code
  const message = code === 'DiskFull' ? `No space left on the disk to ${what} ${file}` : `Could not ${what} ${file} (${errno ?? String(e)})`
  return new CccError({ code, message, cause: e })
}

export async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0
    throw localError(e, 'read', file)
  }
}

export async function removeIfPresent(file: string): Promise<void> {
  try {
    await unlink(file)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw localError(e, 'delete', file)
  }
}

/**
 * `w` for a fresh copy; `r+` cut to `keep` bytes for a resume, so nothing stale trails the new bytes.
 * A missing folder is created here, on the first file that needs it, rather than checked per file.
 */
export async function openPart(file: string, keep: number): Promise<FileHandle> {
  try {
    if (keep === 0) return await openFresh(file)
    const fh = await open(file, 'r+')
    await fh.truncate(keep).catch(async (e: unknown) => {
      await fh.close().catch(() => {})
      throw e
    })
    return fh
  } catch (e) {
    throw localError(e, 'open', file)
  }
}

async function openFresh(file: string): Promise<FileHandle> {
  try {
    return await open(file, 'w')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
    const dir = dirname(file)
    try {
      await mkdir(dir, { recursive: true })
    } catch (m) {
      throw localError(m, 'create the folder', dir)
    }
    return await open(file, 'w')
  }
}

/** A write may be partial (rarely, for regular files): loop until every byte is down. */
async function writeAll(fh: FileHandle, buf: Uint8Array, position: number): Promise<void> {
  let done = 0
  while (done < buf.length) {
    const { bytesWritten } = await fh.write(buf, done, buf.length - done, position + done)
    if (bytesWritten <= 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' })
    done += bytesWritten
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
export async function crcOfPrefix(fh: FileHandle, length: number, onChunk: () => void): Promise<Crc64> {
  const crc = new Crc64()
  const buf = Buffer.allocUnsafe(Math.max(1, Math.min(length, 1 << 20)))
  let pos = 0
  while (pos < length) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, length - pos), pos)
    if (bytesRead === 0) throw Object.assign(new Error('the .part is shorter than it was'), { code: 'EIO' })
    crc.update(bytesRead === buf.length ? buf : buf.subarray(0, bytesRead))
    pos += bytesRead
    onChunk()
  }
  return crc
}

// Windows virus scanners and indexers hold a just-closed file for a moment: rename then fails
// with EPERM/EACCES/EBUSY although nothing is wrong (the reason graceful-fs retries it).
const TRANSIENT_RENAME = new Set(['EPERM', 'EACCES', 'EBUSY'])

export async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to)
      return
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? ''
      if (process.platform !== 'win32' || !TRANSIENT_RENAME.has(code) || attempt >= 8) throw e
      await delay(20 * 2 ** attempt) // 20 ms … 2.5 s, about 5 s in all
    }
  }
}

/** fsync, then close: the data is on the disk before the rename can make it the final file. */
export async function syncAndClose(fh: FileHandle, file: string): Promise<void> {
  try {
    await fh.sync()
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
