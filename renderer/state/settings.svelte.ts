import type { Settings } from '../../main/common/api.ts'
import { resolveLocale } from '../i18n/translate.ts'
import { app } from './app.svelte.ts'
import { setLocale } from './locale.svelte.ts'
import { port } from './port.ts'
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
 * Concurrency is each new export's own; the bandwidth limit is one budget shared by every export,
 * which main applies at once when the settings are saved (someone lowering it wants the network back now).
 */
export async function saveLimits(concurrency: number, maxBytesPerSecond: number | null, more: Pick<Settings, 'rateTimetable' | 'outputDir'> = {}): Promise<void> {
  await saveSettings({ concurrency, maxBytesPerSecond, ...more })
}
