import { ProfileStore } from '../engine/credentials/profiles.ts'
import { Exports } from '../engine/export/exports.ts'
import type { Handlers } from './dispatch.ts'
import { type AreaContext, type HandlerDeps } from './handlers/context.ts'
import { exportHandlers } from './handlers/exports.ts'
import { importHandlers, PendingImports } from './handlers/imports.ts'
import { clientForConnection, profileHandlers } from './handlers/profiles.ts'
import { systemHandlers } from './handlers/system.ts'
import { HistoryStore, SettingsStore } from './settings-store.ts'

export { HandlerError, type HandlerDeps, type HostPorts } from './handlers/context.ts'

/**
 * The main side of the API, without Electron: the app's composition root binds these to ipcMain,
 * and the tests call them (or drive them from a real page) with the real engine behind. Each area
 * (handlers/) answers its own methods; exports go through the engine's service, as in the CLI.
 */
export function createHandlers(deps: HandlerDeps): Handlers & { exports: Exports; close(): Promise<void> } {
  const ctx: AreaContext = { deps, profiles: new ProfileStore(deps.configDir, deps.secrets) }
  const exports = new Exports({
    clientFor: (connection) => clientForConnection(ctx, connection),
    fetch: deps.fetch,
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.log ? { log: deps.log } : {}),
    onProgress: (update) => deps.emit('export:progress', update),
  })
  const pending = new PendingImports()
  const handlers: Handlers = {
    ...systemHandlers(deps, new SettingsStore(deps.configDir)),
    ...profileHandlers(ctx),
    ...importHandlers(pending),
    ...exportHandlers(ctx, { exports, pending, history: new HistoryStore(deps.configDir) }),
  }
  return Object.assign(handlers, { exports, close: () => exports.close() })
}
