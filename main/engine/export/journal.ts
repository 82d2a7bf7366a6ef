import { createReadStream } from 'node:fs'
import { mkdir, open, stat, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { DiskCheck } from './disk-check.ts'
import type { ExportHeaderEvent, JournalEvent } from './journal-events.ts'
import { isValidEvent } from './journal-schema.ts'
import type { CccError } from '../../common/errors.ts'
import { toCccError } from '../errno.ts'
import { replaceFile } from './replace-file.ts'

export const STATE_DIR = '.ccc-recordings'
export const JOURNAL_FILE = 'journal.jsonl'

export function journalPath(outDir: string): string {
  return join(outDir, STATE_DIR, JOURNAL_FILE)
}

export interface ReplayResult {
  readonly events: number
  /**
   * Lines that did not parse or were not valid events (skipped, never trusted): a torn last line
   * after a crash, or damage elsewhere.
   */
  readonly damaged: readonly number[]
  /** Files the journal called done that were not on disk as journalled (opening checks them). */
  readonly disk?: DiskCheck
}

/**
 * Reads a journal chunk by chunk (a million-entry journal is never held whole), handing each event
 * to `apply`. A torn last line is what a crash mid-write leaves; it is skipped, as is any other
 * damaged line, whose number is reported so the caller can say so.
 *
 * Lines are cut on the bytes, not through readline: a chunk is decoded once up to its last
 * newline (0x0a never occurs inside a UTF-8 sequence) and sliced, which replays a million
 * entries in about half the time readline's per-line events take.
 */
export async function replayJournal(outDir: string, apply: (event: JournalEvent) => void): Promise<ReplayResult> {
  const file = await open(journalPath(outDir), 'r')
  let buf = Buffer.allocUnsafe(REPLAY_CHUNK)
  // Bytes at the start of `buf` that began a line the last read did not finish.
  let carried = 0
  let n = 0
  let events = 0
  const damaged: number[] = []
  const line = (text: string): void => {
    n++
    // A CR before the LF is whitespace to JSON.parse; a line of it (or any whitespace) alone is blank.
    if (text.length === 0 || (text.charCodeAt(0) <= 0x20 && text.trim() === '')) return
    let event: unknown
    try {
      event = JSON.parse(text)
    } catch {
      damaged.push(n)
      return
    }
    // A line that parses but lacks what its type needs is damage (or a forgery): never replayed.
    if (!isValidEvent(event)) {
      damaged.push(n)
      return
    }
    apply(event)
    events++
  }
  try {
    for (;;) {
      if (carried === buf.length) {
        // A line longer than the buffer: make room for the rest of it.
        const bigger = Buffer.allocUnsafe(buf.length * 2)
        buf.copy(bigger, 0, 0, carried)
        buf = bigger
      }
      const { bytesRead } = await file.read(buf, carried, buf.length - carried, null)
      if (bytesRead === 0) break
      const filled = carried + bytesRead
      const end = buf.lastIndexOf(0x0a, filled - 1)
      if (end === -1) {
        carried = filled
        continue
      }
      const text = buf.toString('utf8', 0, end)
      // The unfinished line moves to the front, and the next read lands after it.
      buf.copy(buf, 0, end + 1, filled)
      carried = filled - end - 1
      let from = 0
      for (;;) {
        const nl = text.indexOf('\n', from)
        if (nl === -1) {
          line(text.slice(from))
          break
        }
        line(text.slice(from, nl))
        from = nl + 1
      }
    }
    if (carried > 0) line(buf.toString('utf8', 0, carried))
  } finally {
    await file.close()
  }
  return { events, damaged }
}

const REPLAY_CHUNK = 1 << 20

export async function journalExists(outDir: string): Promise<boolean> {
  try {
    return (await stat(journalPath(outDir))).isFile()
  } catch {
    return false
  }
}

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
    if (size > 0) {
      const tail = Buffer.alloc(Math.min(size, 64 * 1024))
      await file.read(tail, 0, tail.length, size - tail.length)
      if (tail[tail.length - 1] !== 0x0a) {
        const lastNewline = tail.lastIndexOf(0x0a)
        const keep = lastNewline === -1 ? Math.max(0, size - tail.length) : size - tail.length + lastNewline + 1
        await file.truncate(keep)
        return new JournalWriter<E>(file, options, keep)
      }
    }
    return new JournalWriter<E>(file, options, size)
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
        await this.file.write(text)
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
 * Replaces the journal with `events` atomically (temp file, fsync, rename): what compaction
 * writes once retries and superseded states have piled up.
 */
export async function rewriteJournal(outDir: string, events: Iterable<JournalEvent>): Promise<void> {
  await replaceFile(journalPath(outDir), jsonLines(events))
}

function* jsonLines(events: Iterable<JournalEvent>): Generator<string> {
  for (const event of events) yield `${JSON.stringify(event)}\n`
}

/** True when the journal holds nothing but whitespace (or one torn line): a process killed at its first write. */
export async function journalIsBlank(outDir: string): Promise<boolean> {
  try {
    const replay = await replayJournal(outDir, () => undefined)
    return replay.events === 0 && replay.damaged.length <= 1
  } catch {
    return false
  }
}

/** The header alone, for commands that need the export's instance before opening it. */
export async function readExportHeader(outDir: string): Promise<ExportHeaderEvent | undefined> {
  const lines = createInterface({ input: createReadStream(journalPath(outDir), { encoding: 'utf8', end: 64 * 1024 }), crlfDelay: Infinity })
  try {
    for await (const line of lines) {
      if (line.trim() === '') continue
      const event: unknown = JSON.parse(line)
      return isValidEvent(event) && event.type === 'export' ? event : undefined
    }
  } catch {
    return undefined
  } finally {
    lines.close()
  }
  return undefined
}
