import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { CccError } from '../../common/errors.ts'
import { stateFrom } from '../export/export-status.ts'
import { folderInUse } from '../export/folder-lock.ts'
import { journalExists } from '../export/journal.ts'
import { type ChangeReason, checkFile } from './check-file.ts'
import { folderFiles } from './folder-walk.ts'
import { type LastVerified, recordVerified } from './last-verified.ts'
import { MANIFEST_JSONL, type ManifestRow, parseManifestLine, sidecarPath } from './manifest-row.ts'
import { JournalView } from './journal-view.ts'
import { textLines } from './text-lines.ts'

/** Files reread at once: enough to keep a disk busy, few enough not to thrash a spinning one. */
export const VERIFY_CONCURRENCY = 4
/** Problems kept in the result; every one still goes to `onProblem`. */
export const PROBLEMS_KEPT = 1000

export type VerifyProblem =
  | { readonly kind: 'missing'; readonly path: string }
  | { readonly kind: 'changed'; readonly path: string; readonly why: ChangeReason; readonly detail?: string }
  | { readonly kind: 'unexpected'; readonly path: string }
  /**
   * Where the export puts one of its files, not yet recorded as verified: the process stopped in
   * between, or (`running`) the export is running and has not recorded it yet.
   */
  | { readonly kind: 'unrecorded'; readonly path: string; readonly running?: true }
  /** A line of manifest.jsonl that is not a record of ours (edited, cut short, a path outside the folder). */
  | { readonly kind: 'damaged'; readonly line: number }

export interface VerifyProgress {
  readonly files: number
  readonly bytes: number
}

export interface VerifyOptions {
  onProgress?(p: VerifyProgress): void
  /** Each problem as it is found, in no fixed order: what lets a caller list all of them in bounded memory. */
  onProblem?(p: VerifyProblem): void
  readonly signal?: AbortSignal
  /** Write `.ccc-recordings/verified.json` (default true). */
  readonly record?: boolean
}

export interface VerifyResult extends Omit<LastVerified, 'unrecorded'> {
  /** Files of the export's own that it had not recorded as verified when it stopped: `resume` checks them. */
  readonly unrecorded: number
  readonly outDir: string
  /** Bytes reread. */
  readonly bytes: number
  readonly matched: number
  readonly damagedLines: number
  /** Rows with neither SHA-256 nor CRC-64 (none written by this version): matched by size alone. */
  readonly sizeOnly: number
  /**
   * Files the export's journal calls verified that the manifest does not list: downloaded after
   * the manifest was last written (it is written when an export pauses or ends, so a crash or a
   * power cut leaves it behind). Checked against the journal's record; resume rewrites the manifest.
   */
  readonly sinceManifest: number
  /** The folder had a manifest.jsonl (without one, every file was checked against the journal). */
  readonly manifest: boolean
  /** The folder holds its export's journal: without one (a copy of the recordings and manifest), `resume` has nothing to continue. */
  readonly journal: boolean
  /** The first PROBLEMS_KEPT problems; the counts above are complete. */
  readonly problems: readonly VerifyProblem[]
  /** Why verified.json could not be written (a read-only archive can still be verified). */
  readonly recordError?: string
  /** The export was running as this read: what it had not recorded or put in the manifest yet is its work in hand, not a stop's. */
  readonly exportRunning?: true
  /** Recordings a stopped export has still to download: not in the folder to check, and not a problem of it. */
  readonly toDo?: number
  /** A stopped export's listing had not reached its end: calls it has not seen are not in the folder either. */
  readonly listingUnfinished?: true
}

interface Tally {
  files: number
  bytes: number
  matched: number
  sizeOnly: number
  sinceManifest: number
  unrecorded: number
  missing: number
  changed: number
  unexpected: number
  damagedLines: number
  problems: VerifyProblem[]
}

/**
 * `verify <dir>` (issue 13 item 5): every file manifest.jsonl lists is reread and its size and
 * SHA-256 compared, then every file the journal calls verified that the manifest does not list
 * yet (an export that stopped without rewriting it); then the folder is walked for files neither
 * lists. The manifest is streamed and files are checked VERIFY_CONCURRENCY at a time, so memory
 * does not grow with the number of files, except for the set of listed paths the walk for
 * unexpected files needs (about 100 bytes a file: 10 MB for 100,000) and, with a journal, its
 * replayed table (about 150 bytes a file).
 */
