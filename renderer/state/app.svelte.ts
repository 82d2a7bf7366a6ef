import type { AppInfo } from '../../main/common/api.ts'
import type { UiError } from './ui-error.ts'

export type Screen = 'first-run' | 'new-export' | 'queue' | 'history' | 'settings' | 'add-profile'

class AppStore {
  status = $state<'loading' | 'ready' | 'failed'>('loading')
  screen = $state<Screen>('new-export')
  info = $state.raw<AppInfo | null>(null)
  error = $state.raw<UiError | null>(null)
}

export const app = new AppStore()

export function go(screen: Screen): void {
  app.screen = screen
}

export function resetApp(): void {
  app.status = 'loading'
  app.screen = 'new-export'
  app.info = null
  app.error = null
}
