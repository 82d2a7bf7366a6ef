import { createHash, type Hash } from 'node:crypto'
import type { FileHandle } from 'node:fs/promises'
import { renameOver } from '../atomic-file.ts'
import { Crc64 } from './crc64.ts'
import { HEAD_BYTES } from './content-kind.ts'
import { crcOfPrefix, guardDestination, localError, openPart, PartChanged, removeIfPresent, renameError, sizeOf, syncAndClose, writeAllv, WRITES_DURABLE } from './part-io.ts'
import { readSidecar, sameSidecar, sidecarOf, writeSidecar, type Sidecar } from './sidecar.ts'
import { strongEtag } from './verify.ts'

/**
 * The working files of one download, owned by one object (issue 12 item 2; the idea of rclone's
 * `fs/operations/reopen.go`): `<dest>.part` holds the bytes so far, `<dest>.part.etag` what they
 * are (sidecar.ts). It knows what is on disk, reopens it at the right offset, carries the running
 * CRC-64, and keeps the rule that the sidecar never names a version the bytes are not.
 */

/** What a reply says of the object: the `.part` records it for a later resume. */
export interface ObjectVersion {
  readonly etag: string | undefined
  /** The whole object's length, when the reply said it. */
  readonly total: number | undefined
  readonly crc64: string | undefined
}

export interface Committed {
  readonly bytes: number
  /** CRC-64/XZ of the final file, decimal. */
  readonly crc64: string
  /** SHA-256 of the final file, hex: computed while the bytes stream in, for the manifest (issue 13). */
  readonly sha256: string
}

/** What `<dest>.part.etag` holds: known to be absent, known to say something, or not known. */
type SidecarState = { readonly kind: 'absent' } | { readonly kind: 'says'; readonly sidecar: Sidecar } | { readonly kind: 'unknown' }

const ABSENT: SidecarState = { kind: 'absent' }
const UNKNOWN: SidecarState = { kind: 'unknown' }

// Bytes gathered before a write: a recording of a few hundred KB goes to disk in one write.
const WRITE_BATCH = 512 * 1024

export interface OpenOptions {
  /**
   * The caller knows neither file exists (a new export into an empty folder, the file's first
   * try): they are not looked for, two file operations fewer.
   */
  readonly fresh?: boolean
  /** The object's ETag from an earlier attempt: the validator when a `.part` has lost its sidecar. */
  readonly etag?: string | undefined
}

export class PartFile {
  readonly part: string
  readonly sidecarFile: string
  private fh: FileHandle | undefined
  private crc = new Crc64()
  private sha: Hash = createHash('sha256')
  // Chunks received after the `onDisk` bytes, written in one go (see `flush`).
  private batch: Uint8Array[] = []
  private batched = 0
  private total: number | undefined
  /** The sidecar the bytes being written call for, until it is on disk. */
  private due: { readonly sidecar: Sidecar | undefined } | undefined
  private threwAway = false
  /** The `.part` was opened so that each write is durable as it returns: no fsync at commit. */
  private durable = false

  private constructor(
    readonly dest: string,
    private onDisk: number,
    private sidecar: SidecarState,
    private readonly knownEtag: string | undefined,
  ) {
    this.part = `${dest}.part`
    this.sidecarFile = `${dest}.part.etag`
  }

  /** Looks at what an earlier attempt left: the `.part`'s size, and its sidecar when there are bytes to describe. */
  static async open(dest: string, options: OpenOptions = {}): Promise<PartFile> {
    if (options.fresh) return new PartFile(dest, 0, ABSENT, options.etag)
    const size = await sizeOf(`${dest}.part`)
    // Without a .part a sidecar describes nothing: a stale one is rewritten or removed later.
    const sidecar = size > 0 ? await readSidecar(`${dest}.part.etag`) : undefined
    return new PartFile(dest, size, sidecar ? { kind: 'says', sidecar } : UNKNOWN, options.etag)
  }

  /** Bytes in the `.part`, those received and not yet written included. */
  get size(): number {
    return this.onDisk + this.batched
  }

  /** The strong ETag the bytes belong to, for If-Range; undefined when there is nothing to resume safely. */
  get validator(): string | undefined {
    if (this.onDisk === 0) return undefined
    return strongEtag(this.sidecar.kind === 'says' ? this.sidecar.sidecar.etag : this.knownEtag)
  }

  /** Bytes an earlier attempt left were thrown away (another version, or nothing to resume them with). */
  get startedOver(): boolean {
    return this.threwAway
  }

  /** CRC-64 of every byte written or batched, the resumed prefix included. */
  get crc64(): string {
    return this.crc.digest()
  }

  /** Time to `flush`: the batch is as large as one write should be. */
  get batchFull(): boolean {
    return this.batched >= WRITE_BATCH
  }

  /**
   * A `.part` that already holds the whole object (the process died after the last byte, before
   * the rename): checked against the CRC-64 its sidecar recorded, and committed without a request.
   */
  async commitIfWhole(onChunk: () => void): Promise<(Committed & { etag: string }) | undefined> {
    const s = this.sidecar.kind === 'says' ? this.sidecar.sidecar : undefined
    if (!s?.crc64 || this.onDisk === 0 || s.size !== this.onDisk) return undefined
    try {
      await this.openAt(this.onDisk)
      const sha = createHash('sha256')
      const crc = await crcOfPrefix(this.handle(), this.onDisk, onChunk, sha)
      if (crc.digest() !== s.crc64) return undefined
      this.crc = crc
      this.sha = sha
      return { ...(await this.commit()), etag: s.etag }
    } catch (e) {
      if (!(e instanceof PartChanged)) throw e
      // Taken away while we looked: the whole object is asked for instead.
      await this.drop()
      return undefined
    } finally {
      await this.close()
    }
  }