export async function verifyFolder(outDir: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  const manifest = join(outDir, MANIFEST_JSONL)
  const hasManifest = (await stat(manifest).catch(() => undefined))?.isFile() === true
  const hasJournal = await journalExists(outDir)
  if (!hasManifest && !hasJournal) {
    throw new CccError({ code: 'Export.NotFound', message: `${outDir}: no ${MANIFEST_JSONL} and no export journal here, so nothing to verify against` })
  }
  const t: Tally = { files: 0, bytes: 0, matched: 0, sizeOnly: 0, sinceManifest: 0, unrecorded: 0, missing: 0, changed: 0, unexpected: 0, damagedLines: 0, problems: [] }
  const found = (p: VerifyProblem): void => {
    if (t.problems.length < PROBLEMS_KEPT) t.problems.push(p)
    options.onProblem?.(p)
  }
  const listed = new Set<string>()
  const check = async (rows: AsyncIterator<ManifestRow>): Promise<void> => {
    const worker = async (): Promise<void> => {
      for (let next = await rows.next(); !next.done; next = await rows.next()) {
        options.signal?.throwIfAborted()
        await checkOne(outDir, next.value, t, found, options)
      }
    }
    await Promise.all(Array.from({ length: VERIFY_CONCURRENCY }, worker))
  }
  if (hasManifest) {
    await check(
      listedRows(manifest, listed, (line) => {
        t.damagedLines++
        found({ kind: 'damaged', line })
      }),
    )
  }
  const journal = hasJournal ? await JournalView.read(outDir) : undefined
  // A live lock alone is no run: the app holds an export it shows, idle, the same way.
  const running = journal !== undefined && stateFrom(journal.lastState, await folderInUse(outDir)).state === 'running'
  if (journal) await check(unlistedRows(await journal.verifiedRows(outDir), listed, () => t.sinceManifest++))
  for await (const path of folderFiles(outDir)) {
    options.signal?.throwIfAborted()
    if (listed.has(path.normalize('NFC')) || isSidecarOf(path, listed)) continue
    if (journal?.isPending(path)) {
      t.unrecorded++
      found({ kind: 'unrecorded', path, ...(running ? { running: true as const } : {}) })
    } else {
      t.unexpected++
      found({ kind: 'unexpected', path })
    }
  }
  // The unrecorded files are some of the rows still to do: on disk, and named above.
  const toDo = !running && journal ? Math.max(0, journal.toDo - t.unrecorded) : 0
  const unlisted = !running && journal?.listingUnfinished === true
  const result = { ...(await finish(outDir, t, hasManifest, options, running)), journal: hasJournal, ...(toDo > 0 ? { toDo } : {}), ...(unlisted ? { listingUnfinished: true as const } : {}) }
  return running ? { ...result, exportRunning: true } : result
}

async function checkOne(outDir: string, row: ManifestRow, t: Tally, found: (p: VerifyProblem) => void, options: VerifyOptions): Promise<void> {
  const check = await checkFile(join(outDir, row.localPath), row, options.signal)
  t.files++
  if (check.outcome === 'match') {
    t.matched++
    t.bytes += check.bytes
    if (check.by === 'size') t.sizeOnly++
  } else if (check.outcome === 'missing') {
    t.missing++
    found({ kind: 'missing', path: row.localPath })
  } else {
    t.changed++
    t.bytes += check.bytes ?? 0
    found({ kind: 'changed', path: row.localPath, why: check.why, ...(check.detail ? { detail: check.detail } : {}) })
  }
  options.onProgress?.({ files: t.files, bytes: t.bytes })
}

const sidecarSuffix = '.json'

/** `<recording>.json` of a listed recording is ours; a cut-short one (a very long name) is in `listed` itself. */
function isSidecarOf(path: string, listed: ReadonlySet<string>): boolean {
  return path.endsWith(sidecarSuffix) && listed.has(path.slice(0, -sidecarSuffix.length).normalize('NFC'))
}

/** A path the manifest may name: inside the folder, relative, with `/`. */
function safeRelative(path: string): boolean {
  if (path.startsWith('/') || path.includes('\\') || /^[A-Za-z]:/.test(path) || path.includes('\0')) return false
  return path.split('/').every((part) => part !== '' && part !== '.' && part !== '..')
}

/** The manifest's records, each path also noted in `listed` (NFC: macOS may hand names back decomposed). */
async function* listedRows(manifest: string, listed: Set<string>, damaged: (line: number) => void): AsyncGenerator<ManifestRow> {
  let line = 0
  for await (const text of textLines(manifest)) {
    line++
    const row = parseManifestLine(text)
    if (!row || !safeRelative(row.localPath)) {
      damaged(line)
      continue
    }
    note(listed, row.localPath)
    yield row
  }
}

/** What the journal records as verified and the manifest does not list: checked by the same rule. */
async function* unlistedRows(verified: Iterable<ManifestRow>, listed: Set<string>, counted: () => void): AsyncGenerator<ManifestRow> {
  for (const row of verified) {
    if (!safeRelative(row.localPath) || listed.has(row.localPath.normalize('NFC'))) continue
    note(listed, row.localPath)
    counted()
    yield row
  }
}

function note(listed: Set<string>, localPath: string): void {
  const path = localPath.normalize('NFC')
  listed.add(path)
  const sidecar = sidecarPath(path)
  if (sidecar !== `${path}${sidecarSuffix}`) listed.add(sidecar)
}

/**
 * `running`: the export is writing as we look, so its files not recorded yet are in flight, not a
 * problem of the folder: they neither fail the check nor stay in its record for `status` to show.
 */
async function finish(outDir: string, t: Tally, manifest: boolean, options: VerifyOptions, running: boolean): Promise<Omit<VerifyResult, 'journal'>> {
  const ok = t.missing === 0 && t.changed === 0 && t.unexpected === 0 && (running || t.unrecorded === 0) && t.damagedLines === 0
  const outcome: LastVerified = {
    at: new Date().toISOString(),
    ok,
    files: t.files,
    missing: t.missing,
    changed: t.changed,
    unexpected: t.unexpected,
    ...(t.unrecorded > 0 && !running ? { unrecorded: t.unrecorded } : {}),
  }
  let recordError: string | undefined
  if (options.record !== false) {
    try {
      await recordVerified(outDir, outcome)
    } catch (e) {
      recordError = e instanceof Error ? e.message : String(e)
    }
  }
  const { bytes, matched, damagedLines, sizeOnly, sinceManifest, unrecorded, problems } = t
  return { ...outcome, outDir, manifest, bytes, matched, damagedLines, sizeOnly, sinceManifest, unrecorded, problems, ...(recordError ? { recordError } : {}) }
}
