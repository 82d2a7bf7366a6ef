import { type BrowserWindow, Notification, powerSaveBlocker } from 'electron'
import path from 'node:path'
import type { ExportProgress } from '../common/progress.ts'
import type { ShellSignals } from './export-watch.ts'
import type { Locale } from '../common/error-catalog.ts'
import type { HostPorts } from './handlers.ts'
import { notificationText } from './notify-text.ts'

/**
 * What a running export shows outside the window: progress on the taskbar or dock icon, the
 * machine kept from sleeping, and a notification when it ends (clicking it shows the report).
 */
export function desktopSignals(window: () => BrowserWindow | undefined, host: HostPorts, locale: () => Locale): ShellSignals {
  let blocker: number | undefined
  return {
    setProgress: (fraction, mode) => window()?.setProgressBar(fraction, mode === 'none' ? undefined : { mode }),
    keepAwake(on) {
      if (on && blocker === undefined) blocker = powerSaveBlocker.start('prevent-app-suspension')
      if (!on && blocker !== undefined) {
        powerSaveBlocker.stop(blocker)
        blocker = undefined
      }
    },
    notify(p: ExportProgress) {
      if (!Notification.isSupported()) return
      const n = new Notification(notificationText(p, locale()))
      n.on('click', () => host.reveal(path.join(p.id, 'report.csv')))
      n.show()
    },
  }
}
