import type { Clock } from '../clock.ts'
import type { FileEntry } from './export-table.ts'

/** A queued file, and its presigned URL once the pipeline fetched it early. */
export interface Waiting {
  readonly name: string
  readonly entry: FileEntry
  url?: Promise<string>
  /** When its URL arrived (ms), to drop one that would expire before use. */
  readyAt?: number
}

/** How a URL's API retries are counted: against the file job's tries, so its loop and the API's share one budget. */
export interface TryCounter {
  attempts?(): number
  onRetry(): void
}

/** Fetches one file's presigned URL under the export's API policy (rate, retries). */
export type UrlSource = (name: string, signal: AbortSignal, tries: TryCounter) => Promise<string>

export interface UrlPipelineOptions {
  /** DownloadRecording calls in flight at most, whatever the need (128). */
  readonly maxInFlight?: number
  /** A URL older than this is fetched again rather than used (presigned URLs live an hour, ccc-api.md §3). */
  readonly maxUrlAgeMs?: number
}

// Little's law at a gateway 100 ms away, with transfers taking 770 files a second on loopback,
// asks for about 96 calls in flight (a quarter to spare); a cap of 64 held the API to 640 URLs a
// second and ours at 100 ms 0.13 s behind (docs/performance.md). Throttling still lowers the rate.
const DEFAULT_MAX_IN_FLIGHT = 128
const DEFAULT_MAX_URL_AGE_MS = 50 * 60 * 1000

/**
 * Presigned URLs fetched ahead of the transfers that need them (issue 16). How many calls are in
 * flight follows Little's law, rate × round trip, and grows when its symptom shows: each time a
 * transfer slot frees up and its file has no URL yet, the calls allowed in flight grow to the
 * transfers' pace times a call's round trip (a quarter to spare), or by one when that is no more,
 * up to a cap. The pace is what the slots would take if fed: the slots over the time one takes to
 * serve a file once it holds the URL. The gaps between slots starting measured the API's pace
 * instead, for as long as the slots starved: at 100 ms the calls in flight took 1.7 s to grow
 * from 8 to the 50 they needed. What is fetched ahead stays within a window of the files waiting
 * next, so nothing is fetched long before its use. The first calls go one, then two, then four
 * at a time (slow start), and a slot waiting then says nothing of the need: an export-fatal reply
 * (wrong instance, bad key) stops the export after a handful of calls.
 */
export class UrlPipeline {
  /** Files in the queue not yet started, oldest first. */
  private waiting: Waiting[] = []
  /** DownloadRecording calls under way, a transfer slot's own and those ahead. */
  private inFlight = 0
  private successes = 0
  /** Calls in flight the transfers have shown they need; grows on each starved slot. */
  private target: number
  private readonly maxInFlight: number
  /** Little's law's terms (ms): a call's round trip, and how long a slot takes to serve a file with its URL in hand. */
  private readonly roundTrip = new RunningMean(8)
  private readonly serviceTime = new RunningMean(32)
  private readonly maxUrlAgeMs: number

  constructor(
    private readonly source: UrlSource,
    private readonly concurrency: () => number,
    private readonly clock: Clock,
    options: UrlPipelineOptions = {},
  ) {
    this.maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT
    this.maxUrlAgeMs = options.maxUrlAgeMs ?? DEFAULT_MAX_URL_AGE_MS
    this.target = concurrency()
  }

  /** How many files the feed should keep waiting: enough for the calls ahead, and a slot's worth more. */
  get depth(): number {
    return 2 * this.concurrency() + this.target
  }

  /** A file joins the queue; `ahead()` may fetch its URL before its turn. */
  enqueue(name: string, entry: FileEntry): Waiting {
    const waiting: Waiting = { name, entry }
    this.waiting.push(waiting)
    return waiting
  }

  /** The file's turn has come: its URL fetched ahead, if any and still fresh (its outcome is the caller's now). */
  take(waiting: Waiting): Promise<string> | undefined {
    const now = this.clock.now()
    const at = this.waiting.indexOf(waiting)
    if (at >= 0) this.waiting.splice(at, 1)
    if (waiting.readyAt === undefined) {
      // A slot waits on the API: past slow start, the calls in flight were too few for the transfers' pace.
      if (this.budget() >= this.target) this.target = Math.min(this.maxInFlight, Math.max(this.target + 1, this.littlesLaw()))
    } else if (now - waiting.readyAt > this.maxUrlAgeMs) {
      return undefined
    }
    return waiting.url
  }

  /** A URL now: for a slot that had none ahead, or a renewal after OSS said the old one expired. */
  async resolve(name: string, entry: FileEntry, signal: AbortSignal, halted: () => boolean, tries?: TryCounter): Promise<string> {
    this.inFlight++
    const started = this.clock.now()
    // A retry is an attempt of the file's, ahead of its turn or not.
    const counter = tries ?? { onRetry: () => void entry.attempts++ }
    let retried = false
    const onRetry = (): void => {
      retried = true
      counter.onRetry()
    }
    let url: string
    try {
      url = await this.source(name, signal, { ...counter, onRetry })
    } finally {
      this.inFlight--
    }
    // Only after a success: a failure may stop the export, which must not have sent more calls.
    this.successes++
    // A retried call's time is mostly its backoff, not a round trip: counted, it would send the
    // calls in flight to the cap after one ServiceUnavailable, against an API that asked for less.
    if (!retried) this.roundTrip.add(this.clock.now() - started)
    this.ahead(signal, halted)
    return url
  }

  /** A slot served a file in `ms` once it held the URL: the transfers' pace, fed. */
  served(ms: number): void {
    this.serviceTime.add(ms)
  }

  clear(): void {
    this.waiting = []
  }

  /** Starts URL fetches for the files waiting next, while the budget allows. */
  ahead(signal: AbortSignal, halted: () => boolean): void {
    const budget = this.budget()
    for (const waiting of this.waiting) {
      if (this.inFlight >= budget || signal.aborted || halted()) return
      if (waiting.url) continue
      const url = this.resolve(waiting.name, waiting.entry, signal, halted)
      waiting.url = url
      // Its outcome, success or error, is taken by the file's job; the time tells take() it came in time.
      url.then(
        () => void (waiting.readyAt = this.clock.now()),
        () => void (waiting.readyAt = this.clock.now()),
      )
    }
  }

  /** Calls in flight that keep pace with the transfers: their rate × a call's round trip, a quarter to spare. */
  private littlesLaw(): number {
    if (this.roundTrip.samples === 0 || this.serviceTime.samples === 0) return 0
    // Files served within the clock's millisecond: the fastest transfers, which need the most calls ahead.
    const serviceMs = Math.max(1, this.serviceTime.value)
    return Math.ceil((1.25 * this.roundTrip.value * this.concurrency()) / serviceMs)
  }

  /** Calls allowed in flight now: slow start (1, 2, 4 … per success) up to what the transfers need. */
  private budget(): number {
    const slowStart = 2 ** Math.min(this.successes, 10)
    return Math.max(1, Math.min(this.target, slowStart, this.maxInFlight))
  }
}

/**
 * The mean of the samples so far, then of about the last `window`: seeded with the first sample
 * alone, a mean that follows slowly would keep the first few (a new connection's round trip, a
 * file served while the other slots still wait) far too long.
 */
class RunningMean {
  samples = 0
  value = 0

  constructor(private readonly window: number) {}

  add(sample: number): void {
    this.samples = Math.min(this.samples + 1, this.window)
    this.value += (sample - this.value) / this.samples
  }
}
