import type { ErrorData } from '../../common/errors.ts'
import { JOB_KINDS, type JobKind } from '../../common/job.ts'

/**
 * The files of an export as columns (issue 16: a million files in 200 MB): one typed array per
 * field instead of an object per file, so a file costs its name, its slot in the index and about
 * forty bytes of numbers. Errors and unusual values are kept aside, by index, for the few files
 * that have them.
 */

const CODE: Readonly<Record<JobKind, number>> = Object.fromEntries(JOB_KINDS.map((k, i) => [k, i])) as Record<JobKind, number>

// Flag bits of a file.
const HAS_CRC = 1
const BY_MD5 = 2
const BY_LENGTH = 4

const MAX_U64 = (1n << 64n) - 1n
const DECIMAL_U64 = /^\d{1,20}$/

export class FileColumns {
  state = new Uint8Array(1024)
  bytes = new Float64Array(1024)
  attempts = new Uint32Array(1024)
  /** NaN where unknown. */
  startTime = new Float64Array(1024)
  crc = new BigUint64Array(1024)
  flags = new Uint8Array(1024)
  /** Where a file was written (or a template plans it); the name itself for the flat layout, shared. */
  readonly path: (string | undefined)[] = []
  readonly errors = new Map<number, ErrorData>()
  /** A CRC that is not a 64-bit decimal (a forged or damaged line): kept as it came. */
  private readonly oddCrc = new Map<number, string>()
  private length = 0

  /** A new file at the end, queued, with nothing known; returns its index. */
  push(startTime: number | undefined, path: string | undefined): number {
    const i = this.length++
    if (i === this.state.length) this.grow()
    this.state[i] = CODE.queued
    this.startTime[i] = startTime ?? Number.NaN
    this.path.push(path)
    return i
  }

  kind(i: number): JobKind {
    return JOB_KINDS[this.state[i]!]!
  }

  setKind(i: number, kind: JobKind): void {
    this.state[i] = CODE[kind]
  }

  crc64(i: number): string | undefined {
    if (this.flags[i]! & HAS_CRC) return this.crc[i]!.toString()
    return this.oddCrc.get(i)
  }

  setCrc64(i: number, value: string | undefined): void {
    this.oddCrc.delete(i)
    if (value !== undefined && DECIMAL_U64.test(value) && BigInt(value) <= MAX_U64) {
      this.crc[i] = BigInt(value)
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

  setVerifiedBy(i: number, by: 'md5' | 'length' | undefined): void {
    this.flags[i] = (this.flags[i]! & ~(BY_MD5 | BY_LENGTH)) | (by === 'md5' ? BY_MD5 : by === 'length' ? BY_LENGTH : 0)
  }

  private grow(): void {
    const size = this.state.length * 2
    const wider = <T extends Uint8Array | Uint32Array | Float64Array | BigUint64Array>(a: T, make: (n: number) => T): T => {
      const b = make(size)
      b.set(a as never)
      return b
    }
    this.state = wider(this.state, (n) => new Uint8Array(n))
    this.bytes = wider(this.bytes, (n) => new Float64Array(n))
    this.attempts = wider(this.attempts, (n) => new Uint32Array(n))
    this.startTime = wider(this.startTime, (n) => new Float64Array(n))
    this.crc = wider(this.crc, (n) => new BigUint64Array(n))
    this.flags = wider(this.flags, (n) => new Uint8Array(n))
  }
}
