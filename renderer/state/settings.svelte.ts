import type { Settings } from '../../main/common/api.ts'
import { resolveLocale } from '../i18n/translate.ts'
import { app } from './app.svelte.ts'
import { setLocale } from './locale.svelte.ts'
import { port } from './port.ts'
import { isActive, queue, snapshot } from './queue.svelte.ts'
import { toUiError, type UiError } from './ui-error.ts'

export const DEFAULT_SETTINGS: Settings = { language: 'system', concurrency: 6, maxBytesPerSecond: null }

class SettingsStore {
  value = $state.raw<Settings>(DEFAULT_SETTINGS)
  saving = $state(false)
  saved = $state(false)
  error = $state.raw<UiError | null>(null)
}

export const settings = new SettingsStore()

export function resetSettings(): void {
  settings.value = DEFAULT_SETTINGS
  settings.saving = false
  settings.saved = false
  settings.error = null
}

/** Before `app:info` answers, the browser's own language is the best guess of the OS's. */
export function applyLocale(): void {
  const system = app.info?.systemLocale ?? (typeof navigator === 'undefined' ? '' : navigator.language)
  setLocale(resolveLocale(settings.value.language, system))
}

export async function loadSettings(): Promise<void> {
  settings.value = await port()['settings:get'](undefined)
  applyLocale()
}

export async function saveSettings(patch: Partial<Settings>): Promise<boolean> {
  settings.saving = true
  settings.saved = false
  settings.error = null
  try {
    settings.value = await port()['settings:set'](patch)
    applyLocale()
    settings.saved = true
    return true
  } catch (e) {
    settings.error = toUiError(e)
    return false
  } finally {
    settings.saving = false
  }
}

/**
 * Concurrency and bandwidth are defaults for new exports, and also apply at once to the export
 * running now: someone lowering the bandwidth wants the network back now, not next time.
 */
export async function saveLimits(concurrency: number, maxBytesPerSecond: number | null): Promise<void> {
  if (!(await saveSettings({ concurrency, maxBytesPerSecond }))) return
  const current = snapshot()
  if (queue.id === null || current === null || !isActive(current.state)) return
  try {
    await port()['export:setLimits']({ id: queue.id, concurrency, maxBytesPerSecond })
  } catch (e) {
    settings.error = toUiError(e)
  }
}
