import type { DoneInfo } from './meta-store.ts'

/** How a file was verified, as a byte: 0 for none said. */
const BY = [undefined, 'crc64', 'md5', 'length'] as const
const HAS_SHA = 4
const PRESENT = 8
const HEX_SHA256 = /^[0-9a-f]{64}$/

/**
 * What meta.jsonl says of how each verified file was verified, by the file's index: the SHA-256
 * in 32 bytes, the time in 8 and the method in 1, where 100,000 objects holding two strings each
 * cost about 30 MB of the manifest's writing (bench part b). What does not fit those columns (a
 * time that is not what `toISOString` writes, a checksum that is not lowercase hex, an unknown
 * method: a file edited by hand) is kept as read, so the manifest says exactly what the file says.
 */
export class DoneColumns {
  private readonly sha: Buffer
  private readonly at: Float64Array
  private readonly flags: Uint8Array
  private readonly odd = new Map<number, DoneInfo>()

  constructor(readonly size: number) {
    this.sha = Buffer.alloc(size * 32)
    this.at = new Float64Array(size)
    this.flags = new Uint8Array(size)
  }

  /** The last line read for a file wins, as it did when they were kept as objects. */
  set(i: number, info: DoneInfo): void {
    const ms = Date.parse(info.at)
    const by = BY.indexOf(info.by as (typeof BY)[number])
    const sha = info.sha256
    const fits =
      Number.isFinite(ms) && new Date(ms).toISOString() === info.at && by >= 0 && (sha === undefined || (typeof sha === 'string' && HEX_SHA256.test(sha)))
    if (!fits) {
      this.odd.set(i, info)
      this.flags[i] = 0
      return
    }
    this.odd.delete(i)
    this.at[i] = ms
    this.flags[i] = PRESENT | by | (sha === undefined ? 0 : HAS_SHA)
    if (sha !== undefined) this.sha.write(sha, i * 32, 32, 'hex')
  }

  get(i: number): DoneInfo | undefined {
    const f = this.flags[i]!
    if ((f & PRESENT) === 0) return this.odd.get(i)
    const by = BY[f & 3]
    return {
      at: new Date(this.at[i]!).toISOString(),
      ...((f & HAS_SHA) !== 0 ? { sha256: this.sha.toString('hex', i * 32, i * 32 + 32) } : {}),
      ...(by ? { by } : {}),
    }
  }
}
