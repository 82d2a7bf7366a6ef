import { setMaxListeners } from 'node:events'
import PQueue from 'p-queue'
import type { ErrorData } from '../../common/errors.ts'
import { isListingRow } from './listing-rows.ts'
import type { ExportTable } from './export-table.ts'
import { type FileJobContext, runFileJob } from './file-job.ts'
import type { StopRequest } from './state.ts'
import { drainRestores } from './restore-run.ts'
import type { UrlPipeline } from './url-pipeline.ts'

/** One run in progress: its abort, its queue, and how it was asked to end. */
export interface Run {
  readonly controller: AbortController
  readonly queue: PQueue
  stop?: StopRequest
  listingError?: ErrorData
  /** The listing is still adding names: the feed waits for them instead of ending. */
  listing: boolean
  wake?: () => void
  /** Failed files went back to the queue while this run was under way, behind its feed. */
  retried: boolean
}

export function newRun(concurrency: number): Run {
  const controller = new AbortController()
  // Every transfer and API call in flight listens to it: more than ten at --concurrency 11 and
  // up is the design, not a leak, and must not print MaxListenersExceededWarning. Not 0
  // ("unlimited"): Node 20's getMaxListeners then throws, and undici's fetch calls it.
  setMaxListeners(4096, controller.signal)
  return { controller, queue: new PQueue({ concurrency }), listing: false, retried: false }
}

/** Lets a feed that waits for the listing look again. */
export function wake(run: Run | undefined): void {
  const resolve = run?.wake
  if (run) run.wake = undefined
  resolve?.()
}

/**
 * Feeds the queue lazily, until every job it fed is done: a million queued closures would cost
 * more memory than the files' own state. One live iterator over the table, which sees names the listing appends; it is only asked
 * for more while more exist, because a Map iterator that once said "done" stays done.
 */
export async function feed(run: Run, table: ExportTable, urls: UrlPipeline, job: FileJobContext, concurrency: number): Promise<void> {
  for (;;) {
    await feedTable(run, table, urls, job, concurrency)
    await drainRestores(run, job)
    await run.queue.onIdle()
    // Files retried while the run went on were already behind its iterator: once every job of
    // this pass is done (so none is fed twice), another pass takes them in the same run.
    if (!run.retried || run.stop) return
    run.retried = false
  }
}

const UNSETTLED_ROW = 'a lookup a crash left unsettled: ask for the same contact IDs or range again to look it up'

async function feedTable(run: Run, table: ExportTable, urls: UrlPipeline, job: FileJobContext, concurrency: number): Promise<void> {
  const files = table.files.entries()
  let visited = 0
  while (!run.stop) {
    if (visited >= table.files.size) {
      if (!run.listing) return
      await new Promise<void>((resolve) => (run.wake = resolve))
      continue
    }
    const next = files.next()
    if (next.done) return
    visited++
    const [name, entry] = next.value
    // Left restoring by an earlier run: its restore is asked for again (without a transfer slot).
    if (entry.state === 'restoring' && job.restorer?.take(name, entry, true)) continue
    if (entry.state !== 'queued' && entry.state !== 'paused' && entry.state !== 'restoring') continue
    // A contact's or call's row is never a recording, even queued by a torn journal line or an
    // older build's retry: it is settled as skipped, saying how to have it looked up again.
    if (isListingRow(name)) {
      job.ledger.skip(name, UNSETTLED_ROW)
      continue
    }
    // Deep enough that the URL pipeline can fetch ahead of the transfers; shallow enough that a
    // million files are not a million closures.
    if (run.queue.size >= urls.depth) await run.queue.onSizeLessThan(Math.max(concurrency, urls.depth - concurrency))
    if (run.stop) return
    const waiting = urls.enqueue(name, entry)
    void run.queue.add(() => runFileJob(job, name, entry, urls.take(waiting)))
    urls.ahead(run.controller.signal, job.halted)
  }
}
