/**
 * The app's lifecycle decisions, without Electron: what closing the window, a second launch and
 * quitting do, and what the tray shows. main.ts and tray.ts only carry them out.
 */
import type { Locale } from '../common/error-catalog.ts'
import type { ExportProgress } from '../common/progress.ts'
import { shellText } from '../common/shell-text.ts'

/** Closing the window while anything runs keeps the app in the tray (the dock on macOS); the first time, it says so. */
export function onWindowClose(activeCount: number, notedBefore: boolean): { keepRunning: boolean; note: boolean } {
  const keepRunning = activeCount > 0
  return { keepRunning, note: keepRunning && !notedBefore }
}

/** With no window left: quit unless an export runs (macOS apps stay in the dock anyway). */
export function quitWhenAllClosed(activeCount: number, platform: string): boolean {
  return activeCount === 0 && platform !== 'darwin'
}

export interface WindowState {
  readonly exists: boolean
  readonly destroyed: boolean
  readonly minimized: boolean
  readonly visible: boolean
}

/** A second launch or a tray click: bring the window back, recreating it when it is gone. */
export function reopenAction(w: WindowState): 'recreate' | 'restore' | 'show' | 'focus' {
  // A destroyed window must not be asked anything (isMinimized() throws on it).
  if (!w.exists || w.destroyed) return 'recreate'
  if (w.minimized) return 'restore'
  if (!w.visible) return 'show'
  return 'focus'
}

/** Quitting asks only when something runs. */
export function quitNeedsQuestion(activeCount: number): boolean {
  return activeCount > 0
}

export interface TrayModel {
  readonly tooltip: string
  /** A disabled first line: overall progress, or that nothing downloads. */
  readonly status: string
  readonly open: string
  readonly pauseAll: string | null
  readonly quit: string
}

/** What the tray shows over every moving export, in the UI's language. */
export function trayModel(exports: readonly ExportProgress[], locale: Locale): TrayModel {
  const moving = exports.filter((p) => p.state === 'running' || p.state === 'listing' || p.state === 'pausing')
  const total = moving.reduce((n, p) => n + p.counts.total, 0)
  const done = moving.reduce((n, p) => n + p.counts.done + p.counts.skipped, 0)
  const percent = total > 0 ? Math.floor((done / total) * 100) : 0
  const status = moving.length > 0 ? shellText(locale, 'tray.progress', { percent, count: moving.length }) : shellText(locale, 'tray.idle')
  return {
    tooltip: moving.length > 0 ? `${shellText(locale, 'tray.tooltip')} · ${status}` : shellText(locale, 'tray.tooltip'),
    status,
    open: shellText(locale, 'tray.open'),
    pauseAll: moving.length > 0 ? shellText(locale, 'tray.pauseAll') : null,
    quit: shellText(locale, 'tray.quit'),
  }
}
