import type { CccApi } from '../../main/common/api.ts'
import { app, resetApp } from './app.svelte.ts'
import { resetExports, trackProgress } from './exports.svelte.ts'
import { history, loadHistory, resetHistory } from './history.svelte.ts'
import { prepareNewExport, resetNewExport } from './new-export.svelte.ts'
import { setPort } from './port.ts'
import { loadProfiles, profiles, resetProfiles } from './profiles.svelte.ts'
import { attach, isActive, onProgress, queue, resetQueue } from './queue.svelte.ts'
import { applyLocale, loadSettings, resetSettings } from './settings.svelte.ts'
import { resetSyncs } from './sync.svelte.ts'
import { toUiError } from './ui-error.ts'

export interface Connection {
  /** Settles when the first screen can be shown (or the failure explained). */
  readonly ready: Promise<void>
  disconnect(): void
}

/**
 * Hands the API to the state modules and loads what the first screen needs. Nothing touches the
 * API before this call, so tests (and the e2e page) decide what the UI talks to.
 */
export function connect(api: CccApi): Connection {
  setPort(api)
  resetApp()
  resetSettings()
  resetProfiles()
  resetHistory()
  resetSyncs()
  resetQueue()
  resetExports()
  resetNewExport()
  applyLocale()
  const off = api.on('export:progress', (p) => {
    trackProgress(p)
    onProgress(p)
  })
  return {
    ready: load(api),
    disconnect() {
      off()
      setPort(null)
    },
  }
}

async function load(api: CccApi): Promise<void> {
  try {
    const [info] = await Promise.all([api['app:info'](undefined), loadSettings(), loadProfiles()])
    app.info = info
    applyLocale()
    prepareNewExport()
    app.screen = profiles.list.length === 0 ? 'first-run' : 'new-export'
    app.status = 'ready'
  } catch (e) {
    app.error = toUiError(e)
    app.status = 'failed'
    return
  }
  // An export still running from before (or resumed by main at start) opens on the queue.
  await loadHistory()
  const active = history.list.find((s) => isActive(s.state))
  if (active !== undefined && queue.id === null && app.screen === 'new-export') {
    attach(active)
    app.screen = 'queue'
  }
}