  /** Continues after the bytes on disk (a 206): their CRC-64 is read back, since OSS checks the whole object. */
  async resume(version: ObjectVersion, onChunk: () => void): Promise<void> {
    await this.openAt(this.onDisk)
    this.expect(version)
    // The resumed bytes are on disk already: the sidecar must describe them now.
    await this.settleSidecar()
    // The prefix is read back once anyway for its CRC: its SHA-256 comes with it.
    this.sha = createHash('sha256')
    this.crc = await crcOfPrefix(this.handle(), this.onDisk, onChunk, this.sha)
  }

  /** Starts the `.part` over (a 200: the whole object follows). */
  async restart(version: ObjectVersion): Promise<void> {
    // A recording that fits one write (most do) is made durable by that write itself (O_DSYNC):
    // a file operation fewer than a write and an fsync, for the same guarantee before the rename.
    await this.openAt(0, WRITES_DURABLE && version.total !== undefined && version.total <= WRITE_BATCH)
    if (this.onDisk > 0) this.threwAway = true
    this.onDisk = 0
    this.crc = new Crc64()
    this.sha = createHash('sha256')
    this.expect(version)
  }

  /** Hot path: the CRC and a place in the batch; no copy and no file operation. */
  write(chunk: Uint8Array): void {
    this.crc.update(chunk)
    this.sha.update(chunk)
    this.batch.push(chunk)
    this.batched += chunk.length
  }

  /**
   * Writes the batch. The sidecar goes first when these bytes leave the `.part` incomplete, or
   * `keepForResume` says a later call will continue it; a body written whole in one go needs none,
   * so a small file costs no sidecar at all, two fewer file operations.
   */
  async flush(keepForResume = false): Promise<void> {
    if (this.batched === 0) return
    const whole = !keepForResume && this.total !== undefined && this.size === this.total
    try {
      if (!whole) await this.settleSidecar()
      await writeAllv(this.handle(), this.batch, this.onDisk)
    } catch (e) {
      throw localError(e, 'write', this.part)
    }
    this.onDisk += this.batched
    this.batch = []
    this.batched = 0
  }

  /**
   * Verified bytes become the final file: fsync, close, forget the sidecar, rename into place
   * (atomic: a reader sees the old file or the whole new one). The rename is durable once the
   * folder is synced, which is the caller's to do (syncFolder) before it records the file as
   * done: the export runner syncs each folder once per journal write, not once per file.
   */
  async commit(): Promise<Committed> {
    await this.flush()
    const fh = this.handle()
    this.fh = undefined
    await syncAndClose(fh, this.part, this.durable)
    // The sidecar goes first: a crash after this only costs a fresh download, never an orphan file.
    if (this.sidecar.kind !== 'absent') await removeIfPresent(this.sidecarFile)
    this.sidecar = ABSENT
    await guardDestination(this.dest)
    try {
      await renameOver(this.part, this.dest)
    } catch (e) {
      throw renameError(e, this.dest)
    }
    const done = { bytes: this.onDisk, crc64: this.crc.digest(), sha256: this.sha.digest('hex') }
    this.onDisk = 0
    return done
  }

  /** The file's first bytes (a resumed prefix's included), to tell a recording from a page. */
  async head(): Promise<Uint8Array> {
    await this.flush()
    const buf = Buffer.alloc(HEAD_BYTES)
    try {
      const { bytesRead } = await this.handle().read(buf, 0, HEAD_BYTES, 0)
      return buf.subarray(0, bytesRead)
    } catch (e) {
      throw localError(e, 'read', this.part)
    }
  }

  /** A `.part` that must never be resumed (corrupt, or another version): both files go. */
  async drop(): Promise<void> {
    await this.close()
    await removeIfPresent(this.sidecarFile)
    await removeIfPresent(this.part)
    if (this.onDisk > 0) this.threwAway = true
    this.sidecar = ABSENT
    this.onDisk = 0
    this.batch = []
    this.batched = 0
  }

  /** Lets go of the file, keeping what is on disk for a later resume. Safe to call twice. */
  async close(): Promise<void> {
    const fh = this.fh
    this.fh = undefined
    await fh?.close().catch(() => {})
  }

  /** Opens the `.part` cut to `keep` bytes; whether its writes are durable goes with the handle, never left from another. */
  private async openAt(keep: number, durable = false): Promise<void> {
    this.fh = await openPart(this.part, keep, durable)
    this.durable = durable
  }

  private handle(): FileHandle {
    if (!this.fh) throw new Error('the .part is not open')
    return this.fh
  }

  private expect(version: ObjectVersion): void {
    this.total = version.total
    const next = sidecarOf(version.etag, version.total, version.crc64)
    const current = this.sidecar
    const settled = current.kind === 'says' ? sameSidecar(current.sidecar, next) : current.kind === 'absent' && next === undefined
    this.due = settled ? undefined : { sidecar: next }
  }

  private async settleSidecar(): Promise<void> {
    if (!this.due) return
    const { sidecar } = this.due
    this.sidecar = UNKNOWN // until the write is known to have happened
    await writeSidecar(this.sidecarFile, sidecar)
    this.due = undefined
    this.sidecar = sidecar ? { kind: 'says', sidecar } : ABSENT
  }
}
