import { mkdir, open, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import type { CccError } from '../../common/errors.ts'
import { toCccError } from '../errno.ts'
import { writeAll } from '../write-all.ts'
import { journalPath, STATE_DIR } from './journal.ts'
import type { JournalEvent } from './journal-events.ts'

export interface JournalWriterOptions {
  /** Flush (write + fdatasync) at most this often while events keep coming. */
  readonly flushIntervalMs?: number
  /** Or as soon as this much is buffered. */
  readonly maxBufferBytes?: number
  /**
   * Awaited before each write: what must be durable before the events written after it. The
   * runner syncs the folders its finished files were renamed into, so a `done` line never
   * survives a crash that the file's rename did not.
   */
  readonly beforeWrite?: () => Promise<void>
  /**
   * What the journal is written through: the opened file by default. Tests put a failing write
   * here (an ENOSPC) to see the export pause, which a real full disk shows only with root.
   */
  readonly sink?: (file: FileHandle) => JournalSink
  /** Another append-only file in the state folder, written the same way (the call metadata's). */
  readonly file?: string
}

/** The part of a file handle the writer uses after opening. */
export type JournalSink = Pick<FileHandle, 'write' | 'datasync' | 'close'> & Partial<Pick<FileHandle, 'truncate'>>

/**
 * Appends events with batched fsync: durability for every `done` without an fsync per file,
 * which would cap a 100,000-file export at the disk's sync rate.
 */
export class JournalWriter<E = JournalEvent> {
  private buffer: string[] = []
  private bufferBytes = 0
  private timer: NodeJS.Timeout | undefined
  private flushing: Promise<void> = Promise.resolve()
  private failure: CccError | undefined
  private readonly failureListeners: ((error: CccError) => void)[] = []
  private failureTold = false
  private readonly flushIntervalMs: number
  private readonly maxBufferBytes: number
  private readonly beforeWrite: (() => Promise<void>) | undefined
  private readonly file: JournalSink

  /** Bytes known to be on disk, whole lines only: a failed write is cut back to here before it is tried again. */
  private durable: number
  /** Lines a failed write did not get onto the disk: written first by the next flush. */
  private unwritten = ''

  private constructor(file: FileHandle, options: JournalWriterOptions, size: number) {
    this.durable = size
    this.file = options.sink ? options.sink(file) : file
    this.flushIntervalMs = options.flushIntervalMs ?? 250
    this.maxBufferBytes = options.maxBufferBytes ?? 256 * 1024
    this.beforeWrite = options.beforeWrite
  }

  /**
   * Told once, at the first failed write or sync (ENOSPC is `DiskFull`, EACCES `Local.WriteFailed`):
   * the export must stop at once, since nothing it does from then on is remembered. A failure a
   * listener was told of is not thrown again by `close`, so the export can still end cleanly.
   */
  onFailure(listener: (error: CccError) => void): void {
    this.failureListeners.push(listener)
  }

  get failed(): CccError | undefined {
    return this.failure
  }

  /** Opens for appending; a torn last line is cut off first so new events never join onto it. */
  static async open<E = JournalEvent>(outDir: string, options: JournalWriterOptions = {}): Promise<JournalWriter<E>> {
    await mkdir(join(outDir, STATE_DIR), { recursive: true })
    const file = await open(options.file ? join(outDir, STATE_DIR, options.file) : journalPath(outDir), 'a+')
    const { size } = await file.stat()
    const keep = await afterLastNewline(file, size)
    if (keep < size) await file.truncate(keep)
    return new JournalWriter<E>(file, options, keep)
  }

  append(event: E): void {
    const line = `${JSON.stringify(event)}\n`
    this.buffer.push(line)
    this.bufferBytes += line.length
    if (this.bufferBytes >= this.maxBufferBytes) void this.flush()
    else this.timer ??= setTimeout(() => void this.flush(), this.flushIntervalMs)
  }

  /**
   * Writes and syncs everything appended so far. A failed write (a full disk) loses nothing: its
   * lines are kept and written again, after whatever it left half-written is cut off, by the next
   * flush; that flush rejects with the same error while the trouble lasts, and clears it once the
   * lines are on disk (space was freed, the export resumes in the same process).
   */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = undefined
    }
    const chunk = this.buffer.join('')
    this.buffer = []
    this.bufferBytes = 0
    const write = async () => {
      const text = this.unwritten + chunk
      if (text.length === 0) return
      try {
        await this.beforeWrite?.()
        if (this.unwritten !== '') await this.file.truncate?.(this.durable)
        await writeAll(this.file, text)
        await this.file.datasync()
      } catch (e) {
        this.unwritten = text
        this.fail(e)
      }
      this.durable += Buffer.byteLength(text)
      this.unwritten = ''
      this.failure = undefined
      this.failureTold = false
    }
    // After a failed flush as after a good one: the next one tries again.
    this.flushing = this.flushing.then(write, write)
    // Callers that do not await still must not see an unhandled rejection; close() rethrows.
    this.flushing.catch(() => undefined)
    return this.flushing
  }

  async close(): Promise<void> {
    try {
      await this.flush()
    } catch (e) {
      if (!this.failureTold) throw e
    } finally {
      await this.file.close()
    }
  }

  private fail(e: unknown): never {
    // One trouble, one error, told once: the flushes that meet it again while it lasts rethrow it.
    if (this.failure) throw this.failure
    const error = toCccError(e)
    this.failure = error
    if (this.failureListeners.length > 0) {
      this.failureTold = true
      for (const listener of this.failureListeners) listener(error)
    }
    throw error
  }
}

/**
 * Where the last whole line ends: the file's size when it ends with a newline, else the end of
 * the last newline before the torn tail (0 when there is none). Read backwards in 64 KB windows,
 * since a torn line may be longer than one (a `meta.jsonl` line carries a CSV row's columns).
 */
async function afterLastNewline(file: FileHandle, size: number): Promise<number> {
  const window = Buffer.alloc(Math.min(size, 64 * 1024))
  for (let end = size; end > 0; ) {
    const start = Math.max(0, end - window.length)
    const { bytesRead } = await file.read(window, 0, end - start, start)
    const at = window.subarray(0, bytesRead).lastIndexOf(0x0a)
    if (at >= 0) return start + at + 1
    end = start
  }
  return 0
}

/**
 * Replaces the journal with `events` atomically (temp file, fsync, rename): what compaction
 * writes once retries and superseded states have piled up.
 */
