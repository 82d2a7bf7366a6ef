import type { RecordingKind } from '../../common/api-version.ts'
import { CccError } from '../../common/errors.ts'
import type { RpcCaller } from '../ccc/list-shape.ts'
import { contactIdOfName, RESTORE_BATCH, type RestoreDetail, restoreArchivedRecordings } from '../ccc/v2/restore.ts'
import type { Clock } from '../clock.ts'
import { toCccError } from '../errno.ts'
import type { Logger } from '../log.ts'
import { type ApiPolicy, withApiRetry } from './api-retry.ts'
import { backoffDelay, type BackoffPolicy } from './backoff.ts'
import { decide } from './decide.ts'
import type { FileEntry } from './export-table.ts'
import type { Ledger } from './ledger.ts'
import type { StopRequest } from './state.ts'

/**
 * Archived CCC 2.0 recordings (issue 14 item 4): a file OSS refuses as archived (403
 * InvalidObjectState, oss-errors.ts) is not a failure. It is set `restoring` (journalled), its
 * contact ID joins a batch, one RestoreArchivedRecordings call starts the batch's restores, the
 * same call polls them with growing delays until each says Completed, and each file then goes
 * back to the transfers with a fresh URL. Exists "False" is a skipped row; a restore still
 * Progressing after `maxWaitMs` fails its files with Restore.TimedOut.
 *
 * A batch is sent when it is full, when the transfers have nothing else to do (restore-run.ts),
 * or `gatherMs` after its first file, whichever comes first: archived files scattered through a
 * long export do not wait for its end, and a burst of them costs one call per RESTORE_BATCH.
 */

/** Archive restores take about a minute, Cold Archive up to 12 hours (OSS's documented times): past that it is stuck. */
export const RESTORE_MAX_WAIT_MS = 12 * 60 * 60 * 1000
/** Poll ceilings: 15 s, 30 s, 1 min … up to 10 min between calls. */
export const RESTORE_POLL: BackoffPolicy = { baseMs: 15_000, capMs: 10 * 60_000 }
const DEFAULT_GATHER_MS = 2_000
/** A file OSS still calls archived after its restore completed is tried once more, then failed (no loop). */
const MAX_ROUNDS = 2

export interface RestoreOptions {
  /** Contact IDs per call (RESTORE_BATCH). */
  readonly batchSize?: number
  /** How long a partial batch waits for more files; Infinity: only when full or the transfers idle. */
  readonly gatherMs?: number
  readonly poll?: BackoffPolicy
  readonly maxWaitMs?: number
  /** The clock of the polls and the bound (the runner's by default): tests pass their own. */
  readonly clock?: Clock
  /** The jitter's source, [0, 1). */
  readonly random?: () => number
}

export interface RestorerContext {
  readonly rpc: RpcCaller
  readonly api: ApiPolicy
  readonly instanceId: () => string
  readonly kind: RecordingKind
  readonly ledger: Ledger
  readonly clock: Clock
  readonly log: Logger
  readonly signal: AbortSignal
  stop(request: StopRequest): void
  /** A restored file goes back to the transfers. */
  requeue(name: string, entry: FileEntry): void
}

interface Waiting {
  readonly name: string
  readonly entry: FileEntry
  readonly contactId: string
}

export class ArchiveRestorer {
  private batch: Waiting[] = []
  private readonly loops = new Set<Promise<void>>()
  private readonly rounds = new Map<string, number>()
  /** The gather timer of the batch being filled; aborted when the batch goes sooner. */
  private gathering: AbortController | undefined
  private readonly clock: Clock
  private readonly batchSize: number
  private readonly gatherMs: number
  private readonly poll: BackoffPolicy
  private readonly maxWaitMs: number
  // Equal jitter, not full: a poll at once after the last would only cost a call.
  private readonly random: () => number

  constructor(
    private readonly ctx: RestorerContext,
    options: RestoreOptions = {},
  ) {
    this.clock = options.clock ?? ctx.clock
    this.batchSize = Math.max(1, Math.min(RESTORE_BATCH, options.batchSize ?? RESTORE_BATCH))
    this.gatherMs = options.gatherMs ?? DEFAULT_GATHER_MS
    this.poll = options.poll ?? RESTORE_POLL
    this.maxWaitMs = options.maxWaitMs ?? RESTORE_MAX_WAIT_MS
    this.random = options.random ?? (() => 0.5 + Math.random() / 2)
  }

  /** Restores in flight or waiting to be sent. */
  get busy(): boolean {
    return this.batch.length > 0 || this.loops.size > 0
  }

  /**
   * Takes a file OSS found archived, or one the journal left `restoring` (`journalled`, on resume).
   * False when it cannot be restored here (its name carries no contact ID, or a restore was
   * already tried for it twice): the caller fails it as usual.
   */
  take(name: string, entry: FileEntry, journalled = false): boolean {
    const contactId = contactIdOfName(name, this.ctx.kind)
    const rounds = (this.rounds.get(name) ?? 0) + 1
    if (!contactId || rounds > MAX_ROUNDS) return false
    this.rounds.set(name, rounds)
    if (!journalled) this.ctx.ledger.restoring(name, entry, this.ctx.clock.now())
    this.ctx.log.info(`${name}: in archive storage; restoring it (contact ${contactId})`)
    this.batch.push({ name, entry, contactId })
    if (this.batch.length >= this.batchSize) this.flush()
    else this.gather()
    return true
  }

