/**
 * The desktop app's composition root: the only module that wires Electron to the engine. Everything
 * it calls (handler map, engine, sender rule, export watch, diagnostics) is tested without Electron.
 */
import { app, dialog, ipcMain, type MessageBoxOptions, net, Notification } from 'electron'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { ApiEvents, EventName } from '../common/api.ts'
import type { Locale } from '../common/error-catalog.ts'
import { resolveLocale, shellText } from '../common/shell-text.ts'
import { configDir } from '../engine/credentials/config-dir.ts'
import { KeyringStore } from '../engine/credentials/keyring-store.ts'
import { fileLogSink } from '../engine/file-log.ts'
import { createLogger, type Logger } from '../engine/log.ts'
import { ExportWatch } from './export-watch.ts'
import { createHandlers } from './handlers.ts'
import { electronHost } from './host.ts'
import { bindIpc } from './ipc.ts'
import { setApplicationMenu } from './menu.ts'
import { NightWatch } from './night-watch.ts'
import { AnnouncedStore, HistoryStore, ResumeList } from './settings-store.ts'
import { handlePlay, registerPlayScheme } from './play-protocol.ts'
import { desktopSignals } from './shell-signals.ts'
import { desktopSyncPorts } from './sync-ports.ts'
import { startAutoUpdate } from './updater.ts'
import { quitNeedsQuestion, quitWhenAllClosed, trayModel } from './lifecycle.ts'
import { AppTray } from './tray.ts'
import type { WindowFiles } from './window.ts'
import { WindowKeeper } from './window-life.ts'

const here = path.dirname(fileURLToPath(import.meta.url))
const files: WindowFiles = {
  page: path.join(here, '../renderer/index.html'),
  preload: path.join(here, '../preload/preload.cjs'),
}
const appUrl = pathToFileURL(files.page).href

// One app per user: a second launch focuses the first instead of racing it for the same journals.
if (!app.requestSingleInstanceLock()) app.quit()
// Before ready, as Electron requires: the scheme the Queue page plays recordings from.
registerPlayScheme()

let keeper: WindowKeeper | undefined
let quitting = false
// The user already said yes to "Restart and install": pause exports without asking again.
let restartingForUpdate = false
// The UI's language, for what main shows itself (menu, quit question, notifications).
let locale: Locale = 'en'

type AppHandlers = ReturnType<typeof createHandlers>

/** What quitting needs: the exports still running, and a way to pause them so they resume next start. */
interface Pauser {
  readonly watch: ExportWatch
  readonly resumeList: ResumeList
  readonly handlers: AppHandlers
}

async function main(): Promise<void> {
  await app.whenReady()
  const config = configDir()
  const log = createLogger(fileLogSink(path.join(app.getPath('logs'), 'ccc-recordings.log')))
  log.info(`starting ${app.getVersion()} (electron ${process.versions.electron}, ${process.platform})`)

  const win = () => keeper?.current
  const host = electronHost(win)
  const watch = new ExportWatch(desktopSignals(win, host, () => locale))
  keeper = new WindowKeeper(files, () => watch.active().length, () => noteKeptRunning())
  const tray = new AppTray(path.join(here, '../renderer/tray.png'), {
    open: () => keeper?.reopen(),
    pauseAll: () => void handlers['exports:pauseAll'](undefined),
    quit: () => app.quit(),
  })
  const handlers = createHandlers({
    host,
    secrets: new KeyringStore(),
    configDir: config,
    // Chromium's network stack: the system proxy, PAC scripts and corporate certificates apply.
    fetch: net.fetch as unknown as typeof fetch,
    log,
    // History's nightly sync: a checkout's own CLI when not packaged; else the one installed on PATH.
    sync: desktopSyncPorts(app.isPackaged ? undefined : path.join(here, '../../bin/ccc-recordings.js')),
    emit: <E extends EventName>(event: E, payload: ApiEvents[E]) => {
      watch.update(payload)
      tray.show(trayModel(watch.all(), locale))
      win()?.webContents.send(event, payload)
    },
    onSettings: (settings) => {
      locale = resolveLocale(settings.language, host.systemLocale())
      setApplicationMenu(handlers, host, locale)
      tray.show(trayModel(watch.all(), locale))
      // Once the UI's language is known: last nights' results on launch, and each night's as its file changes.
      if (!nights) {
        nights = new NightWatch(config, new AnnouncedStore(config), () => locale, showNight)
        void nights.watch()
      }
    },
  })
  bindIpc(ipcMain, handlers, appUrl, log)
  // Only the folders of this app's exports (History keeps every one started here).
  const history = new HistoryStore(config)
  handlePlay(() => history.list())
  setApplicationMenu(handlers, host, locale)
  openWindow(keeper)
  app.on('window-all-closed', () => {
    if (quitWhenAllClosed(watch.active().length, process.platform)) app.quit()
  })

  const pauser: Pauser = { watch, resumeList: new ResumeList(config), handlers }
  await resumeInterrupted(pauser, log)
  void startAutoUpdate({ app, log, language: () => locale, ask: (options) => askToRestart(options, pauser) })
  app.on('before-quit', (event) => confirmQuit(event, pauser))
}

