/**
 * What the desktop shell says outside the page (menu, quit question, notifications, tray), in
 * both languages, picked by the same rule as the page's: so a zh-CN user sees no English anywhere.
 * Plain data; main/electron reads it, and the renderer's test checks the keys match.
 */
import type { Locale } from './error-catalog.ts'

export type Language = 'system' | Locale

/** Any Chinese OS locale gets the Chinese UI; everything else English (shared with the renderer). */
export function resolveLocale(language: Language, systemLocale: string): Locale {
  if (language !== 'system') return language
  return /^zh([-_]|$)/i.test(systemLocale.trim()) ? 'zh-CN' : 'en'
}

const en = {
  'menu.file': 'File',
  'menu.diagnostics': 'Export diagnostics…',
  'quit.message': 'An export is still downloading.',
  'quit.detail': 'Quitting pauses it; it continues where it stopped the next time CCC Recordings starts.',
  'quit.pause': 'Pause and quit',
  'quit.keep': 'Keep downloading',
  'notify.finished': 'Export finished: {name}',
  'notify.stopped': 'Export stopped: {name}',
  'notify.body': '{done} of {total} downloaded',
  'notify.bodyFailed': '{done} of {total} downloaded, {failed} failed',
  'tray.tooltip': 'CCC Recordings',
  'tray.progress': '{percent}% of {count} exports',
  'tray.idle': 'Nothing downloading',
  'tray.open': 'Open CCC Recordings',
  'tray.pauseAll': 'Pause all',
  'tray.quit': 'Quit',
  'tray.note': 'CCC Recordings keeps downloading in the background. Quit it from here.',
}

export type ShellKey = keyof typeof en

const zhCN: Record<ShellKey, string> = {
  'menu.file': '文件',
  'menu.diagnostics': '导出诊断信息…',
  'quit.message': '仍有导出正在下载。',
  'quit.detail': '退出会暂停下载；下次启动 CCC 录音下载时从中断处继续。',
  'quit.pause': '暂停并退出',
  'quit.keep': '不退出',
  'notify.finished': '导出完成：{name}',
  'notify.stopped': '导出已停止：{name}',
  'notify.body': '已下载 {done} / {total}',
  'notify.bodyFailed': '已下载 {done} / {total}，{failed} 个失败',
  'tray.tooltip': 'CCC 录音下载',
  'tray.progress': '{count} 个导出，已完成 {percent}%',
  'tray.idle': '没有正在进行的下载',
  'tray.open': '打开 CCC 录音下载',
  'tray.pauseAll': '全部暂停',
  'tray.quit': '退出',
  'tray.note': 'CCC 录音下载会在后台继续下载。可从这里退出。',
}

export const SHELL_TEXT: Readonly<Record<Locale, Readonly<Record<ShellKey, string>>>> = { en, 'zh-CN': zhCN }

export function shellText(locale: Locale, key: ShellKey, params: Readonly<Record<string, string | number>> = {}): string {
  return SHELL_TEXT[locale][key].replace(/\{(\w+)\}/g, (whole, k: string) => (Object.hasOwn(params, k) ? String(params[k]) : whole))
}
