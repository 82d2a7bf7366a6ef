import { rm } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { CccError } from '../../common/errors.ts'
import type { Layout } from '../../common/export-options.ts'
import type { JobKind } from '../../common/job.ts'
import { folderFiles } from '../calls/folder-walk.ts'
import type { Clock } from '../clock.ts'
import type { ArchiveRestorer } from './archive-restore.ts'
import { downloadObject } from '../download/fetch-object.ts'
import { fileInTheWay, removeIfPresent } from '../download/part-io.ts'
import { probeExisting } from '../download/verify-existing.ts'
import { toCccError } from '../errno.ts'
import type { Logger } from '../log.ts'
import { exportNames, localPathOf } from '../naming/export-names.ts'
import type { BackoffPolicy } from './backoff.ts'
import type { BandwidthLimit } from './bandwidth.ts'
import { decide } from './decide.ts'
import type { FileEntry } from './export-table.ts'
import { journalExists } from './journal.ts'
import type { Ledger } from './ledger.ts'
import type { NetworkGate } from './network-gate.ts'
import type { StopRequest } from './state.ts'
import type { UrlPipeline } from './url-pipeline.ts'

/** What every file's job of one run shares. */
export interface FileJobContext {
  readonly outDir: string
  readonly layout: Layout
  readonly ledger: Ledger
  readonly urls: UrlPipeline
  readonly fetch: typeof fetch
  readonly clock: Clock
  readonly log: Logger
  readonly backoff: BackoffPolicy | undefined
  readonly bandwidth: BandwidthLimit
  /** The folder was empty when the export opened (see OpenedExport.freshFolder). */
  readonly freshFolder: boolean
  readonly signal: AbortSignal
  /** Waits out a dead network without spending the file's attempts. */
  readonly network: NetworkGate
  /** A CCC 2.0 export's restorer of archived recordings (restore-run.ts); none for 1.0. */
  readonly restorer?: ArchiveRestorer | undefined
  /** The run is being stopped: no more API calls ahead. */
  halted(): boolean
  stop(request: StopRequest): void
}

/** One try's outcome: a file in place, or the error to decide on. */
type Outcome = { ok: true } | { ok: false; error: unknown }

/**
 * One recording, start to finish: resolve its URL → transfer into `.part` → finish (verified,
 * renamed, journalled) or fail; retries as `decide` says. Never throws: every outcome is recorded.
 */
export async function runFileJob(ctx: FileJobContext, name: string, entry: FileEntry, ahead: Promise<string> | undefined): Promise<void> {
  let dest: string
  try {
    dest = localPathOf(ctx.outDir, ctx.ledger.table, ctx.layout, name, entry)
  } catch (e) {
    ctx.ledger.fail(name, entry, toCccError(e).toData())
    return
  }
  // Tries of this run, API retries included, so one budget covers both loops.
  const tries = { n: 0 }
  // Bytes mean a .part from an earlier try (a requeued failure keeps them).
  let untouched = ctx.freshFolder && entry.attempts === 0 && entry.bytes === 0
  for (;;) {
    tries.n++
    const attemptsBefore = entry.attempts++
    const outcome = await attempt(ctx, name, entry, dest, { fresh: untouched, ahead, tries })
    untouched = false
    ahead = undefined
    if (outcome.ok) return ctx.network.succeeded()
    if (ctx.signal.aborted) return ctx.ledger.park(entry)
    const error = await folderStillThere(ctx.outDir, toCccError(outcome.error))
    // In archive storage: not a failure where it can be restored; the job's slot is freed meanwhile.
    if (error.code === 'Oss.Archived' && ctx.restorer?.take(name, entry)) return
    const waited = await waitForNetwork(ctx, error)
    if (waited === 'again') {
      // An outage is not the file's fault: it starts over with its whole budget.
      tries.n = 0
      entry.attempts = attemptsBefore
      continue
    }
    if (!(await afterFailure(ctx, name, entry, dest, waited ?? error, tries.n))) return
  }
}

/**
 * A file removed under the export is retried, but not when its whole output folder went (deleted,
 * a drive unplugged, a file now in its place): a retry would make the folders again without the
 * journal, and an export that remembers nothing would seem to finish; nor would failing every
 * recording one by one help. That stops the export, as before.
 */
async function folderStillThere(outDir: string, error: CccError): Promise<CccError> {
  if ((error.code !== 'Local.FileVanished' && error.code !== 'Local.FileInTheWay') || (await journalExists(outDir))) return error
  return new CccError({ code: 'Local.WriteFailed', message: `${outDir}: the output folder, or its .ccc-recordings, was removed while the export ran`, cause: error })
}

/**
 * A network-level failure while the network is down waits at the gate ('again': try once more,
 * nothing spent), or ends in the gate's own error (it gave up). Undefined: decide on the error as usual.
 */
async function waitForNetwork(ctx: FileJobContext, error: CccError): Promise<'again' | CccError | undefined> {
  try {
    return (await ctx.network.afterError(error, ctx.signal)) ? 'again' : undefined
  } catch (e) {
    return ctx.signal.aborted ? error : toCccError(e)
  }
}

