import { randomBytes } from 'node:crypto'
import { type FileHandle, mkdir, open, opendir, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { syncFolder } from './sync-folder.ts'
import { writeAll } from './write-all.ts'

/**
 * Files written whole or not at all (profiles, settings, schedules, the report, the manifest, a
 * rewritten journal): into a temp file in the same folder, synced, renamed over the old one, the
 * folder synced, so a reader (Excel, a resume, the other of app and CLI) or a crash sees the old
 * content or the new, never a mix. The temp name is the process's own, so the app and a
 * scheduled CLI writing the same file at once each rename a whole file. An export's report and
 * manifest are written in its state folder and renamed into the output folder (`tempDir`): a
 * temp file there would show in Explorer, which does not hide dot files, and one a crash left
 * behind would stay among the recordings, where nothing looks for it.
 */
export class AtomicWriter {
  private chunk = ''

  private constructor(
    readonly target: string,
    /** Where the text is until `commit`: readable once `finish` has run. */
    readonly temp: string,
    private readonly file: FileHandle,
  ) {}

  static async open(target: string, options: WriteOptions = {}): Promise<AtomicWriter> {
    const dir = options.tempDir ?? dirname(target)
    if (options.tempDir) await mkdir(dir, { recursive: true })
    const temp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
    return new AtomicWriter(target, temp, await open(temp, 'wx', options.mode ?? 0o666))
  }

  /**
   * Buffered in 64 KB pieces: one write per line would cost a system call per row, and a megabyte
   * string built line by line lives long enough to be promoted (a 100,000-row report lifted an
   * export's peak memory by 20 MB at its very end). A promise only when a piece goes to disk.
   */
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
    await renameOver(this.temp, this.target)
    await syncFolder(dirname(this.target))
  }

  /**
   * After a failure: the old file stays as it was and no temp file is left behind. Never throws:
   * the failure that led here (a full disk, which pauses the export) is the one to report.
   */
  async abandon(): Promise<void> {
    await this.file.close().catch(() => undefined)
    await rm(this.temp, { force: true }).catch(() => undefined)
  }

  private async flush(): Promise<void> {
    const text = this.chunk
    this.chunk = ''
    if (text) await writeAll(this.file, text)
  }
}

export interface WriteOptions {
  /** The new file's permissions (before the umask). */
  readonly mode?: number
  /** Where the temp file is written, on the same disk as `target` (its folder when absent). */
  readonly tempDir?: string
}

/** `lines` as the whole of `target`. */
export async function replaceFile(target: string, lines: Iterable<string>, options?: WriteOptions): Promise<void> {
  const writer = await AtomicWriter.open(target, options)
  try {
    for (const line of lines) {
      const flushed = writer.write(line)
      if (flushed) await flushed
    }
    await writer.finish()
    await writer.commit()
  } catch (e) {
    await writer.abandon()
    throw e
  }
}

/** `text` as the whole of `file`, readable by its owner only unless told otherwise (profiles, settings). */
export function writeFileAtomic(file: string, text: string, mode = 0o600): Promise<void> {
  return replaceFile(file, [text], { mode })
}

/** Whether `name` is the temp file an AtomicWriter makes for `target` (a crash can leave one). */
export function isTempOf(name: string, target: string): boolean {
  return name.startsWith(`.${target}.`) && /\.\d+\.[0-9a-f]{12}\.tmp$/.test(name)
}

/**
 * Removes from `dir` the temp files of `targets` that a crash left: only for a caller that alone
 * writes those targets now (an export holding its folder's lock), since a live writer's temp file
 * looks the same. Returns how many went.
 */
export async function removeTempsOf(dir: string, targets: readonly string[]): Promise<number> {
  let removed = 0
  for await (const entry of await opendir(dir)) {
    if (!entry.isFile() || !targets.some((t) => isTempOf(entry.name, t))) continue
    // One held open elsewhere (a Windows scanner) stays for next time; the others still go.
    if (await rm(join(dir, entry.name), { force: true }).then(() => true, () => false)) removed++
  }
  return removed
}

// Windows virus scanners and indexers hold a just-closed file for a moment: a rename over it then
// fails with EPERM/EACCES/EBUSY although nothing is wrong (the reason graceful-fs retries it).
const TRANSIENT_RENAME = new Set(['EPERM', 'EACCES', 'EBUSY'])

export async function renameOver(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to)
      return
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? ''
      if (process.platform !== 'win32' || !TRANSIENT_RENAME.has(code) || attempt >= 8) throw e
      await delay(20 * 2 ** attempt) // 20 ms … 2.5 s, about 5 s in all
    }
  }
}
