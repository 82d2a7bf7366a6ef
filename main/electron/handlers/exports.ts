import { writeFile } from 'node:fs/promises'
import type { ApiRequest } from '../../common/api.ts'
import { DEFAULT_OPTIONS, type ExportOptions } from '../../common/export-options.ts'
import type { ExportStatus } from '../../common/progress.ts'
import type { ExportRunner } from '../../engine/export/runner.ts'
import type { ExportPlan, Exports } from '../../engine/export/exports.ts'
import { ExportInUseError, folderInUse } from '../../engine/export/folder-lock.ts'
import { groupCsv } from '../../engine/export/file-rows.ts'
import { silentLogger } from '../../engine/log.ts'
import type { HistoryStore } from '../settings-store.ts'
import { sourceForApi } from '../../engine/ccc/v2/source-api.ts'
import type { SourceInfo } from '../../engine/export/journal-events.ts'
import { callPlan, filterOf, templateOf } from './call-choices.ts'
import { clientFor } from './profiles.ts'
import { countRange, countRangeV2, sampleRange } from './range-count.ts'
import { API_V2 } from '../../common/api-version.ts'
import { verifySummary, withChecks } from './export-checks.ts'
import { type AreaContext, HandlerError, type HandlerSlice } from './context.ts'
import type { ExportOrigins } from './export-origins.ts'
import { FileQueries } from './file-query.ts'
import type { PendingImports } from './imports.ts'

type ExportMethods =
  | 'export:start'
  | 'export:pause'
  | 'export:resume'
  | 'export:cancel'
  | 'export:setLimits'
  | 'export:files'
  | 'export:retryGroup'
  | 'export:saveGroup'
  | 'export:retryFailed'
  | 'exports:history'
  | 'exports:pauseAll'
  | 'exports:resumeAll'
  | 'exports:forget'
  | 'exports:verify'
  | 'import:count'

export interface ExportArea {
  readonly exports: Exports
  readonly pending: PendingImports
  readonly history: HistoryStore
  readonly origins: ExportOrigins
}

/**
 * Exports through the engine's service, as the CLI runs them: the same list started again retries
 * what failed. Runs go on behind the window; their progress reaches the page through the service.
 */
export function exportHandlers(ctx: AreaContext, area: ExportArea): HandlerSlice<ExportMethods> {
  const { exports, pending, history, origins } = area
  const files = new FileQueries()
  const log = ctx.deps.log ?? silentLogger
  const run = (runner: ExportRunner): void => {
    runner.run().catch((e: unknown) => log.error(`export ${runner.outDir}: ${e instanceof Error ? e.message : String(e)}`))
  }
  /** An export open in this session, or reopened from its journal (history, after a restart). */
  const opened = (id: string): Promise<ExportRunner> => exports.resume(id)
  return {
    'export:start': async (req) => {
      const plan = await planOf(ctx, area, req)
      const { runner, notes } = await exports.start(plan)
      // Run before anything else is awaited: a Pause or Cancel that comes in between must find it
      // running, not open and idle, where it would be taken and then run over.
      run(runner)
      pending.drop(req.token)
      await history.remember(req.outDir)
      const entry = await origins.with((await exports.status(req.outDir)) as ExportStatus)
      const kept = runner.header.options
      return notes.namingKept ? { ...entry, namingKept: kept.nameTemplate ?? kept.layout } : entry
    },
    'export:resume': async ({ id }) => run(await opened(id)),
    'export:setLimits': async ({ id, concurrency, maxBytesPerSecond }) => {
      const runner = exports.get(id)
      if (!runner) throw new HandlerError('Export.NotRunning', `${id}: this export is not open`)
      runner.setLimits({ ...(concurrency === undefined ? {} : { concurrency }), ...(maxBytesPerSecond === undefined ? {} : { maxBytesPerSecond }) })
    },
    'export:files': async (q) => files.page(await opened(q.id), q),
    'export:retryGroup': async ({ id, code }) => {
      const runner = await opened(id)
      const n = runner.retryGroup(code)
      if (n > 0) run(runner)
      return n
    },
    'export:saveGroup': async ({ id, code }) => {
      const runner = await opened(id)
      const path = await ctx.deps.host.pickSavePath(`failed-${code.replace(/[^\w.-]/g, '_')}.csv`)
      if (!path) return null
      await writeFile(path, groupCsv(runner.table, code))
      return path
    },
    'exports:history': async () => {
      const all = await Promise.all((await history.list()).map((d) => exports.status(d).then(async (s) => (s ? withChecks(exports, await origins.with(s)) : undefined), () => undefined)))
      return all.filter((s) => s !== undefined)
    },
    ...stopHandlers(exports, opened),
    ...checkHandlers(ctx, area),
    ...allHandlers(exports, run),
    'exports:forget': async ({ id }) => {
      if (exports.get(id)?.active) throw new HandlerError('Export.Busy', `${id}: the export is running; pause or cancel it first`)
      await history.forget(id)
    },
  }
}