async function attempt(
  ctx: FileJobContext,
  name: string,
  entry: FileEntry,
  dest: string,
  t: { fresh: boolean; ahead: Promise<string> | undefined; tries: { n: number } },
): Promise<Outcome> {
  const tries = {
    attempts: () => t.tries.n,
    onRetry: () => {
      t.tries.n++
      entry.attempts++
    },
  }
  const resolve = () => ctx.urls.resolve(name, entry, ctx.signal, ctx.halted, tries)
  try {
    ctx.ledger.mark(entry, 'resolving')
    const url = await (t.ahead ?? resolve())
    const held = ctx.clock.now()
    // A file there is looked at unless the export knows it for its own (a .part of it, or a file
    // it wrote and found changed since): identical, it is taken; shown to be another, it stays.
    const existing = !t.fresh && (entry.bytes === 0 || !entry.wrote) ? await probeExisting(url, dest, ctx.fetch, ctx.signal) : undefined
    if (existing?.kind === 'same' && entry.bytes === 0) {
      ctx.log.info(`${name}: already on disk and identical, not downloaded again`)
      finish(ctx, name, entry, dest, existing)
      ctx.urls.served(ctx.clock.now() - held)
      return { ok: true }
    }
    // Not the recording, and not one the export wrote there (and found changed since): a user's own.
    if (existing?.kind === 'different' && !entry.wrote) throw fileInTheWay(dest)
    ctx.ledger.mark(entry, 'downloading')
    const result = await downloadObject({
      url,
      dest,
      fetch: ctx.fetch,
      signal: ctx.signal,
      renewUrl: resolve,
      fresh: t.fresh,
      onProgress: (_chunk: number, bytesInPart: number) => ctx.ledger.partBytes(entry, bytesInPart),
      throttle: (bytes: number) => ctx.bandwidth.take(bytes, ctx.signal),
    })
    finish(ctx, name, entry, dest, result)
    ctx.urls.served(ctx.clock.now() - held)
    return { ok: true }
  } catch (error) {
    return { ok: false, error }
  }
}

/** Codes that say CCC no longer has the recording: a `.part` of it can never be finished. */
const GONE: ReadonlySet<string> = new Set(['NotExist.Record'])

/** The `.part` (and its sidecar) of a recording CCC deleted goes, rather than stay on the disk for good. Best effort. */
async function dropPart(ctx: FileJobContext, entry: FileEntry, dest: string): Promise<void> {
  for (const file of [`${dest}.part.etag`, `${dest}.part`]) await removeIfPresent(file).catch(() => undefined)
  ctx.ledger.partBytes(entry, 0)
}

/** Acts on a failed try; true to try again (after the backoff has been waited out). */
async function afterFailure(ctx: FileJobContext, name: string, entry: FileEntry, dest: string, error: CccError, tries: number): Promise<boolean> {
  const decision = decide(error, tries, ctx.backoff ? { backoff: ctx.backoff } : {})
  switch (decision.kind) {
    case 'stop':
      // The summary says it once; in-flight files that hit the same code say nothing more.
      ctx.log.debug(`${name}: ${error.code}: ${error.message}; stopping the export`)
      ctx.ledger.park(entry)
      ctx.stop({ kind: 'stopped', reason: error.toData() })
      return false
    case 'pause':
      ctx.log.warn(`${name}: ${error.code}: ${error.message}; pausing the export`)
      ctx.ledger.park(entry)
      ctx.stop({ kind: 'paused', reason: error.toData() })
      return false
    case 'fail':
      ctx.log.warn(`${name}: ${error.code}: ${error.message}`)
      if (GONE.has(error.code)) await dropPart(ctx, entry, dest)
      ctx.ledger.fail(name, entry, error.toData())
      return false
    case 'retry':
      ctx.log.debug(`${name}: ${error.code} (attempt ${tries}), retrying`)
      try {
        await ctx.clock.sleep(decision.delayMs, ctx.signal)
        return true
      } catch {
        ctx.ledger.park(entry)
        return false
      }
  }
}

function finish(ctx: FileJobContext, name: string, entry: FileEntry, dest: string, file: { bytes: number; crc64: string; sha256: string; verifiedBy?: string }): void {
  const path = relative(ctx.outDir, dest).split(sep).join('/')
  // A file found already in place was proven by the whole object's CRC-64.
  ctx.ledger.done(name, entry, { dest, path, bytes: file.bytes, crc64: file.crc64, sha256: file.sha256, verifiedBy: file.verifiedBy ?? 'crc64', at: ctx.clock.now() })
}

/**
 * Cancel keeps verified files; the `.part` files (and sidecars) of unfinished ones go. Found by
 * walking the folder, not by the table: an export reopened from its journal (a paused one, after
 * a restart) does not know which files an earlier process began. Only those of the export's own
 * files go: the folder may hold other `.part` files (a browser's, in a Downloads folder).
 */
export async function removeParts(outDir: string, ledger: Ledger, layout: Layout): Promise<void> {
  const names = exportNames(ledger.table, layout)
  // Where the disk ignores case, a file goes into the folder first made in another case (Sales/ for sales/).
  const folded = process.platform === 'win32' || process.platform === 'darwin'
  for await (const path of folderFiles(outDir, 'partial')) {
    const file = path.endsWith(ETAG_SUFFIX) ? path.slice(0, -ETAG_SUFFIX.length) : path.slice(0, -PART_SUFFIX.length)
    if ((await names.ownerOf(file, folded)) !== undefined) await rm(join(outDir, path), { force: true })
  }
  for (const [, entry] of ledger.table.files) {
    if (entry.state === 'done') continue
    if (entry.bytes > 0) ledger.partBytes(entry, 0)
    // Only a file caught in flight goes back to the queue: a failed or skipped one keeps its
    // outcome, which the report written on cancel and the journal both still say.
    if (IN_FLIGHT.has(entry.state)) ledger.mark(entry, 'queued')
  }
}

const PART_SUFFIX = '.part'
const ETAG_SUFFIX = '.part.etag'

const IN_FLIGHT: ReadonlySet<JobKind> = new Set(['resolving', 'downloading', 'paused'])