/** The window, and the app events that bring it back (a second launch, a dock click), recreating it when gone. */
function openWindow(k: WindowKeeper): void {
  k.open()
  app.on('second-instance', () => k.reopen())
  app.on('activate', () => k.reopen())
}

let nights: NightWatch | undefined

/** A night's sync result (sync-notices.ts decides which and in what words); a click opens the window. */
function showNight(notice: { readonly title: string; readonly body: string }): void {
  if (!Notification.isSupported()) return
  const n = new Notification({ title: notice.title, body: notice.body })
  n.on('click', () => keeper?.reopen())
  n.show()
}

/** The first time the window closes while exports run: where the app went, in the UI's language. */
function noteKeptRunning(): void {
  if (Notification.isSupported()) new Notification({ title: shellText(locale, 'tray.tooltip'), body: shellText(locale, 'tray.note') }).show()
}

/** Exports that were running when the app last quit carry on. */
async function resumeInterrupted({ resumeList, handlers }: Pauser, log: Logger): Promise<void> {
  for (const id of await resumeList.take()) {
    handlers['export:resume']({ id }).catch((e: unknown) => log.warn(`could not resume ${id}: ${e instanceof Error ? e.message : String(e)}`))
  }
}

/** Saves the running exports to resume next start and stops them; every .part is kept. */
async function pauseExports(active: string[], { resumeList, handlers }: Pauser): Promise<void> {
  await resumeList.save(active)
  await handlers.close()
}

/** The updater's "Restart and install?" question, asked over the window when there is one. */
async function askToRestart(options: MessageBoxOptions, pauser: Pauser): Promise<{ readonly response: number }> {
  const w = keeper?.current
  const answer = w ? await dialog.showMessageBox(w, options) : await dialog.showMessageBox(options)
  if (answer.response === 0) {
    // Pause (and remember) running exports before the updater quits the app underneath them.
    restartingForUpdate = true
    await pauseExports(pauser.watch.active(), pauser)
  }
  return answer
}

/** Quitting during an export asks first; the export is paused (every .part kept) and resumes next time. */
function confirmQuit(event: Electron.Event, pauser: Pauser): void {
  if (quitting || restartingForUpdate) {
    if (keeper) keeper.quitting = true
    return
  }
  const active = pauser.watch.active()
  if (!quitNeedsQuestion(active.length)) {
    if (keeper) keeper.quitting = true
    return
  }
  event.preventDefault()
  if (!askPauseAndQuit()) return
  quitting = true
  void (async () => {
    await pauseExports(active, pauser)
    app.quit()
  })()
}

function askPauseAndQuit(): boolean {
  const choice = dialog.showMessageBoxSync({
    type: 'question',
    buttons: [shellText(locale, 'quit.pause'), shellText(locale, 'quit.keep')],
    defaultId: 1,
    cancelId: 1,
    message: shellText(locale, 'quit.message'),
    detail: shellText(locale, 'quit.detail'),
  })
  return choice === 0
}

void main()
