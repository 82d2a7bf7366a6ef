import type { Settings } from '../common/api.ts'
import { realClock } from '../engine/clock.ts'
import { ProfileStore } from '../engine/credentials/profiles.ts'
import { BandwidthLimit } from '../engine/export/bandwidth.ts'
import { Exports } from '../engine/export/exports.ts'
import { LiveLimit } from '../engine/export/live-limit.ts'
import type { Handlers } from './dispatch.ts'
import { type AreaContext, type HandlerDeps } from './handlers/context.ts'
import { ExportOrigins } from './handlers/export-origins.ts'
import { exportHandlers } from './handlers/exports.ts'
import { importHandlers, PendingImports, PickedFiles } from './handlers/imports.ts'
import { clientForConnection, profileHandlers } from './handlers/profiles.ts'
import { releaseBeforeNights } from './handlers/night-release.ts'
import { syncHandlers } from './handlers/sync.ts'
import { systemHandlers } from './handlers/system.ts'
import { HistoryStore, SettingsStore } from './settings-store.ts'

export { HandlerError, type HandlerDeps, type HostPorts } from './handlers/context.ts'

/**
 * The main side of the API, without Electron: the app's composition root binds these to ipcMain,
 * and the tests call them (or drive them from a real page) with the real engine behind. Each area
 * (handlers/) answers its own methods; exports go through the engine's service, as in the CLI.
 */
export function createHandlers(deps: HandlerDeps): Handlers & { exports: Exports; bandwidth: BandwidthLimit; close(): Promise<void> } {
  const ctx: AreaContext = { deps, profiles: new ProfileStore(deps.configDir, deps.secrets) }
  const settings = new SettingsStore(deps.configDir)
  // One budget for every export: the limit in Settings caps the app's whole download, as users
  // of download managers expect; each export keeps its own concurrency.
  const bandwidth = new BandwidthLimit(deps.clock ?? realClock)
  // A timetable in Settings moves that budget with the clock (issue 18), as --max-rate does in the CLI.
  const live = new LiveLimit(bandwidth, deps.clock ?? realClock)
  const applied = (s: Settings): void => {
    try {
      live.apply(s.maxBytesPerSecond, s.rateTimetable)
    } catch {
      // Only a settings.json edited by hand can hold a timetable settings:set refused: the fixed rate then.
      live.apply(s.maxBytesPerSecond, null)
    }
    deps.onSettings?.(s)
  }
  const limitLoaded = settings.get().then(applied)
  let origins: ExportOrigins | undefined
  const exports = new Exports({
    clientFor: async (connection) => {
      await limitLoaded
      return clientForConnection(ctx, connection)
    },
    fetch: deps.fetch,
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.log ? { log: deps.log } : {}),
    tuning: { bandwidth },
    onProgress: (update) => deps.emit('export:progress', { ...update, export: origins?.withNow(update.export) ?? update.export }),
  })
  origins = new ExportOrigins(exports)
  // Only where nightly syncs can be installed: a folder's job must find it free (night-release.ts).
  const stopReleasing = deps.sync ? releaseBeforeNights(deps.configDir, exports, deps.clock ?? realClock) : () => undefined
  const pending = new PendingImports()
  const picked = new PickedFiles()
  const history = new HistoryStore(deps.configDir)
  const folders = async (): Promise<string[]> => [...(await history.list()), ...exports.open().map((r) => r.outDir)]
  const handlers: Handlers = {
    ...systemHandlers(deps, settings, applied, { picked, folders }),
    ...profileHandlers(ctx),
    ...importHandlers(pending, picked),
    ...exportHandlers(ctx, { exports, pending, history, origins }),
    ...syncHandlers(ctx, exports),
  }
  return Object.assign(handlers, { exports, bandwidth, close: () => (live.close(), stopReleasing(), exports.close()) })
}
