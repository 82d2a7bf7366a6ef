import type { FileHandle } from 'node:fs/promises'

/**
 * Every byte of `data`, however many writes it takes. One write(2) may take only part: a disk
 * that fills up mid-write takes what fits and says so only in the count it returns, and the next
 * write fails. Trusting the count of one call once made a journal flush succeed with half its
 * lines on disk. `position` null writes at the file's offset (the end, for a file opened to append).
 */
export async function writeAll(file: Pick<FileHandle, 'write'>, data: string | Uint8Array, position: number | null = null): Promise<void> {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
  let done = 0
  while (done < buf.length) {
    const { bytesWritten } = await file.write(buf, done, buf.length - done, position === null ? null : position + done)
    if (bytesWritten <= 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' })
    done += bytesWritten
  }
}
