import type { Locale } from '../common/error-catalog.ts'
import { baseName } from '../common/export-name.ts'

/**
 * Which nights' results the app announces (issue 18: "a tray notification of the night's
 * result"), and in what words. Pure: the scheduled folders' sync-last.json and what was announced
 * before come in, the notices and the new record go out; Electron only shows them.
 */

/** The fields of a folder's `.ccc-recordings/sync-last.json` a notice needs. */
export interface NightResult {
  readonly dir: string
  readonly at: string
  readonly exitCode: number
  readonly state: string
  readonly markAdvanced: boolean
  readonly mark: string | null
  readonly counts: { readonly total: number; readonly done: number; readonly failed: number }
  /** Failures of this night: those of earlier nights were announced then (sync-settings.ts, SyncLast). */
  readonly failedThisRun: number
}

/** Each folder's last announced run, by its `at`: kept in the config folder between launches. */
export type Announced = Readonly<Record<string, string>>

export interface Notice {
  readonly dir: string
  readonly title: string
  readonly body: string
}

const TEXT = {
  en: {
    ok: 'Nightly sync done: {name}',
    okBody: '{done} of {total} verified; complete up to {mark}',
    failed: 'Nightly sync: {failed} failed in {name}',
    failedBody: '{done} of {total} verified. Open History to see the failures and what to do about each.',
    incomplete: 'Nightly sync did not complete: {name}',
    incompleteBody: 'It stopped ({state}, exit code {code}); the next night lists the same calls again. The log is in the log folder.',
  },
  'zh-CN': {
    ok: '每晚同步完成：{name}',
    okBody: '已校验 {done} / {total}；已完整同步到 {mark}',
    failed: '每晚同步：{name} 有 {failed} 个失败',
    failedBody: '已校验 {done} / {total}。在“历史记录”中查看失败项及各自的处理办法。',
    incomplete: '每晚同步未完成：{name}',
    incompleteBody: '同步已停止（{state}，退出码 {code}）；下一晚会重新列出这些通话。日志在日志文件夹中。',
  },
} as const satisfies Record<Locale, Record<string, string>>

const fill = (text: string, values: Record<string, string | number>): string => text.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m))

/** The words for one night, in the UI's language. */
export function noticeText(r: NightResult, locale: Locale): Omit<Notice, 'dir'> {
  const words = TEXT[locale]
  const values = { name: baseName(r.dir), done: r.counts.done, total: r.counts.total, failed: r.failedThisRun, state: r.state, code: r.exitCode, mark: r.mark ?? '' }
  if (!r.markAdvanced || (r.exitCode !== 0 && r.exitCode !== 3)) return { title: fill(words.incomplete, values), body: fill(words.incompleteBody, values) }
  if (r.failedThisRun > 0) return { title: fill(words.failed, values), body: fill(words.failedBody, values) }
  return { title: fill(words.ok, values), body: fill(words.okBody, values) }
}

/**
 * The runs not announced yet: one notice a folder, for its latest run only (a week away from the
 * app is one notice, not seven). Folders no longer scheduled are dropped from the record.
 */
export function nightNotices(results: readonly NightResult[], announced: Announced, locale: Locale): { notices: Notice[]; announced: Announced } {
  const notices: Notice[] = []
  const next: Record<string, string> = {}
  for (const r of results) {
    next[r.dir] = r.at
    if (announced[r.dir] !== r.at) notices.push({ dir: r.dir, ...noticeText(r, locale) })
  }
  return { notices, announced: next }
}
