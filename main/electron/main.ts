/**
 * The desktop app's composition root: the only module that wires Electron to the engine. Everything
 * it calls (handler map, engine, sender rule, export watch, diagnostics) is tested without Electron.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, net, powerSaveBlocker } from 'electron'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { ApiEvents, EventName } from '../common/api.ts'
import type { ExportProgress } from '../common/progress.ts'
import { configDir } from '../engine/credentials/config-dir.ts'
import { KeyringStore } from '../engine/credentials/keyring-store.ts'
import { fileLogSink } from '../engine/file-log.ts'
import { createLogger } from '../engine/log.ts'
import { diagnosticsZip } from './diagnostics.ts'
import { ExportWatch } from './export-watch.ts'
import { createHandlers } from './handlers.ts'
import { electronHost } from './host.ts'
import { bindIpc } from './ipc.ts'
import { ResumeList } from './settings-store.ts'
import { startAutoUpdate } from './updater.ts'

const here = path.dirname(fileURLToPath(import.meta.url))
const pagePath = path.join(here, '../renderer/index.html')
const appUrl = pathToFileURL(pagePath).href

// One app per user: a second launch focuses the first instead of racing it for the same journals.
if (!app.requestSingleInstanceLock()) app.quit()

let win: BrowserWindow | undefined
let quitting = false
// The user already said yes to "Restart and install": pause exports without asking again.
let restartingForUpdate = false

function createWindow(): BrowserWindow {
  const w = new BrowserWindow({
    width: 1180,
    height: 820,
    minWidth: 860,
    minHeight: 600,
    show: false,
    title: 'CCC Recordings',
    webPreferences: {
      preload: path.join(here, '../preload/preload.cjs'),
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
  w.once('ready-to-show', () => w.show())
  void w.loadFile(pagePath)
  return w
}

async function main(): Promise<void> {
  await app.whenReady()
  const config = configDir()
  const log = createLogger(fileLogSink(path.join(app.getPath('logs'), 'ccc-recordings.log')))
  log.info(`starting ${app.getVersion()} (electron ${process.versions.electron}, ${process.platform})`)

  let blocker: number | undefined
  const watch = new ExportWatch({
    setProgress: (fraction, mode) => win?.setProgressBar(fraction, mode === 'none' ? undefined : { mode }),
    keepAwake(on) {
      if (on && blocker === undefined) blocker = powerSaveBlocker.start('prevent-app-suspension')
      if (!on && blocker !== undefined) {
        powerSaveBlocker.stop(blocker)
        blocker = undefined
      }
    },
    notify(p: ExportProgress) {
      if (!Notification.isSupported()) return
      const c = p.counts
      const n = new Notification({
        title: p.state === 'finished' ? 'CCC Recordings: export finished' : 'CCC Recordings: export stopped',
        body: `${c.done} of ${c.total} verified${c.failed ? `, ${c.failed} failed` : ''}${p.reason ? ` (${p.reason.code})` : ''}`,
      })
      n.on('click', () => host.reveal(path.join(p.id, 'report.csv')))
      n.show()
    },
  })

  const host = electronHost(() => win)
  const handlers = createHandlers({
    host,
    secrets: new KeyringStore(),
    configDir: config,
    // Chromium's network stack: the system proxy, PAC scripts and corporate certificates apply.
    fetch: net.fetch as unknown as typeof fetch,
    log,
    emit: <E extends EventName>(event: E, payload: ApiEvents[E]) => {
      watch.update(payload)
      if (win && !win.isDestroyed()) win.webContents.send(event, payload)
    },
  })
  bindIpc(ipcMain, handlers, appUrl, log)

  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
      {
        label: 'File',
        submenu: [
          {
            label: 'Export diagnostics…',
            click: async () => {
              const target = await dialog.showSaveDialog({ defaultPath: `ccc-recordings-diagnostics-${new Date().toISOString().slice(0, 10)}.zip` })
              if (target.canceled || !target.filePath) return
              const exports = await handlers['exports:history'](undefined)
              const zip = await diagnosticsZip({ logsDir: app.getPath('logs'), versions: { app: app.getVersion(), ...process.versions, platform: process.platform }, exports })
              await writeFile(target.filePath, zip)
              host.reveal(target.filePath)
            },
          },
          { type: 'separator' },
          { role: 'quit' },
        ],
      },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
    ]),
  )

  win = createWindow()
  app.on('second-instance', () => {
    if (!win) return
    if (win.isMinimized()) win.restore()
    win.focus()
  })
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) win = createWindow()
  })

  // Exports that were running when the app last quit carry on.
  const resumeList = new ResumeList(config)
  for (const id of await resumeList.take()) {
    handlers['export:resume']({ id }).catch((e: unknown) => log.warn(`could not resume ${id}: ${e instanceof Error ? e.message : String(e)}`))
  }

  void startAutoUpdate({
    app,
    log,
    ask: async (options) => {
      const answer = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options)
      if (answer.response === 0) {
        // Pause (and remember) running exports before the updater quits the app underneath them.
        restartingForUpdate = true
        const active = watch.active()
        await resumeList.save(active)
        await handlers.close()
      }
      return answer
    },
  })

  // Quitting during an export asks first; the export is paused (every .part kept) and resumes next time.
  app.on('before-quit', (event) => {
    if (quitting || restartingForUpdate) return
    const active = watch.active()
    if (active.length === 0) return
    event.preventDefault()
    const choice = dialog.showMessageBoxSync({
      type: 'question',
      buttons: ['Pause and quit', 'Keep downloading'],
      defaultId: 1,
      cancelId: 1,
      message: 'An export is still downloading.',
      detail: 'Quitting pauses it; it continues where it stopped the next time CCC Recordings starts.',
    })
    if (choice !== 0) return
    quitting = true
    void (async () => {
      await resumeList.save(active)
      await handlers.close()
      app.quit()
    })()
  })

}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})

void main()
