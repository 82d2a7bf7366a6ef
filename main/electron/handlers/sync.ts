import type { SyncInfo } from '../../common/api.ts'
import { API_V2 } from '../../common/api-version.ts'
import { realClock } from '../../engine/clock.ts'
import type { ExportTable } from '../../engine/export/export-table.ts'
import type { Exports } from '../../engine/export/exports.ts'
import { readExportTable } from '../../engine/export/export-status.ts'
import type { ExportHeaderEvent } from '../../engine/export/journal-events.ts'
import { readExportHeader } from '../../engine/export/journal.ts'
import { listSchedules, installSchedule, removeSchedule } from '../../engine/schedule/schedules.ts'
import { checkPrintable, jobName, parseAt, syncJob } from '../../engine/schedule/sync-job.ts'
import { adoptExport } from '../../engine/sync/adopt.ts'
import { checkMark, readSyncLast, readSyncSettings, writeSyncSettings } from '../../engine/sync/sync-settings.ts'
import { nextSyncWindow } from '../../engine/sync/sync-run.ts'
import { type AreaContext, HandlerError, type HandlerSlice, type SyncPorts } from './context.ts'

type SyncMethods = 'sync:status' | 'sync:install' | 'sync:remove'

/**
 * History's "Keep this folder in sync nightly" (issue 18): the same sync settings `ccc-recordings
 * sync` writes when it adopts a folder, and the same OS job `schedule install` registers, through
 * the engine (main/engine/sync, main/engine/schedule). The job runs the command line, which reads
 * the profile's secret from the keychain: the app holds no scheduler of its own.
 */
export function syncHandlers(ctx: AreaContext, exports: Pick<Exports, 'release' | 'get'>): HandlerSlice<SyncMethods> {
  const { deps } = ctx
  const ports = deps.sync
  const status = (dir: string) => syncStatus(ctx, exports, dir)
  return {
    'sync:status': ({ id }) => status(id),
    'sync:install': async ({ id, at }) => {
      const header = await readExportHeader(id)
      const why = await unavailable(ports, header)
      if (why === 'notRange') throw new HandlerError('Export.Conflict', `${id} holds an export that is not a date range; only a date range can be kept in sync`)
      if (why === 'noProfile') throw new HandlerError('Profiles.NotFound', `${id} was exported with keys from the environment; a nightly sync needs a saved profile`)
      const program = ports ? await ports.program() : undefined
      if (!ports || !program) throw new HandlerError('Sync.NoCommandLine', 'the ccc-recordings command line was not found on PATH')
      const existing = await readSyncSettings(id)
      if (existing && !existing.connection.profile) {
        // A sync begun from the command line with keys from the environment: a job has no such environment.
        throw new HandlerError('Profiles.NotFound', `${id} syncs with keys from the environment; a nightly job reads its secret from a saved profile`)
      }
      // A job whose every night is refused is not installed.
      if (existing) checkMark(id, existing, (ctx.deps.clock ?? realClock).now())
      if (!existing) {
        const profile = await ctx.profiles.get(header!.profile!)
        await writeSyncSettings(id, adoptExport(header!, profile?.retentionDays === undefined ? {} : { retentionDays: profile.retentionDays })!)
      }
      const job = syncJob(id, parseAt(at), program, ports.logs)
      try {
        checkPrintable(job)
      } catch (e) {
        throw new HandlerError('Export.OutputUnusable', (e as Error).message)
      }
      await installSchedule(ports.scheduler, deps.configDir, job)
      // The app keeps an export it opened (to run it, or to list its files) open, with its lock;
      // the night's job must find the folder free. One still running is left: it ends before night.
      await exports.release(id)
      return status(id)
    },
    'sync:remove': async ({ id }) => {
      if (!ports) throw new HandlerError('Sync.NoCommandLine', 'no scheduler is available to this app')
      await removeSchedule(ports.scheduler, deps.configDir, id)
      // Removed: what the settings hold is for the entry's own status to say.
      return status(id).catch(() => ({}))
    },
  }
}

async function unavailable(ports: SyncPorts | undefined, header: ExportHeaderEvent | undefined): Promise<SyncInfo['unavailable']> {
  if (header?.source.kind !== 'range') return 'notRange'
  if (!header.profile) return 'noProfile'
  if (!ports || !(await ports.program())) return 'noCommandLine'
  return undefined
}

/** What History shows of a folder's sync: the job, the mark, the next window (as `status` says it) and the last run. */
async function syncStatus(ctx: AreaContext, exports: Pick<Exports, 'get'>, dir: string): Promise<SyncInfo> {
  const header = await readExportHeader(dir).catch(() => undefined)
  const scheduled = (await listSchedules(ctx.deps.configDir)).find((e) => e.name === jobName(dir))
  const why = scheduled ? undefined : await unavailable(ctx.deps.sync, header)
  const settings = await readSyncSettings(dir)
  const last = await readSyncLast(dir)
  const now = (ctx.deps.clock ?? realClock).now()
  // A mark later than now is refused by every run: said here, as a damaged file is.
  if (settings) checkMark(dir, settings, now)
  // Rows that cannot be read (a drive gone, a permission) cost the reach-back, not the panel.
  const next = settings ? nextSyncWindow(settings, now, await reachableRows(exports, dir, header).catch(() => undefined)) : undefined
  const iso = (ms: number) => new Date(ms).toISOString()
  return {
    ...(why ? { unavailable: why } : {}),
    ...(scheduled ? { scheduled: { at: scheduled.at, kind: scheduled.kind } } : {}),
    ...(settings ? { mark: settings.mark } : {}),
    ...(next ? { next: { from: iso(next.from), to: iso(next.to) } } : {}),
    ...(last ? { last: { at: last.at, exitCode: last.exitCode, state: last.state, markAdvanced: last.markAdvanced, counts: last.counts } } : {}),
  }
}

/**
 * The rows a sync may reach back into. Every History entry asks on showing, so a journal is replayed
 * only where it can matter: only a CCC 2.0 listing keeps calls not ready, and a synced folder is
 * one of a few. One the app has open has its rows already.
 */
async function reachableRows(exports: Pick<Exports, 'get'>, dir: string, header: ExportHeaderEvent | undefined): Promise<ExportTable | undefined> {
  if (header?.source.kind !== 'range' || header.source.api !== API_V2) return undefined
  return exports.get(dir)?.table ?? (await readExportTable(dir))
}
