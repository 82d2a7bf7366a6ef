import type { FileEntry } from './export-table.ts'

/** A queued file, and its presigned URL once the pipeline fetched it early. */
export interface Waiting {
  readonly name: string
  readonly entry: FileEntry
  url?: Promise<string>
}

/** How a URL's API retries are counted: against the file job's tries, so its loop and the API's share one budget. */
export interface TryCounter {
  attempts?(): number
  onRetry(): void
}

/** Fetches one file's presigned URL under the export's API policy (rate, retries). */
export type UrlSource = (name: string, signal: AbortSignal, tries: TryCounter) => Promise<string>

/**
 * Overlaps API calls with transfers: while transfer slots stream, the presigned URLs of the files
 * waiting next in the queue are fetched, so a slot that frees up starts its transfer at once
 * instead of first waiting a round trip for DownloadRecording. Calls in flight, ahead or not,
 * stay within `budget()`, so an export-fatal reply still stops the export after at most that many
 * calls; and more are sent only after a success. The URLs are used seconds later (they live an hour).
 */
export class UrlPipeline {
  /** Files in the queue not yet started, oldest first (at most twice the concurrency). */
  private waiting: Waiting[] = []
  /** DownloadRecording calls under way, a transfer slot's own and those ahead. */
  private inFlight = 0

  constructor(
    private readonly source: UrlSource,
    private readonly budget: () => number,
  ) {}

  /** A file joins the queue; `ahead()` may fetch its URL before its turn. */
  enqueue(name: string, entry: FileEntry): Waiting {
    const waiting: Waiting = { name, entry }
    this.waiting.push(waiting)
    return waiting
  }

  /** The file's turn has come: its URL fetched ahead, if any (its outcome is the caller's now). */
  take(waiting: Waiting): Promise<string> | undefined {
    const at = this.waiting.indexOf(waiting)
    if (at >= 0) this.waiting.splice(at, 1)
    return waiting.url
  }

  /** A URL now: for a slot that had none ahead, or a renewal after OSS said the old one expired. */
  async resolve(name: string, entry: FileEntry, signal: AbortSignal, halted: () => boolean, tries?: TryCounter): Promise<string> {
    this.inFlight++
    let url: string
    try {
      // A retry is an attempt of the file's, ahead of its turn or not.
      url = await this.source(name, signal, tries ?? { onRetry: () => void entry.attempts++ })
    } finally {
      this.inFlight--
    }
    // Only after a success: a failure may stop the export, which must not have sent more calls.
    this.ahead(signal, halted)
    return url
  }

  clear(): void {
    this.waiting = []
  }

  /** Starts URL fetches for waiting files while the budget allows. */
  ahead(signal: AbortSignal, halted: () => boolean): void {
    const budget = this.budget()
    for (const waiting of this.waiting) {
      if (this.inFlight >= budget || signal.aborted || halted()) return
      if (waiting.url) continue
      const url = this.resolve(waiting.name, waiting.entry, signal, halted)
      // Its outcome, success or error, is taken by the file's job.
      url.catch(() => undefined)
      waiting.url = url
    }
  }
}
