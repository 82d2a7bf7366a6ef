import type { ErrorData } from '../../common/errors.ts'
import { JOB_KINDS, type JobKind } from '../../common/job.ts'
import type { NameTable } from './name-table.ts'
import { formatU64, parseU64 } from './u64-decimal.ts'
import { Utf8Column } from './utf8-column.ts'

/**
 * The files of an export as columns (issue 16: a million files in 200 MB): one typed array per
 * field instead of an object per file, so a file costs its name's bytes (name-table.ts) and
 * about thirty bytes of numbers. A path that is the name (the flat layout) is a flag bit; other
 * paths are UTF-8 in a column of their own. Errors and unusual values are kept aside, by index,
 * for the few files that have them.
 */

const CODE: Readonly<Record<JobKind, number>> = Object.fromEntries(JOB_KINDS.map((k, i) => [k, i])) as Record<JobKind, number>

// Flag bits of a file.
const HAS_CRC = 1
const BY_MD5 = 2
const BY_LENGTH = 4
/** The file's path is its name. */
const PATH_IS_NAME = 8
/** The export put this file at its path once (a done line): a file there now is its own, to replace. */
const WROTE = 16

/** Attempts are counted in a byte: no policy allows more than a few dozen (decide.ts), so 255 means "many". */
const MAX_ATTEMPTS = 255

export class FileColumns {
  state = new Uint8Array(1024)
  bytes = new Float64Array(1024)
  attempts = new Uint8Array(1024)
  /** NaN where unknown; none at all until a file has one (an export of names has none: 8 MB a million). */
  private startTimes: Float64Array | undefined
  /** Two 32-bit halves per file, high first: parsed without a BigInt (u64-decimal.ts). */
  crc = new Uint32Array(2 * 1024)
  flags = new Uint8Array(1024)
  /** Where a file was written (or a template plans it) when that is not its name. */
  private readonly paths = new Utf8Column()
  readonly errors = new Map<number, ErrorData>()
  /** A CRC that is not a 64-bit decimal (a forged or damaged line): kept as it came. */
  private readonly oddCrc = new Map<number, string>()
  private length = 0

  constructor(private readonly names: NameTable) {}

  /** A new file at the end, queued, with nothing known; returns its index. */
  push(startTime: number | undefined, path: string | undefined): number {
    const i = this.length++
    if (i === this.state.length) this.grow()
    this.state[i] = CODE.queued
    this.setStartTime(i, startTime)
    this.setPath(i, path)
    return i
  }

  kind(i: number): JobKind {
    return JOB_KINDS[this.state[i]!]!
  }

  setKind(i: number, kind: JobKind): void {
    this.state[i] = CODE[kind]
  }

  startTime(i: number): number | undefined {
    const t = this.startTimes?.[i] ?? Number.NaN
    return Number.isNaN(t) ? undefined : t
  }

  setStartTime(i: number, t: number | undefined): void {
    if (t === undefined && !this.startTimes) return
    this.startTimes ??= new Float64Array(this.state.length).fill(Number.NaN)
    this.startTimes[i] = t ?? Number.NaN
  }

  path(i: number): string | undefined {
    return this.flags[i]! & PATH_IS_NAME ? this.names.at(i) : this.paths.get(i)
  }

  setPath(i: number, path: string | undefined): void {
    const isName = path !== undefined && this.names.isAt(i, path)
    this.flags[i] = isName ? this.flags[i]! | PATH_IS_NAME : this.flags[i]! & ~PATH_IS_NAME
    this.paths.set(i, isName ? undefined : path)
  }

  setAttempts(i: number, n: number): void {
    this.attempts[i] = Math.min(n, MAX_ATTEMPTS)
  }

  crc64(i: number): string | undefined {
    if (this.flags[i]! & HAS_CRC) return formatU64(this.crc[2 * i]!, this.crc[2 * i + 1]!)
    return this.oddCrc.get(i)
  }

  setCrc64(i: number, value: string | undefined): void {
    this.oddCrc.delete(i)
    if (value !== undefined && parseU64(value, this.crc, 2 * i)) {
      this.flags[i]! |= HAS_CRC
      return
    }
    this.flags[i]! &= ~HAS_CRC
    if (value !== undefined) this.oddCrc.set(i, value)
  }

  verifiedBy(i: number): 'md5' | 'length' | undefined {
    const f = this.flags[i]!
    return f & BY_MD5 ? 'md5' : f & BY_LENGTH ? 'length' : undefined
  }

  wrote(i: number): boolean {
    return (this.flags[i]! & WROTE) !== 0
  }

  setWrote(i: number): void {
    this.flags[i]! |= WROTE
  }

