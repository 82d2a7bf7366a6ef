import { app, dialog, Menu } from 'electron'
import { writeFile } from 'node:fs/promises'
import type { Locale } from '../common/error-catalog.ts'
import { shellText } from '../common/shell-text.ts'
import { diagnosticsZip } from './diagnostics.ts'
import type { Handlers } from './dispatch.ts'
import type { HostPorts } from './handlers.ts'

/** The platform's usual menus, plus File > Export diagnostics for support requests, in the UI's language. */
export function setApplicationMenu(handlers: Handlers, host: HostPorts, locale: Locale): void {
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
      {
        label: shellText(locale, 'menu.file'),
        submenu: [
          { label: shellText(locale, 'menu.diagnostics'), click: () => exportDiagnostics(handlers, host) },
          { type: 'separator' },
          { role: 'quit' },
        ],
      },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
    ]),
  )
}

/** Asks where, writes the diagnostics zip (logs, versions, export history) there and shows it. */
async function exportDiagnostics(handlers: Handlers, host: HostPorts): Promise<void> {
  const target = await dialog.showSaveDialog({ defaultPath: `ccc-recordings-diagnostics-${new Date().toISOString().slice(0, 10)}.zip` })
  if (target.canceled || !target.filePath) return
  const exports = await handlers['exports:history'](undefined)
  const zip = await diagnosticsZip({ logsDir: app.getPath('logs'), versions: { app: app.getVersion(), ...process.versions, platform: process.platform }, exports })
  await writeFile(target.filePath, zip)
  host.reveal(target.filePath)
}
