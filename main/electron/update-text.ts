import type { Locale } from '../common/error-catalog.ts'
import { type Language, resolveLocale } from '../common/shell-text.ts'

/** The words of the "update ready" question, with its buttons in the order updater.ts reads the answer. */
export interface UpdateText {
  readonly title: string
  readonly message: string
  readonly detail: string
  readonly buttons: readonly [restart: string, onQuit: string, notNow: string]
}

const TEXT = {
  en: {
    title: 'Update ready',
    ready: 'CCC Recordings {version} is ready to install.',
    detail: 'An export in progress is paused, and continues when the app starts again.',
    buttons: ['Restart and install', 'Install when I quit', 'Not now'],
  },
  'zh-CN': {
    title: '更新已就绪',
    // The product's Chinese name, as the tray and the quit question say it.
    ready: 'CCC 录音下载 {version} 已下载完毕，可以安装。',
    detail: '正在进行的导出会暂停，应用再次启动后继续。',
    buttons: ['重启并安装', '退出时安装', '以后再说'],
  },
} as const satisfies Record<Locale, { title: string; ready: string; detail: string; buttons: readonly [string, string, string] }>

/**
 * The update question in the language the user picked in Settings, the OS's only when they left it
 * on "system": the same rule as the page, the menu, the tray and the notifications, so a user who
 * chose English on a Chinese Windows is not asked in Chinese (and the other way round).
 */
export function updateText(language: Language, systemLocale: string, version: string): UpdateText {
  const words = TEXT[resolveLocale(language, systemLocale)]
  return { title: words.title, message: words.ready.replace('{version}', version), detail: words.detail, buttons: words.buttons }
}
