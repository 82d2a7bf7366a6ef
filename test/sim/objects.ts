import { createHash } from 'node:crypto'
import { Crc64 } from '../../main/engine/download/crc64.ts'

/**
 * Recording objects: bytes derived from (name, version) by a counter-based hash, so any byte range
 * can be produced directly without keeping objects in memory (benchmarks serve 100,000 of them).
 * Only the small per-version checksums are cached.
 */

export const CHUNK_SIZE = 64 * 1024

export interface ObjectMeta {
  readonly name: string
  readonly version: number
  readonly size: number
  /** Quoted upper-case MD5 hex, as OSS sends it for a simple upload. */
  readonly etag: string
  readonly md5Base64: string
  /** CRC-64/XZ of the whole object, decimal. */
  readonly crc64: string
  /** HTTP date, whole seconds. */
  readonly lastModified: string
}

interface Entry {
  size?: number
  version: number
  removed: boolean
  lastModifiedMs?: number
  meta?: ObjectMeta
}

/** FNV-1a over UTF-16 code units, finished with a mixer so nearby names spread. */
export function hash32(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return mix32(h)
}

// "lowbias32" (Chris Wellons' hash-prospector): a cheap full-avalanche 32-bit mixer.
function mix32(x: number): number {
  x ^= x >>> 16
  x = Math.imul(x, 0x7feb352d)
  x ^= x >>> 15
  x = Math.imul(x, 0x846ca68b)
  x ^= x >>> 16
  return x >>> 0
}

/** 1 KiB..64 KiB, fixed per name. */
export function defaultObjectSize(name: string): number {
  return 1024 + (hash32(`size:${name}`) % (63 * 1024 + 1))
}

/** A 16-bit 8 kHz mono PCM WAV header, so the bytes look like what CCC stores. */
function wavHeader(size: number): Buffer {
  const h = Buffer.alloc(44)
  h.write('RIFF', 0, 'latin1')
  h.writeUInt32LE(Math.max(0, size - 8) >>> 0, 4)
  h.write('WAVEfmt ', 8, 'latin1')
  h.writeUInt32LE(16, 16)
  h.writeUInt16LE(1, 20)
  h.writeUInt16LE(1, 22)
  h.writeUInt32LE(8000, 24)
  h.writeUInt32LE(16000, 28)
  h.writeUInt16LE(2, 32)
  h.writeUInt16LE(16, 34)
  h.write('data', 36, 'latin1')
  h.writeUInt32LE(Math.max(0, size - 44) >>> 0, 40)
  return h
}

/**
 * Every object is a window on one pool of pseudo-random bytes, starting at an offset its seed
 * picks and wrapping around: so a range is usually a view of the pool, made without a copy or an
 * allocation. The simulator shares two cores with the client in the benchmark (part a), and
 * computing each served byte, as it did, cost it more CPU than serving them. Two objects are
 * alike only as far as their windows overlap (seeds d apart give copies shifted by d bytes) and
 * identical only with the same seed modulo the pool and the same size, about one pair in four
 * million; no test depends on either. The pool is longer than the objects tests use, so none
 * repeats itself.
 */
const POOL_BYTES = 4 * 1024 * 1024 + 4093
let pool: Buffer | undefined

function thePool(): Buffer {
  if (!pool) {
    const words = new Uint32Array(Math.ceil(POOL_BYTES / 4))
    for (let i = 0; i < words.length; i++) words[i] = mix32(Math.imul(i, 0x9e3779b1) ^ 0x5eed5eed)
    pool = Buffer.from(words.buffer, 0, POOL_BYTES)
  }
  return pool
}

/**
 * Bytes [start, end) of the object of `size` bytes seeded by `seed`, as a read-only view of the
 * pool where it can be one: nothing may write into what this returns.
 */
function view(seed: number, size: number, start: number, end: number): Buffer {
  const at = ((seed % POOL_BYTES) + start) % POOL_BYTES
  const headerOverlaps = start < 44 && size >= 44
  if (!headerOverlaps && at + (end - start) <= POOL_BYTES) return thePool().subarray(at, at + (end - start))
  return generate(seed, size, start, end)
}

/** Bytes [start, end) of the object of `size` bytes seeded by `seed`, in a buffer of their own. */
export function generate(seed: number, size: number, start: number, end: number): Buffer {
  const bytes = thePool()
  const out = Buffer.allocUnsafe(end - start)
  for (let done = 0; done < out.length; ) {
    const at = ((seed % POOL_BYTES) + start + done) % POOL_BYTES
    done += bytes.copy(out, done, at, Math.min(POOL_BYTES, at + out.length - done))
  }
  if (start < 44 && size >= 44) wavHeader(size).copy(out, 0, start, Math.min(44, end))
  return out
}

export class ObjectStore {
  private readonly entries = new Map<string, Entry>()
  // Version 0 of every object was "uploaded" a day before the simulator started.
  private readonly baseMs: number

  constructor(
    private readonly sizeOf: (name: string) => number,
    private readonly now: () => number,
  ) {
    this.baseMs = Math.floor(now() / 1000) * 1000 - 86_400_000
  }

  private entry(name: string): Entry {
    let e = this.entries.get(name)
    if (!e) {
      e = { version: 0, removed: false }
      this.entries.set(name, e)
    }
    return e
  }

  exists(name: string): boolean {
    return !this.entries.get(name)?.removed
  }

  setSize(name: string, bytes: number): void {
    if (!Number.isSafeInteger(bytes) || bytes < 0) throw new RangeError(`bad size ${bytes}`)
    const e = this.entry(name)
    e.size = bytes
    e.meta = undefined
  }

  remove(name: string): void {
    this.entry(name).removed = true
  }

  /** A new upload under the same name: new bytes, ETag and Last-Modified; undoes `remove`. */
  replace(name: string): void {
    const e = this.entry(name)
    const previous = e.lastModifiedMs ?? this.baseMs
    e.version++
    e.removed = false
    // Whole seconds, strictly later: If-Range by date must see the change.
    e.lastModifiedMs = Math.max(Math.floor(this.now() / 1000) * 1000, previous + 1000)
    e.meta = undefined
  }

  meta(name: string): ObjectMeta {
    const e = this.entry(name)
    if (e.meta) return e.meta
    const size = e.size ?? this.sizeOf(name)
    const seed = seedOf(name, e.version)
    const md5 = createHash('md5')
    const crc = new Crc64()
    for (let pos = 0; pos < size; pos += CHUNK_SIZE) {
      const chunk = view(seed, size, pos, Math.min(size, pos + CHUNK_SIZE))
      md5.update(chunk)
      crc.update(chunk)
    }
    const digest = md5.digest()
    e.meta = {
      name,
      version: e.version,
      size,
      etag: `"${digest.toString('hex').toUpperCase()}"`,
      md5Base64: digest.toString('base64'),
      crc64: crc.digest(),
      lastModified: new Date(e.lastModifiedMs ?? this.baseMs).toUTCString(),
    }
    return e.meta
  }

  /**
   * Bytes [start, end) of the version `meta` describes, even after a `replace`: often a view of
   * the shared pool, for the server to send and never to change.
   */
  read(meta: ObjectMeta, start: number, end: number): Buffer {
    return view(seedOf(meta.name, meta.version), meta.size, start, end)
  }

  /** The whole object, in a buffer of its own that a test may change. */
  content(name: string): Buffer {
    const meta = this.meta(name)
    return generate(seedOf(meta.name, meta.version), meta.size, 0, meta.size)
  }
}

function seedOf(name: string, version: number): number {
  return hash32(`${version}\u0000${name}`)
}