/** Pause and Cancel, also of an export this session has not opened (History's, after a restart). */
function stopHandlers(exports: Exports, opened: (id: string) => Promise<ExportRunner>): HandlerSlice<'export:pause' | 'export:cancel'> {
  return {
    'export:pause': async ({ id }) => {
      // One being opened here (a start, a resume) is this app's: paused once it runs, not blamed on another program.
      const runner = exports.get(id) ?? (await exports.whenOpen(id))
      if (runner) {
        await runner.pause()
        return
      }
      // Not open here, so nothing of this app runs it: a stopped export stays as it is. Another
      // program running it (the CLI, a nightly sync) cannot be paused from here; say so, not "done".
      if (await folderInUse(id)) throw new ExportInUseError(`${id}: another program (the command line or a nightly sync) is running this export; stop it there`)
    },
    'export:cancel': async ({ id }) => {
      const runner = exports.get(id)
      if (runner?.active) {
        await runner.cancel()
        return
      }
      // Reopened from its journal, as a paused export after a restart is, it would start idle and
      // take the cancel even when its journal says it finished: nothing is left to cancel then.
      const state = (await exports.status(id))?.state
      if (state === 'finished' || state === 'cancelled') return
      // Opened, not run: cancelling is journalled (History shows it); another program's lock refuses the open (Export.InUse).
      await (await opened(id)).cancel()
    },
  }
}

/** Before and after an export: a range's calls counted, a finished folder verified. */
function checkHandlers(ctx: AreaContext, area: ExportArea): HandlerSlice<'exports:verify' | 'import:count'> {
  const counting = new Map<string, AbortController>()
  return {
    'exports:verify': async ({ id }) => verifySummary(id, area.exports),
    'import:count': async (req) => {
      // A newer count of the same range (the naming or filter changed) stops this one's listing.
      counting.get(req.token)?.abort()
      const mine = new AbortController()
      counting.set(req.token, mine)
      try {
        const list = area.pending.get(req.token)
        const { client, profile: p } = await clientFor(ctx, req.profile)
        // As export:start would list it: the filter in the source, the profile's generation.
        const filter = filterOf(req.filter)
        const source = sourceForApi(filter ? ({ ...list.source, filter } as SourceInfo) : list.source, p.apiVersion, req.recording, [])
        const counted = await (p.apiVersion === API_V2 ? countRangeV2 : countRange)(client, p.instanceId, source)
        // A template half typed (or {col:…}, which a range has none for) names nothing yet; the count stands.
        const options = namingOptions(req)
        const sample = options && counted.calls !== 0 ? await sampleRange(client, p.instanceId, source, options, mine.signal).catch(() => []) : []
        return { ...counted, sample }
      } finally {
        if (counting.get(req.token) === mine) counting.delete(req.token)
      }
    },
  }
}

/** Over many files or exports at once: the Queue page's and the tray's "pause all" / "resume all". */
function allHandlers(exports: Exports, run: (runner: ExportRunner) => void): HandlerSlice<'exports:pauseAll' | 'exports:resumeAll' | 'export:retryFailed'> {
  return {
    // Every failed file, whatever its code: History's finished exports and the Queue's "Retry all failed".
    'export:retryFailed': async ({ id }) => {
      const runner = await exports.resume(id)
      const n = runner.retryGroup()
      if (n > 0 && !runner.active) run(runner)
      return n
    },
    'exports:pauseAll': async () => {
      // Those being opened too: they run the moment their open settles.
      await exports.whenAllOpen()
      const running = exports.open().filter((r) => r.active)
      await Promise.all(running.map((r) => r.pause()))
      return running.length
    },
    'exports:resumeAll': async () => {
      const paused = exports.open().filter((r) => !r.active && r.state === 'paused')
      paused.forEach(run)
      return paused.length
    },
  }
}

/** The previewed list, the profile's instance and the chosen options, as the service's plan. */
async function planOf(ctx: AreaContext, area: ExportArea, req: ApiRequest<'export:start'>): Promise<ExportPlan> {
  const list = area.pending.get(req.token)
  const profile = await ctx.profiles.get(req.profile)
  if (!profile) throw new HandlerError('Profiles.NotFound', `No profile is named "${req.profile}"`)
  const calls = callPlan(list, req)
  const options: Partial<ExportOptions> = {
    ...calls.options,
    ...(req.concurrency === undefined ? {} : { concurrency: req.concurrency }),
    ...(req.layout === undefined ? {} : { layout: req.layout }),
    ...(req.maxBytesPerSecond === undefined ? {} : { maxBytesPerSecond: req.maxBytesPerSecond }),
  }
  return {
    outDir: req.outDir,
    connection: { instanceId: profile.instanceId, region: profile.region, profile: profile.name, ...(profile.endpoint ? { endpoint: profile.endpoint } : {}) },
    // A 2.0 profile's export journals its generation and recording kind; a 1.0 one is unchanged.
    source: sourceForApi(calls.source, profile.apiVersion, req.recording, calls.names),
    names: calls.names,
    contactIds: list.contactIds,
    ...(calls.metas ? { metas: calls.metas } : {}),
    ...(calls.leftOut ? { leftOut: calls.leftOut } : {}),
    options,
  }
}

/** The export options a range's preview names with, or undefined for a template that cannot name yet. */
function namingOptions(req: ApiRequest<'import:count'>): ExportOptions | undefined {
  try {
    const template = templateOf(req.template ?? 'flat', req.timeZone, undefined)
    return { ...DEFAULT_OPTIONS, nameTemplate: template.source, timeZone: template.timeZone }
  } catch {
    return undefined
  }
}