  setVerifiedBy(i: number, by: 'md5' | 'length' | undefined): void {
    this.flags[i] = (this.flags[i]! & ~(BY_MD5 | BY_LENGTH)) | (by === 'md5' ? BY_MD5 : by === 'length' ? BY_LENGTH : 0)
  }

  private grow(): void {
    const size = this.state.length * 2
    const wider = <T extends Uint8Array | Uint32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(size)
      b.set(a as never)
      return b
    }
    this.state = wider(this.state, (n) => new Uint8Array(n))
    this.bytes = wider(this.bytes, (n) => new Float64Array(n))
    this.attempts = wider(this.attempts, (n) => new Uint8Array(n))
    if (this.startTimes) this.startTimes = wider(this.startTimes, (n) => new Float64Array(n).fill(Number.NaN))
    this.crc = wider(this.crc, (n) => new Uint32Array(2 * n))
    this.flags = wider(this.flags, (n) => new Uint8Array(n))
  }
}

/** One file of an export: a view onto the table's columns, so a million of them cost no objects. */
export interface FileEntry {
  /** Its place in the order files were added. */
  readonly index: number
  state: JobKind
  /** Bytes on disk: the verified file, or what the `.part` holds so far. */
  bytes: number
  attempts: number
  startTime?: number | undefined
  crc64?: string | undefined
  path?: string | undefined
  error?: ErrorData | undefined
  /** What proved a verified file when it was not OSS's CRC-64 (Content-MD5, or its length alone). */
  verifiedBy?: 'md5' | 'length' | undefined
  /** The export put this file at its path once: a file found there is its own (changed since), not a stranger's. */
  readonly wrote?: boolean
}

class EntryView implements FileEntry {
  readonly #c: FileColumns
  constructor(c: FileColumns, readonly index: number) {
    this.#c = c
  }
  get state(): JobKind {
    return this.#c.kind(this.index)
  }
  set state(kind: JobKind) {
    this.#c.setKind(this.index, kind)
  }
  get bytes(): number {
    return this.#c.bytes[this.index]!
  }
  set bytes(n: number) {
    this.#c.bytes[this.index] = n
  }
  get attempts(): number {
    return this.#c.attempts[this.index]!
  }
  set attempts(n: number) {
    this.#c.setAttempts(this.index, n)
  }
  get startTime(): number | undefined {
    return this.#c.startTime(this.index)
  }
  set startTime(t: number | undefined) {
    this.#c.setStartTime(this.index, t)
  }
  get crc64(): string | undefined {
    return this.#c.crc64(this.index)
  }
  set crc64(v: string | undefined) {
    this.#c.setCrc64(this.index, v)
  }
  get path(): string | undefined {
    return this.#c.path(this.index)
  }
  set path(p: string | undefined) {
    this.#c.setPath(this.index, p)
  }
  get error(): ErrorData | undefined {
    return this.#c.errors.get(this.index)
  }
  set error(e: ErrorData | undefined) {
    if (e) this.#c.errors.set(this.index, e)
    else this.#c.errors.delete(this.index)
  }
  get verifiedBy(): 'md5' | 'length' | undefined {
    return this.#c.verifiedBy(this.index)
  }
  get wrote(): boolean {
    return this.#c.wrote(this.index)
  }
  set verifiedBy(by: 'md5' | 'length' | undefined) {
    this.#c.setVerifiedBy(this.index, by)
  }
}

/** The files by name, in the order added: a live view (it sees names added while it is iterated). */
export class FileIndex implements Iterable<[string, FileEntry]> {
  constructor(
    private readonly names: NameTable,
    private readonly columns: FileColumns,
  ) {}

  get size(): number {
    return this.names.size
  }

  has(name: string): boolean {
    return this.names.indexOf(name) >= 0
  }

  get(name: string): FileEntry | undefined {
    const i = this.names.indexOf(name)
    return i < 0 ? undefined : new EntryView(this.columns, i)
  }

  at(index: number): FileEntry {
    return new EntryView(this.columns, index)
  }

  /** The state of the file at `index`, read from its column (no view, no name decoded). */
  stateAt(index: number): JobKind {
    return this.columns.kind(index)
  }

  /** The error of the file at `index`, when it has one. */
  errorAt(index: number): ErrorData | undefined {
    return this.columns.errors.get(index)
  }

  /** The name of the file at `index`, decoded from the table's bytes. */
  nameAt(index: number): string {
    return this.names.at(index)
  }

  /** Names are decoded as the iteration reaches them: a million never sit on the heap at once. */
  *entries(): IterableIterator<[string, FileEntry]> {
    for (let i = 0; i < this.names.size; i++) yield [this.names.at(i), new EntryView(this.columns, i)]
  }

  [Symbol.iterator](): IterableIterator<[string, FileEntry]> {
    return this.entries()
  }
}
