import { type FileHandle, open, rename, rm } from 'node:fs/promises'

/**
 * A file written whole or not at all: into `<target>.tmp` in the same folder, synced, then
 * renamed over the old one, so a reader (Excel, a resume) never sees half a file. Written in 64 KB
 * pieces: one write per line would cost a system call per row, and a megabyte string built line by
 * line lives long enough to be promoted (a 100,000-row report lifted an export's peak memory by
 * 20 MB at its very end).
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

  /** Buffers `text`; a promise only when a full piece goes to disk (no await per line otherwise). */
  write(text: string): Promise<void> | undefined {
    this.chunk += text
    return this.chunk.length >= 64 * 1024 ? this.flush() : undefined
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

  private async flush(): Promise<void> {
    const text = this.chunk
    this.chunk = ''
    if (text) await this.file.write(text)
  }
}

/** `lines` as the whole of `target`, through an AtomicWriter. */
export async function replaceFile(target: string, lines: Iterable<string>): Promise<void> {
  const writer = await AtomicWriter.open(target)
  try {
    for (const line of lines) await writer.write(line)
    await writer.finish()
  } catch (e) {
    await writer.abandon()
    throw e
  }
  await writer.commit()
}
