import { resolve } from 'node:path'
import { formatBytes } from '../common/format.ts'
import { terminalSafe } from '../common/terminal-text.ts'
import { MANIFEST_JSONL } from '../engine/calls/manifest-row.ts'
import { verifyFolder, type VerifyProblem, type VerifyProgress, type VerifyResult } from '../engine/calls/verify-folder.ts'
import { parse } from './args.ts'
import { quoteArg } from './summary.ts'
import { EXIT, interruptedBy } from './exit-codes.ts'
import type { CliIo } from './io.ts'

export const VERIFY_USAGE = 'ccc-recordings verify <dir> [--json]'

const WHY: Record<string, string> = {
  size: 'size differs',
  sha256: 'SHA-256 differs',
  crc64: 'CRC-64 differs',
  'not-a-file': 'not a regular file',
  unreadable: 'cannot be read',
}

/** One line per problem; each path is one field, so a line feed in a file name cannot forge a line. */
export function problemLine(p: VerifyProblem): string {
  switch (p.kind) {
    case 'missing':
      return `missing     ${terminalSafe(p.path)}`
    case 'unexpected':
      return `unexpected  ${terminalSafe(p.path)}`
    case 'unrecorded':
      return p.running
        ? `unrecorded  ${terminalSafe(p.path)} (the running export has not recorded it as verified yet)`
        : `unrecorded  ${terminalSafe(p.path)} (the export stopped before recording it as verified: resume checks it)`
    case 'changed':
      return `changed     ${terminalSafe(p.path)} (${WHY[p.why] ?? p.why}${p.detail ? `: ${terminalSafe(p.detail)}` : ''})`
    case 'damaged':
      return `damaged     ${MANIFEST_JSONL} line ${p.line} is not a manifest record`
  }
}

export function verifySummary(r: VerifyResult): string {
  // Plain numbers, as in the counts beside it and in status: "35,016 files … 35012 match" read as two kinds.
  const head = `Verified ${r.files === 1 ? '1 file' : `${r.files} files`} (${formatBytes(r.bytes)}) in ${terminalSafe(r.outDir)} against ${r.manifest ? MANIFEST_JSONL : "the export's journal"}`
  const inFlight = r.exportRunning && r.unrecorded > 0 ? `; ${r.unrecorded} being written by the running export, checked when it records them` : ''
  if (r.ok) return `${head}: all match${inFlight}.`
  const parts = [`${r.matched} match`, `${r.changed} changed`, `${r.missing} missing`, `${r.unexpected} unexpected`]
  if (r.unrecorded > 0 && !r.exportRunning) parts.push(`${r.unrecorded} not yet recorded as verified`)
  if (r.damagedLines > 0) parts.push(`${r.damagedLines} damaged manifest lines`)
  return `${head}: ${parts.join(', ')}${inFlight}.`
}

/**
 * Why some files were checked against the journal: the export stopped before it rewrote its
 * manifest, or before it wrote one at all.
 */
export function sinceManifestNote(n: number, hadManifest: boolean, running = false): string {
  const files = n === 1 ? '1 file was' : `${n.toLocaleString('en-US')} files were`
  const since = hadManifest ? `after ${MANIFEST_JSONL} was last written` : `before the export wrote its first ${MANIFEST_JSONL}`
  // A running export writes its manifest when it ends: nothing stopped it.
  if (running) return `${files} downloaded ${since} and checked against the export's journal: the export is running, and writes its manifest when it ends.`
  const why = hadManifest ? '(the export stopped before it could rewrite it)' : '(it stopped before it could)'
  return `${files} downloaded ${since} ${why} and checked against the export's journal. Resume the export to bring the manifest up to date.`
}

/**
 * How to get CCC's copy back. A changed file is never replaced by itself: it may be what an audit
 * has to see. Moved aside or deleted, the next resume finds it missing and downloads it again.
 */