  /** Sends what is gathered, in calls of at most batchSize. */
  flush(): void {
    // A timer left running would hold a finished CLI's process open for up to gatherMs.
    this.gathering?.abort()
    this.gathering = undefined
    while (this.batch.length > 0) {
      const loop: Promise<void> = this.restore(this.batch.splice(0, this.batchSize)).finally(() => this.loops.delete(loop))
      this.loops.add(loop)
    }
  }

  /** Resolves when no restore is being polled (files gathered but not sent are not waited for). */
  async settled(): Promise<void> {
    while (this.loops.size > 0) await Promise.all([...this.loops])
  }

  private gather(): void {
    if (this.gathering || !Number.isFinite(this.gatherMs)) return
    const timer = new AbortController()
    this.gathering = timer
    this.clock.sleep(this.gatherMs, AbortSignal.any([this.ctx.signal, timer.signal])).then(
      () => {
        if (this.gathering === timer) this.flush()
      },
      () => undefined,
    )
  }

  /** One batch: start, poll until each file is settled, the bound passes, or the run stops. */
  private async restore(part: readonly Waiting[]): Promise<void> {
    const since = this.clock.now()
    let left = part
    for (let poll = 1; ; poll++) {
      let details: Map<string, RestoreDetail>
      try {
        details = await this.call(left)
      } catch (e) {
        return this.callFailed(left, e)
      }
      left = this.settle(left, details)
      if (left.length === 0) return
      const waited = this.clock.now() - since
      if (waited >= this.maxWaitMs) return this.timedOut(left, waited)
      try {
        await this.clock.sleep(Math.min(backoffDelay(poll, this.poll, this.random), this.maxWaitMs - waited), this.ctx.signal)
      } catch {
        // Stopped: the files stay `restoring` in the journal, and a resume asks again.
        return
      }
    }
  }

  private call(left: readonly Waiting[]): Promise<Map<string, RestoreDetail>> {
    // Legs of one call share its contact ID: asked once.
    const ids = [...new Set(left.map((w) => w.contactId))]
    const { ctx } = this
    return withApiRetry(ctx.api, (signal) => restoreArchivedRecordings(ctx.rpc, ctx.instanceId(), ids, { signal }), ctx.signal)
  }

  /** Completed files go back to the transfers, those that do not exist are skipped; the rest wait. */
  private settle(left: readonly Waiting[], details: ReadonlyMap<string, RestoreDetail>): Waiting[] {
    const waiting: Waiting[] = []
    for (const w of left) {
      const d = details.get(w.contactId)
      if (d && !d.exists) {
        this.ctx.ledger.skip(w.name, `not in archive storage: RestoreArchivedRecordings says contact ${w.contactId} has no recording (Exists: False)`)
      } else if (d?.completed) {
        this.ctx.log.info(`${w.name}: restored from archive storage; downloading it`)
        this.ctx.requeue(w.name, w.entry)
      } else {
        // Progressing, or not in the reply at all: asked again at the next poll.
        waiting.push(w)
      }
    }
    return waiting
  }

  private callFailed(left: readonly Waiting[], e: unknown): void {
    if (this.ctx.signal.aborted) return
    const error = toCccError(e)
    this.ctx.log.warn(`RestoreArchivedRecordings: ${error.code}: ${error.message}`)
    if (decide(error, Number.POSITIVE_INFINITY).kind === 'pause') return this.ctx.stop({ kind: 'paused', reason: error.toData() })
    // Even an export-fatal code fails only these files: the rest of the export already works, and
    // a RAM policy may allow downloads but not RestoreArchivedRecordings.
    // Named, so a Forbidden.RAM here reads as the restore's permission, not the downloads'. It gets
    // its own code too: the catalog's Forbidden.RAM advice (the read-only policy) cannot grant a
    // write action, and the app groups and advises by code alone.
    const denied = error.code === 'Forbidden.RAM'
    const data = {
      ...error.toData(),
      ...(denied ? { code: 'Restore.Forbidden' } : {}),
      message: `RestoreArchivedRecordings: ${denied ? `${error.code}: ` : ''}${error.message}`,
    }
    for (const w of left) this.ctx.ledger.fail(w.name, w.entry, data)
  }

  private timedOut(left: readonly Waiting[], waitedMs: number): void {
    const hours = Math.round((waitedMs / 3_600_000) * 10) / 10
    for (const w of left) {
      const error = new CccError({ code: 'Restore.TimedOut', message: `contact ${w.contactId}: RestoreArchivedRecordings still said Progressing after ${hours} h` })
      this.ctx.log.warn(`${w.name}: ${error.message}`)
      this.ctx.ledger.fail(w.name, w.entry, error.toData())
    }
  }
}
