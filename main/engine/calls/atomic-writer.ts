import { type FileHandle, open, rename, rm } from 'node:fs/promises'

/**
 * A file written whole or not at all, fed piece by piece (the manifest of 100,000 rows is never
 * one string): into `<target>.tmp` in the same folder, synced, then renamed over the old one, as
 * `replaceFile` does for the report (export/replace-file.ts), which takes a synchronous list.
 */
export class AtomicWriter {
  private chunk = ''

  private constructor(
    readonly target: string,
    /** Where the text is until `commit`: readable once `finish` has run. */
    readonly temp: string,
    private readonly file: FileHandle,
  ) {}

  static async open(target: string): Promise<AtomicWriter> {
    const temp = `${target}.tmp`
    return new AtomicWriter(target, temp, await open(temp, 'w'))
  }

  /** Buffered in 64 KB pieces: one write call per line would cost a system call per row. */
  async write(text: string): Promise<void> {
    this.chunk += text
    if (this.chunk.length >= 64 * 1024) await this.flush()
  }

  private async flush(): Promise<void> {
    const text = this.chunk
    this.chunk = ''
    if (text) await this.file.write(text)
  }

  /** Synced and closed, not yet in place: `commit` renames, so two files can change together. */
  async finish(): Promise<void> {
    await this.flush()
    await this.file.sync()
    await this.file.close()
  }

  async commit(): Promise<void> {
    await rename(this.temp, this.target)
  }

  /** After a failure: the old file stays as it was and no temp file is left behind. */
  async abandon(): Promise<void> {
    await this.file.close().catch(() => undefined)
    await rm(this.temp, { force: true })
  }
}