export function repairNote(r: Pick<VerifyResult, 'missing' | 'changed' | 'exportRunning' | 'journal'>, dir: string): string | undefined {
  if (r.exportRunning || r.missing + r.changed === 0) return undefined
  // A copy of the recordings and their manifest, without .ccc-recordings: no export here to resume.
  if (!r.journal) return `This folder has no export journal (a copy of an archive?), so resume has nothing to continue: run the same download (its list, contact IDs or range) into ${quoteArg(dir)}; the files that are there and match are taken, not downloaded again`
  const resume = `ccc-recordings resume ${quoteArg(dir)}`
  if (r.changed === 0) return `To download the missing files again: ${resume}`
  // resume's own check is the size: a changed file of another size is downloaded over, one of the same size is not seen.
  return `To download CCC's copy of a changed file again, move it aside or delete it (copy it elsewhere first if it may be evidence: resume downloads over a changed file of another size), then: ${resume}${r.missing > 0 ? ' (which downloads the missing files again too)' : ''}`
}

/**
 * Rereads every file the folder's manifest lists and compares size and SHA-256 (issue 13 item 5):
 * exit 0 when all match, 3 when any is missing, changed or unexpected, 2 when there is neither manifest nor journal.
 * Problems are printed as they are found, so none has to be held; `--json` holds them for its one
 * object (memory then grows with the problems, not with the files).
 */
export async function verifyCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } } as const, { min: 1, max: 1, usage: VERIFY_USAGE })
  const outDir = resolve(io.cwd, positionals[0]!)
  const json = values.json === true
  const all: VerifyProblem[] = []
  const progress = progressDrawer(io)
  const controller = new AbortController()
  let signal: NodeJS.Signals | undefined
  const stopListening = io.onInterrupt((s) => {
    signal ??= s
    controller.abort()
  })
  let result: VerifyResult
  try {
    result = await verifyFolder(outDir, {
      signal: controller.signal,
      onProgress: progress.update,
      onProblem: (p) => (json ? all.push(p) : io.stdout.write(`${problemLine(p)}\n`)),
    })
  } catch (e) {
    if (!controller.signal.aborted) throw e
    progress.end()
    io.stderr.write('Verify interrupted; nothing was changed. Run it again to check the whole folder.\n')
    return interruptedBy(signal)
  } finally {
    stopListening()
    progress.end()
  }
  if (result.recordError) io.stderr.write(`warn: could not record the outcome in .ccc-recordings: ${terminalSafe(result.recordError)}\n`)
  if (json) io.stdout.write(`${JSON.stringify({ ...result, problems: all })}\n`)
  else {
    io.stdout.write(`${verifySummary(result)}\n`)
    if (result.sinceManifest > 0) io.stdout.write(`${sinceManifestNote(result.sinceManifest, result.manifest, result.exportRunning === true)}\n`)
    const unfinished = unfinishedNote(result, positionals[0]!)
    if (unfinished) io.stdout.write(`${unfinished}\n`)
    const repair = repairNote(result, positionals[0]!)
    if (repair) io.stdout.write(`${repair}\n`)
  }
  return result.ok ? EXIT.ok : EXIT.someFailed
}

/** On a terminal, a redrawn line of files and bytes checked, at most ten times a second. */
function progressDrawer(io: CliIo, now: () => number = Date.now): { update: (p: VerifyProgress) => void; end: () => void } {
  const line = io.stderr.isTTY ? io.stderr.statusLine : undefined
  let last = Number.NEGATIVE_INFINITY
  let drawn = false
  return {
    update: (p) => {
      if (!line || now() - last < 100) return
      last = now()
      drawn = true
      line.draw(`Verifying: ${p.files.toLocaleString('en-US')} files, ${formatBytes(p.bytes)} checked`)
    },
    end: () => {
      if (drawn) line?.end()
      drawn = false
    },
  }
}

/** A stopped export's folder is not the whole archive yet: what it has still to download or list, which verify cannot check. */
export function unfinishedNote(r: Pick<VerifyResult, 'toDo' | 'listingUnfinished'>, dir: string): string | undefined {
  if (!r.toDo && !r.listingUnfinished) return undefined
  const files = r.toDo ? `${r.toDo === 1 ? '1 recording is' : `${r.toDo.toLocaleString('en-US')} recordings are`} still to download` : ''
  const listing = r.listingUnfinished ? 'its listing stopped before it saw every call' : ''
  return `The export is not finished: ${[files, listing].filter(Boolean).join(', and ')}, which verify cannot check yet (ccc-recordings resume ${quoteArg(dir)} continues it).`
}
