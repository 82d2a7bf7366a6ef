import { BrowserWindow } from 'electron'

/** The app's one page and its preload, both under dist/ next to the bundled main. */
export interface WindowFiles {
  readonly page: string
  readonly preload: string
}

/**
 * The app window. The page is our own bundle and nothing else: no new windows, no navigation, no
 * webviews, and the renderer has no Node; it reaches the engine only through the preload's bridge.
 */
export function createWindow(files: WindowFiles): BrowserWindow {
  const w = new BrowserWindow({
    width: 1180,
    height: 820,
    minWidth: 860,
    minHeight: 600,
    show: false,
    title: 'CCC Recordings',
    webPreferences: {
      preload: files.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      spellcheck: false,
    },
  })
  w.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
  w.webContents.on('will-navigate', (event) => event.preventDefault())
  w.webContents.on('will-attach-webview', (event) => event.preventDefault())
  // Shown once painted, so the user never sees an empty white frame.
  w.once('ready-to-show', () => w.show())
  void w.loadFile(files.page)
  return w
}
