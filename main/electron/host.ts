import { app, type BrowserWindow, dialog, shell } from 'electron'
import type { HostPorts } from './handlers.ts'
import { NAME_LIST_FILTERS } from './pick-filters.ts'

/** The desktop's side of the handler map: native dialogs and Explorer/Finder. */
export function electronHost(window: () => BrowserWindow | undefined): HostPorts {
  const parent = () => window()
  return {
    version: app.getVersion(),
    platform: process.platform,
    systemLocale: () => app.getPreferredSystemLanguages()[0] ?? app.getLocale(),
    async pickFolder() {
      const options = { properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[] }
      const w = parent()
      const r = w ? await dialog.showOpenDialog(w, options) : await dialog.showOpenDialog(options)
      return r.canceled ? null : (r.filePaths[0] ?? null)
    },
    async pickFile() {
      const options = {
        properties: ['openFile'] as 'openFile'[],
        filters: NAME_LIST_FILTERS,
      }
      const w = parent()
      const r = w ? await dialog.showOpenDialog(w, options) : await dialog.showOpenDialog(options)
      return r.canceled ? null : (r.filePaths[0] ?? null)
    },
    async pickSavePath(defaultName) {
      const options = { defaultPath: defaultName, filters: [{ name: 'CSV', extensions: ['csv'] }] }
      const w = parent()
      const r = w ? await dialog.showSaveDialog(w, options) : await dialog.showSaveDialog(options)
      return r.canceled ? null : (r.filePath ?? null)
    },
    async openPath(path) {
      const error = await shell.openPath(path)
      if (error) throw Object.assign(new Error(error), { code: 'Shell.OpenFailed' })
    },
    reveal(path) {
      shell.showItemInFolder(path)
    },
  }
}
