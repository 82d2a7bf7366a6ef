import type { Locale } from '../common/error-catalog.ts'
import { baseName } from '../common/export-name.ts'
import type { ExportProgress } from '../common/progress.ts'
import { shellText } from '../common/shell-text.ts'

/** The notification for an export that ended, in the UI's language, named by its folder. */
export function notificationText(p: ExportProgress, locale: Locale): { title: string; body: string } {
  const c = p.counts
  const name = baseName(p.id)
  const title = shellText(locale, p.state === 'finished' ? 'notify.finished' : 'notify.stopped', { name })
  const body = shellText(locale, c.failed > 0 ? 'notify.bodyFailed' : 'notify.body', { done: c.done, total: c.total, failed: c.failed })
  return { title, body }
}
