import type { HandlerDeps, HandlerSlice } from './context.ts'
import type { Settings } from '../../common/api.ts'
import type { SettingsStore } from '../settings-store.ts'
import { parseTimetable, TimetableError } from '../../engine/export/rate-timetable.ts'
import { HandlerError } from './context.ts'
import type { PickedFiles } from './imports.ts'
import { mayOpen } from '../open-access.ts'

type SystemMethods = 'app:info' | 'settings:get' | 'settings:set' | 'dialog:pickFolder' | 'dialog:pickFile' | 'shell:openPath' | 'shell:reveal'

/** What the page may name by path: the lists the user picked, the export folders the app knows. */
export interface PathGrants {
  readonly picked: PickedFiles
  /** Every export folder of this app: History's, and those open in this session. */
  folders(): Promise<readonly string[]>
}

/** The app itself, its settings (`applied` puts saved ones into effect), and the shell's dialogs and file browser. */
export function systemHandlers(deps: HandlerDeps, settings: SettingsStore, applied: (s: Settings) => void, grants: PathGrants): HandlerSlice<SystemMethods> {
  const host = deps.host
  return {
    'app:info': async () => ({ version: host.version, platform: host.platform, systemLocale: host.systemLocale() }),
    'settings:get': () => settings.get(),
    'settings:set': async (patch) => {
      if (patch.rateTimetable) checkTimetable(patch.rateTimetable)
      const next = await settings.set(patch)
      applied(next)
      return next
    },
    'dialog:pickFolder': () => host.pickFolder(),
    'dialog:pickFile': async () => {
      const path = await host.pickFile()
      if (path !== null) grants.picked.add(path)
      return path
    },
    'shell:openPath': async ({ path }) => {
      if (!(await mayOpen(path, await grants.folders()))) {
        throw new HandlerError('Shell.OpenFailed', `${path}: only an export folder of this app, or its report or manifest, is opened from here`)
      }
      await host.openPath(path)
    },
    'shell:reveal': async ({ path }) => host.reveal(path),
  }
}

/**
 * The engine's own parser decides, as for `--max-rate`. Its English stays the message (logs, the
 * raw text); the problem goes as details, so the page names the entry in its own language.
 */
function checkTimetable(text: string): void {
  try {
    parseTimetable(text)
  } catch (e) {
    throw new HandlerError('Timetable.Invalid', `rateTimetable: ${(e as Error).message}`, e instanceof TimetableError ? e.problem : undefined)
  }
}
