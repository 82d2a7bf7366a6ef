import type { HandlerDeps, HandlerSlice } from './context.ts'
import type { SettingsStore } from '../settings-store.ts'

type SystemMethods = 'app:info' | 'settings:get' | 'settings:set' | 'dialog:pickFolder' | 'dialog:pickFile' | 'shell:openPath' | 'shell:reveal'

/** The app itself, its settings, and the shell's dialogs and file browser. */
export function systemHandlers(deps: HandlerDeps, settings: SettingsStore): HandlerSlice<SystemMethods> {
  const host = deps.host
  return {
    'app:info': async () => ({ version: host.version, platform: host.platform, systemLocale: host.systemLocale() }),
    'settings:get': () => settings.get(),
    'settings:set': (patch) => settings.set(patch),
    'dialog:pickFolder': () => host.pickFolder(),
    'dialog:pickFile': () => host.pickFile(),
    'shell:openPath': ({ path }) => host.openPath(path),
    'shell:reveal': async ({ path }) => host.reveal(path),
  }
}
