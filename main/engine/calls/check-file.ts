import { createHash } from 'node:crypto'
import { lstat, open } from 'node:fs/promises'
import { Crc64 } from '../download/crc64.ts'
import type { ManifestRow } from './manifest-row.ts'

/** Why a file on disk is not the one the manifest lists. */
export type ChangeReason = 'size' | 'sha256' | 'crc64' | 'not-a-file' | 'unreadable'

export type FileCheck =
  | { readonly outcome: 'match'; readonly bytes: number; readonly by: 'sha256' | 'crc64' | 'size' }
  | { readonly outcome: 'missing' }
  | { readonly outcome: 'changed'; readonly why: ChangeReason; readonly bytes?: number; readonly detail?: string }

/**
 * One file against its manifest row: its size first (a different size needs no reading), then its
 * SHA-256, streamed. A row from before SHA-256 was kept is checked by its CRC-64, and one with
 * neither by its size alone. A link is not the file we wrote, whatever it points at.
 */
export async function checkFile(path: string, row: ManifestRow, signal?: AbortSignal): Promise<FileCheck> {
  let size: number
  try {
    const s = await lstat(path)
    if (!s.isFile()) return { outcome: 'changed', why: 'not-a-file' }
    size = s.size
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return { outcome: 'missing' }
    return { outcome: 'changed', why: 'unreadable', detail: (e as Error).message }
  }
  if (size !== row.bytes) return { outcome: 'changed', why: 'size', bytes: size, detail: `${size} bytes, the manifest says ${row.bytes}` }
  const by = row.sha256 ? 'sha256' : row.crc64 ? 'crc64' : 'size'
  if (by === 'size') return { outcome: 'match', bytes: size, by }
  let digest: string
  try {
    digest = await digestFile(path, size, by, signal)
  } catch (e) {
    if (signal?.aborted) throw e
    return { outcome: 'changed', why: 'unreadable', bytes: size, detail: (e as Error).message }
  }
  const expected = by === 'sha256' ? row.sha256!.toLowerCase() : row.crc64!.trim()
  return digest === expected ? { outcome: 'match', bytes: size, by } : { outcome: 'changed', why: by, bytes: size }
}

// One buffer per concurrent check would do; a pool keeps them from being allocated per file.
const buffers: Buffer[] = []

/**
 * Read through a FileHandle into a reused buffer rather than a stream: for the small files of a
 * big folder a stream's own setup cost more than hashing the bytes.
 */
async function digestFile(path: string, size: number, by: 'sha256' | 'crc64', signal?: AbortSignal): Promise<string> {
  const sum = by === 'crc64' ? new Crc64() : createHash('sha256')
  const buffer = buffers.pop() ?? Buffer.allocUnsafe(256 * 1024)
  const file = await open(path, 'r')
  try {
    // `size` bytes and no extra read to find the end (a system call per file saved): a file that
    // shrank since its stat reads short and hashes differently; its size was judged at the stat.
    for (let done = 0; done < size; ) {
      signal?.throwIfAborted()
      const { bytesRead } = await file.read(buffer, 0, Math.min(buffer.length, size - done), null)
      if (bytesRead === 0) break
      sum.update(buffer.subarray(0, bytesRead))
      done += bytesRead
    }
  } finally {
    await file.close()
    buffers.push(buffer)
  }
  return sum instanceof Crc64 ? sum.digest() : sum.digest('hex')
}
