import { open } from 'node:fs/promises'
import { join } from 'node:path'
import type { FileIndex } from '../export/file-columns.ts'
import { STATE_DIR } from '../export/journal.ts'
import type { RecordingMeta } from './call.ts'
import { META_FILE } from './meta-store.ts'

/** How much of the metadata file one read takes while indexing: bounded, whatever the file's size. */
const SCAN_CHUNK = 1024 * 1024
/** A first guess at one line's length when a row's metadata is read back; grown for longer lines. */
const LINE_GUESS = 4096
/** Rows whose metadata is kept between pages (about 1 MB). */
const RECENT_ROWS = 2000
const NEWLINE = 0x0a
const QUOTE = 0x22
const BACKSLASH = 0x5c
/** How every line of the file starts (JSON.stringify keeps the key order `n`, then `m` or `d`). */
const NAME_PREFIX = Buffer.from('{"n":"')
const META_KEY = Buffer.from(',"m":')

/**
 * Where each file's call metadata sits in `meta.jsonl`, so the file list shows agent, caller and
 * start time for the rows on screen without holding a million files' metadata (issue 13 item 7;
 * issue 16: a million files in 200 MB). The index is one number per file (the byte offset of its
 * metadata line, by the table's index: 8 MB for a million), built by one pass that parses only each
 * line's name, then extended from where it stopped as the export appends; a page's rows are read
 * back line by line.
 */
export class MetaIndex {
  private offsets = new Float64Array(0)
  /** Bytes of the file indexed so far: always the end of a complete line. */
  private scanned = 0
  private busy: Promise<unknown> = Promise.resolve()
  /**
   * The rows read last, by file index: a running export's list asks for the same page with every
   * progress event (ten a second), and a file's metadata never changes once written. A few
   * screenfuls at most, then started afresh.
   */
  private recent = new Map<number, RecordingMeta>()

  constructor(
    private readonly outDir: string,
    private readonly files: FileIndex,
  ) {}

  /** The metadata of each named file, or undefined where none was recorded. */
  metas(names: readonly string[]): Promise<(RecordingMeta | undefined)[]> {
    // One at a time: a second page asked while the index grows waits for it rather than scanning twice.
    const next = this.busy.then(() => this.read(names))
    this.busy = next.catch(() => undefined)
    return next
  }

  private async read(names: readonly string[]): Promise<(RecordingMeta | undefined)[]> {
    const out: (RecordingMeta | undefined)[] = names.map(() => undefined)
    let handle
    try {
      handle = await open(join(this.outDir, STATE_DIR, META_FILE), 'r')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return out
      throw e
    }
    try {
      const indexes = names.map((n) => this.files.get(n)?.index)
      await this.catchUp(handle, indexes)
      for (let i = 0; i < names.length; i++) {
        const index = indexes[i]
        if (index === undefined) continue
        const known = this.recent.get(index)
        if (known !== undefined) {
          out[i] = known
          continue
        }
        const at = this.offsets[index] ?? Number.NaN
        if (Number.isNaN(at)) continue
        out[i] = await readMeta(handle, at)
        if (this.recent.size >= RECENT_ROWS) this.recent = new Map()
        if (out[i] !== undefined) this.recent.set(index, out[i]!)
      }
    } finally {
      await handle.close()
    }
    return out
  }

  /**
   * Indexes the lines appended since the last pass, stopping early once every wanted file is found:
   * the lines follow the order files were added, so the list's first page of a million-file export
   * needs the file's first chunk, not all of it. A line still being written waits for the next pass.
   */
  private async catchUp(handle: Awaited<ReturnType<typeof open>>, wanted: readonly (number | undefined)[]): Promise<void> {
    const size = (await handle.stat()).size
    if (size < this.scanned) this.scanned = 0 // replaced by another file: index it afresh
    let carry = Buffer.alloc(0)
    let at = this.scanned
    while (at < size) {
      const chunk = Buffer.alloc(Math.min(SCAN_CHUNK, size - at))
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, at)
      if (bytesRead === 0) break
      at += bytesRead
      const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead)
      const start = at - data.length
      let lineStart = 0
      for (let nl = data.indexOf(NEWLINE); nl !== -1; nl = data.indexOf(NEWLINE, lineStart)) {
        this.note(data.subarray(lineStart, nl), start + lineStart)
        lineStart = nl + 1
      }
      carry = Buffer.from(data.subarray(lineStart))
      this.scanned = start + lineStart
      if (wanted.every((i) => i === undefined || !Number.isNaN(this.offsets[i] ?? Number.NaN))) break
    }
  }

  private note(line: Buffer, offset: number): void {
    const name = metaLineName(line)
    if (name === undefined) return
    const index = this.files.get(name)?.index
    if (index === undefined) return
    if (index >= this.offsets.length) {
      const grown = new Float64Array(Math.max(index + 1, this.files.size, this.offsets.length * 2)).fill(Number.NaN)
      grown.set(this.offsets)
      this.offsets = grown
    }
    this.offsets[index] = offset
  }
}

/** The file name of a metadata (`m`) line, from its first bytes alone; undefined for any other line. */
export function metaLineName(line: Buffer): string | undefined {
  if (!line.subarray(0, NAME_PREFIX.length).equals(NAME_PREFIX)) return undefined
  let i = NAME_PREFIX.length
  while (i < line.length && line[i] !== QUOTE) i += line[i] === BACKSLASH ? 2 : 1
  if (i >= line.length) return undefined
  if (!line.subarray(i + 1, i + 1 + META_KEY.length).equals(META_KEY)) return undefined
  try {
    return JSON.parse(line.subarray(NAME_PREFIX.length - 1, i + 1).toString('utf8')) as string
  } catch {
    return undefined
  }
}

async function readMeta(handle: Awaited<ReturnType<typeof open>>, at: number): Promise<RecordingMeta | undefined> {
  let length = LINE_GUESS
  for (;;) {
    const buffer = Buffer.alloc(length)
    const { bytesRead } = await handle.read(buffer, 0, length, at)
    const end = buffer.subarray(0, bytesRead).indexOf(NEWLINE)
    if (end === -1 && bytesRead === length) {
      length *= 4
      continue
    }
    try {
      const parsed = JSON.parse(buffer.subarray(0, end === -1 ? bytesRead : end).toString('utf8')) as { m?: unknown }
      return typeof parsed.m === 'object' && parsed.m !== null ? (parsed.m as RecordingMeta) : undefined
    } catch {
      return undefined
    }
  }
}
