import { API_V2, DEFAULT_RECORDING_KIND } from '../../common/api-version.ts'
import { ArchiveRestorer } from './archive-restore.ts'
import type { Run } from './feed.ts'
import { type FileJobContext, runFileJob } from './file-job.ts'
import type { ApiPolicy } from './api-retry.ts'
import type { SourceInfo } from './journal-events.ts'
import { rpcOf, type RunnerDeps } from './runner-deps.ts'

/** What a run gives its restorer beside the file jobs' context. */
export interface RestoreWiring {
  readonly deps: RunnerDeps
  readonly source: SourceInfo
  readonly api: ApiPolicy
  readonly instanceId: () => string
}

/**
 * The file jobs' context with an archive restorer (archive-restore.ts) for a CCC 2.0 export; a 1.0
 * export has none (its archived files fail with Oss.Archived: 2017-07-05 has no restore action).
 * A restored file goes back into this run's queue, with no URL fetched ahead (it needs a new one).
 */
export function withRestorer(base: FileJobContext, run: Run, w: RestoreWiring): FileJobContext {
  const rpc = w.source.api === API_V2 ? rpcOf(w.deps) : undefined
  if (!rpc) return base
  const requeue = (name: string, entry: Parameters<typeof runFileJob>[2]): void => {
    base.ledger.mark(entry, 'queued')
    if (!run.stop) void run.queue.add(() => runFileJob(job, name, entry, undefined))
  }
  const context = { rpc, api: w.api, instanceId: w.instanceId, kind: w.source.recording ?? DEFAULT_RECORDING_KIND, ledger: base.ledger, clock: base.clock, log: base.log, signal: base.signal, stop: base.stop, requeue }
  const job: FileJobContext = { ...base, restorer: new ArchiveRestorer(context, w.deps.restore) }
  return job
}

/**
 * After the feed: restores in flight bring files back to the queue, so the run ends only when
 * neither has work. Once the transfers are idle no file can join a gathered batch: it goes now.
 */
export async function drainRestores(run: Run, job: FileJobContext): Promise<void> {
  const restorer = job.restorer
  if (!restorer) return
  for (;;) {
    await run.queue.onIdle()
    if (run.stop || !restorer.busy) break
    restorer.flush()
    await restorer.settled()
  }
  // Stopped: the polls see the abort; wait for them, so none writes to a closed journal.
  await restorer.settled()
}
