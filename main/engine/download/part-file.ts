import { mkdir, open, readFile, rename, stat, unlink, writeFile, type FileHandle } from 'node:fs/promises'
import { dirname } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { CccError } from '../../common/errors.ts'
import { Crc64 } from './crc64.ts'

/**
 * The working files of one download: `<dest>.part` holds the bytes so far, `<dest>.part.etag` the
 * ETag of the object version they belong to, so a later run (even after a crash, with nothing
 * else remembered) can ask for the rest with `If-Range` and never splice two versions together.
 * Without a sidecar a `.part` cannot be trusted for a resume and is started over.
 */
export interface PartPaths {
  readonly dest: string
  readonly part: string
  readonly etag: string
}

export function partPaths(dest: string): PartPaths {
  return { dest, part: `${dest}.part`, etag: `${dest}.part.etag` }
}

/** Local failures as our codes: a full disk pauses the export, anything else stops it. */
export function localError(e: unknown, what: string, file: string): Error {
  if (e instanceof CccError || (e instanceof Error && e.name === 'AbortError')) return e
  const code = (e as NodeJS.ErrnoException | undefined)?.code
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new CccError({ code: 'DiskFull', message: `No space left on the disk to ${what} ${file}` })
  }
  return new CccError({ code: 'Local.WriteFailed', message: `Could not ${what} ${file} (${code ?? String(e)})` })
}

export async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0
    throw localError(e, 'read', file)
  }
}

/**
 * What the sidecar knows of the `.part`: the object version (ETag) and, from the reply that
 * started it, the object's size and CRC-64. With those, a `.part` that holds every byte (the
 * process died between the last byte and the rename) is checked and kept without asking OSS
 * again: a Range from the end would be unsatisfiable and OSS would send the whole object.
 */
export interface Sidecar {
  readonly etag: string
  readonly size?: number
  readonly crc64?: string
}

export async function readSidecar(file: string): Promise<Sidecar | undefined> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    return undefined // missing or unreadable: the .part just starts over
  }
  const [etag, size, crc64] = text.split('\n').map((l) => l.trim())
  if (!etag) return undefined
  const n = Number(size)
  return { etag, ...(size && Number.isSafeInteger(n) && n >= 0 ? { size: n } : {}), ...(crc64 && /^\d+$/.test(crc64) ? { crc64 } : {}) }
}

/** Records (or forgets) the version of the bytes in the `.part`. */
export async function writeSidecar(file: string, sidecar: Sidecar | undefined): Promise<void> {
  try {
    if (sidecar === undefined) await removeIfPresent(file)
    else await writeFile(file, [sidecar.etag, sidecar.size ?? '', sidecar.crc64 ?? ''].join('\n'), 'utf8')
  } catch (e) {
    throw localError(e, 'write', file)
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
    if (keep === 0) {
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

/** A write may be partial (rarely, for regular files): loop until every byte is down. */
export async function writeAll(fh: FileHandle, buf: Uint8Array, position: number): Promise<void> {
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

async function renameWithRetry(from: string, to: string): Promise<void> {
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

/**
 * Verified bytes become the final file: fsync the data, close, forget the sidecar, rename into
 * place (atomic: a reader sees the old file or the whole new one). The rename is durable once the
 * folder is synced, which is the caller's to do (syncFolder) before it records the file as done:
 * the export runner syncs each folder once per journal write, not once per file.
 */
export async function commitPart(fh: FileHandle, paths: PartPaths, options: { noSidecar?: boolean } = {}): Promise<void> {
  try {
    await fh.sync()
  } catch (e) {
    await fh.close().catch(() => {})
    throw localError(e, 'flush', paths.part)
  }
  try {
    await fh.close()
  } catch (e) {
    throw localError(e, 'close', paths.part)
  }
  // The sidecar goes first: a crash after this only costs a fresh download, never an orphan file.
  // `noSidecar`: the caller knows there is none, and spares a file operation.
  if (!options.noSidecar) await removeIfPresent(paths.etag)
  try {
    await renameWithRetry(paths.part, paths.dest)
  } catch (e) {
    throw localError(e, 'move into place', paths.dest)
  }
}

/** A `.part` that must never be resumed (corrupt, or another version). */
export async function dropPart(paths: PartPaths): Promise<void> {
  await removeIfPresent(paths.etag)
  await removeIfPresent(paths.part)
}
