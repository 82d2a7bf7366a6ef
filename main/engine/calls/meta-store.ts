import { join } from 'node:path'
import type { ExportTable } from '../export/export-table.ts'
import { STATE_DIR } from '../export/journal.ts'
import { JournalWriter } from '../export/journal-writer.ts'
import type { RecordingMeta } from './call.ts'
import { DoneColumns } from './done-columns.ts'
import type { ManifestRow } from './manifest-row.ts'
import { OVERLONG_LINE, textLines } from './text-lines.ts'

/**
 * What is known of each recording's call, and how each was verified, in its own append-only file
 * beside the journal (`.ccc-recordings/meta.jsonl`), never compacted: replaying a million-file
 * journal does not parse it, and the manifest reads it back when it is written (issue 16: metadata
 * kept out of memory until needed). Its lines reach the disk before the journal lines that name
 * their files (the journal's beforeWrite flushes this first).
 */
export const META_FILE = 'meta.jsonl'

export interface DoneInfo {
  readonly sha256?: string
  /** ISO time of the verification. */
  readonly at: string
  /** 'crc64' | 'md5' | 'length' */
  readonly by?: string
}

export type MetaLine = { readonly n: string; readonly m: RecordingMeta } | { readonly n: string; readonly d: DoneInfo }

export class MetaStore {
  private constructor(private readonly writer: JournalWriter<MetaLine>) {
    // Its failures reach the export through the journal, which flushes this first: closing after
    // one (a full disk) must not throw a second time.
    writer.onFailure(() => undefined)
  }

  static async open(outDir: string): Promise<MetaStore> {
    return new MetaStore(await JournalWriter.open<MetaLine>(outDir, { file: META_FILE }))
  }

  recording(name: string, meta: RecordingMeta): void {
    this.writer.append({ n: name, m: meta })
  }

  done(name: string, info: DoneInfo): void {
    this.writer.append({ n: name, d: info })
  }

  flush(): Promise<void> {
    return this.writer.flush()
  }

  close(): Promise<void> {
    return this.writer.close()
  }
}

/** Every readable line of an export's metadata file, in order; damaged lines (a torn tail) are skipped. */
export async function* metaLines(outDir: string): AsyncGenerator<MetaLine> {
  let lines: AsyncGenerator<string>
  try {
    lines = textLines(join(outDir, STATE_DIR, META_FILE))
    for await (const line of lines) {
      if (line === '' || line === OVERLONG_LINE) continue
      let parsed: unknown
      try {
        parsed = JSON.parse(line)
      } catch {
        continue
      }
      if (isMetaLine(parsed)) yield parsed
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
  }
}

function isMetaLine(x: unknown): x is MetaLine {
  if (typeof x !== 'object' || x === null) return false
  const v = x as Record<string, unknown>
  if (typeof v.n !== 'string') return false
  if ('m' in v) return typeof v.m === 'object' && v.m !== null
  return typeof v.d === 'object' && v.d !== null && typeof (v.d as Record<string, unknown>).at === 'string'
}

/**
 * The manifest's rows: every verified file of the table, in the export's order, with what the
 * metadata file says of it. Reads that file once, keeping what it says of verified files by index
 * (`DoneColumns`; the calls' metadata as read, for the files that have it), and makes each row as
 * it is asked for: the rows can be walked again (the sidecars), and no array of them is built.
 */
export async function manifestRows(outDir: string, table: ExportTable): Promise<Iterable<ManifestRow>> {
  // The files verified when the metadata was read: the same rows however often they are walked.
  const size = table.files.size
  const done = new DoneColumns(size)
  const metas = new Map<number, RecordingMeta>()
  for await (const line of metaLines(outDir)) {
    const entry = table.files.get(line.n)
    if (entry?.state !== 'done' || entry.index >= size) continue
    if ('m' in line) metas.set(entry.index, line.m)
    else done.set(entry.index, line.d)
  }
  const verified = new Uint8Array(size)
  for (let i = 0; i < size; i++) if (table.files.at(i).state === 'done') verified[i] = 1
  return {
    *[Symbol.iterator]() {
      for (let i = 0; i < size; i++) {
        if (verified[i] === 0) continue
        const entry = table.files.at(i)
        const name = table.files.nameAt(i)
        const d = done.get(i)
        yield {
          localPath: entry.path ?? name,
          fileName: name,
          bytes: entry.bytes,
          ...(entry.crc64 ? { crc64: entry.crc64 } : {}),
          ...(d?.sha256 ? { sha256: d.sha256 } : {}),
          ...(d ? { downloadedAt: d.at } : {}),
          ...(d?.by ? { verifiedBy: d.by } : {}),
          meta: metas.get(i) ?? {},
        }
      }
    },
  }
}
